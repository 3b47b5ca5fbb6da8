import type { EntityManager } from 'typeorm';
import type { OrderDocument, QuoteDocument } from '@vitrine/outbox';
import { formatDecimal, minorFromDb } from '@vitrine/pricing';
import type { OrderDraft } from './order-draft.service';

/** What a document needs to know about the tenant it belongs to. */
export interface DocumentTenant {
  id: string;
  slug: string;
  name: string;
}

/** The order as stored: the `vat` column. */
export interface StoredVat {
  rates: Array<{ rate: string; netMinor: number; taxMinor: number }>;
  /** The legal mention (reverse charge, export) in the shop's languages, or null. */
  note: Record<string, string> | null;
}

/**
 * An order as messages (e-mails, the ERP export) describe it, read with the caller's manager
 * (inside the unit of work that changed it, so the document and the change commit together).
 * `locale` picks the language of the tax note.
 */
export async function loadOrderDocument(
  em: EntityManager,
  tenant: DocumentTenant,
  orderId: string,
  locale = 'en',
): Promise<OrderDocument> {
  const [o] = (await em.query(
    `SELECT o.*, c.code AS company_code, c.name AS company_name, c.vat_id AS company_vat_id,
            u.name AS user_name, u.email AS user_email,
            to_char(o.requested_delivery_date, 'YYYY-MM-DD') AS delivery_date
       FROM customer_order o
       JOIN company c ON c.tenant_id = o.tenant_id AND c.id = o.company_id
       JOIN app_user u ON u.tenant_id = o.tenant_id AND u.id = o.placed_by
      WHERE o.tenant_id = $1 AND o.id = $2`,
    [tenant.id, orderId],
  )) as OrderRow[];
  if (!o) throw new Error(`Order ${orderId} of tenant ${tenant.slug} does not exist`);
  const lines = (await em.query(
    `SELECT line_no, sku, name, quantity, unit_minor, price_source, net_minor, round(tax_rate, 2)::text AS tax_rate, tax_minor
       FROM order_line WHERE tenant_id = $1 AND order_id = $2 ORDER BY line_no`,
    [tenant.id, orderId],
  )) as LineRow[];
  const money = (v: string | number) => formatDecimal(minorFromDb(v), o.currency);
  const vat = o.vat as StoredVat;
  return {
    number: o.number,
    status: o.status,
    tenant: { slug: tenant.slug, name: tenant.name },
    company: {
      id: o.company_id,
      code: o.company_code,
      name: o.company_name,
      vatId: o.company_vat_id,
    },
    placedBy: { name: o.user_name, email: o.user_email },
    poNumber: o.po_number,
    costCentre: o.cost_centre,
    note: o.note,
    requestedDeliveryDate: o.delivery_date,
    shipTo: o.ship_to,
    currency: o.currency,
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(l.unit_minor),
      lineTotal: money(l.net_minor),
      priceSource: l.price_source,
      taxRate: l.tax_rate,
      tax: money(l.tax_minor),
    })),
    subtotal: money(o.subtotal_minor),
    shipping: money(o.shipping_minor),
    tax: money(o.tax_minor),
    total: money(o.total_minor),
    vat: vat.rates.map((r) => ({ rate: r.rate, base: money(r.netMinor), tax: money(r.taxMinor) })),
    taxNote: vat.note ? (vat.note[locale] ?? vat.note.en ?? null) : null,
    paymentTerms: o.payment_terms,
    createdAt: new Date(o.created_at).toISOString(),
  };
}

/** A quote as messages describe it; see {@link loadOrderDocument}. */
export async function loadQuoteDocument(
  em: EntityManager,
  tenant: DocumentTenant,
  quoteId: string,
): Promise<QuoteDocument> {
  const [q] = (await em.query(
    `SELECT q.*, c.name AS company_name
       FROM quote q LEFT JOIN company c ON c.tenant_id = q.tenant_id AND c.id = q.company_id
      WHERE q.tenant_id = $1 AND q.id = $2`,
    [tenant.id, quoteId],
  )) as QuoteRow[];
  if (!q) throw new Error(`Quote ${quoteId} of tenant ${tenant.slug} does not exist`);
  const lines = (await em.query(
    `SELECT sku, name, quantity, offered_unit_minor FROM quote_line
      WHERE tenant_id = $1 AND quote_id = $2 ORDER BY line_no`,
    [tenant.id, quoteId],
  )) as Array<{ sku: string; name: string; quantity: number; offered_unit_minor: string | null }>;
  return {
    number: q.number,
    status: q.status,
    tenant: { slug: tenant.slug, name: tenant.name },
    contactEmail: q.contact_email,
    company: q.company_name ? { name: q.company_name } : null,
    note: q.note,
    currency: q.currency,
    validUntil: q.valid_until ? new Date(q.valid_until).toISOString() : null,
    lines: lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      offeredUnitPrice:
        l.offered_unit_minor === null
          ? null
          : formatDecimal(minorFromDb(l.offered_unit_minor), q.currency),
    })),
    createdAt: new Date(q.created_at).toISOString(),
  };
}

interface OrderRow {
  number: string;
  status: string;
  company_id: string;
  company_code: string;
  company_name: string;
  company_vat_id: string | null;
  user_name: string;
  user_email: string;
  po_number: string | null;
  cost_centre: string | null;
  note: string | null;
  delivery_date: string | null;
  ship_to: OrderDocument['shipTo'];
  currency: string;
  subtotal_minor: string;
  shipping_minor: string;
  tax_minor: string;
  total_minor: string;
  vat: unknown;
  payment_terms: { method: string; netDays: number } | null;
  created_at: string | Date;
}

interface LineRow {
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  unit_minor: string;
  price_source: string;
  net_minor: string;
  tax_rate: string;
  tax_minor: string;
}

interface QuoteRow {
  number: string;
  status: string;
  contact_email: string;
  company_name: string | null;
  note: string | null;
  currency: string;
  valid_until: string | Date | null;
  created_at: string | Date;
}

/** The document of an order being written, from its draft: no read of what was just written. */
export function draftDocument(
  tenant: DocumentTenant,
  draft: OrderDraft,
  order: { id: string; number: string; createdAt: Date },
  locale: string,
): OrderDocument {
  const money = (minor: number) => formatDecimal(minor, draft.currency);
  return {
    number: order.number,
    status: draft.status,
    tenant: { slug: tenant.slug, name: tenant.name },
    company: { id: draft.companyId, ...draft.parties.company },
    placedBy: draft.parties.placedBy,
    poNumber: draft.request.poNumber,
    costCentre: draft.request.costCentre,
    note: draft.request.note,
    requestedDeliveryDate: draft.request.requestedDeliveryDate,
    shipTo: draft.shipTo,
    currency: draft.currency,
    lines: draft.lines.map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(l.unitMinor),
      lineTotal: money(l.netMinor),
      priceSource: l.source,
      taxRate: l.taxRate,
      tax: money(l.taxMinor),
    })),
    subtotal: money(draft.subtotalMinor),
    shipping: money(draft.shippingMinor),
    tax: money(draft.taxMinor),
    total: money(draft.totalMinor),
    vat: draft.vat.rates.map((r) => ({
      rate: r.rate,
      base: money(r.netMinor),
      tax: money(r.taxMinor),
    })),
    taxNote: draft.vat.note ? (draft.vat.note[locale] ?? draft.vat.note.en ?? null) : null,
    paymentTerms: draft.paymentTerms,
    createdAt: order.createdAt.toISOString(),
  };
}
