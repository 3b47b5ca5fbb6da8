/**
 * What the outbox carries. A message is one delivery to one consumer: an e-mail, the ERP
 * webhook of an order, the ERP drop-folder file of an order. Producers write messages in the
 * transaction of the change they report (see {@link Outbox.enqueue}); the worker delivers them
 * at least once, and `dedupeKey` (unique per tenant and topic) lets a consumer recognise a
 * redelivery — it is the e-mail's Message-ID seed, the webhook's event id, the file's name.
 */
export type OutboxTopic = 'mail' | 'erp-webhook' | 'erp-file';

export interface OutboxMessage<P = OutboxPayload> {
  topic: OutboxTopic;
  dedupeKey: string;
  payload: P;
}

export type OutboxPayload = MailPayload | ErpOrderPayload;

/** Templates of transactional e-mail. Each renders with the tenant's theme and the given locale. */
export type MailTemplate =
  | 'order-confirmation'
  | 'order-submitted'
  | 'approval-requested'
  | 'order-approved'
  | 'order-rejected'
  | 'order-status'
  | 'quote-requested'
  | 'quote-offered'
  | 'invitation'
  | 'password-reset';

/**
 * An e-mail to render and send. `data` is plain JSON for the template, by template:
 * - order-confirmation, order-submitted (to the requester of an order awaiting approval),
 *   approval-requested, order-approved, order-status: `{ order: OrderDocument }`
 * - order-rejected: `{ order: OrderDocument, reason: string }`
 * - quote-requested, quote-offered: `{ quote: QuoteDocument }`
 * - invitation, password-reset: `{ name: string, token: string, expiresAt: string }`
 */
export interface MailPayload {
  kind: 'mail';
  template: MailTemplate;
  to: string[];
  /** One of the tenant's locales. */
  locale: string;
  data: Record<string, unknown>;
}

/** The order as the ERP receives it: the webhook body and the drop-folder file. */
export interface ErpOrderPayload {
  kind: 'erp-order';
  /** `order.placed` when an order is placed (directly or on approval). */
  event: 'order.placed';
  order: OrderDocument;
}

/** Money in messages: a decimal string in the currency of the document, e.g. "12.50". */
export type DecimalString = string;

/**
 * An order as messages describe it: a self-contained snapshot (amounts as decimal strings
 * excluding VAT unless named otherwise), so a consumer never reads the database and a later
 * change never rewrites what was sent.
 */
export interface OrderDocument {
  number: string;
  status: string;
  tenant: { slug: string; name: string };
  company: { id: string; code: string; name: string; vatId: string | null };
  placedBy: { name: string; email: string };
  poNumber: string | null;
  costCentre: string | null;
  note: string | null;
  requestedDeliveryDate: string | null;
  shipTo: {
    name: string;
    street: string;
    postalCode: string;
    city: string;
    country: string;
  };
  currency: string;
  lines: Array<{
    lineNo: number;
    sku: string;
    name: string;
    quantity: number;
    unitPrice: DecimalString;
    lineTotal: DecimalString;
    priceSource: string;
    taxRate: DecimalString;
    tax: DecimalString;
  }>;
  subtotal: DecimalString;
  shipping: DecimalString;
  tax: DecimalString;
  total: DecimalString;
  /** Per VAT rate: the base and the VAT, as on an invoice. */
  vat: Array<{ rate: DecimalString; base: DecimalString; tax: DecimalString }>;
  taxNote: string | null;
  paymentTerms: { method: string; netDays: number } | null;
  createdAt: string;
}

export interface QuoteDocument {
  number: string;
  status: string;
  tenant: { slug: string; name: string };
  contactEmail: string;
  company: { name: string } | null;
  note: string | null;
  currency: string;
  validUntil: string | null;
  lines: Array<{
    sku: string;
    name: string;
    quantity: number;
    offeredUnitPrice: DecimalString | null;
  }>;
  createdAt: string;
}
