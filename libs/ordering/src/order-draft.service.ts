import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared, TenantDb } from '@vitrine/database';
import { VitrineError, type MessageRef } from '@vitrine/errors';
import {
  formatDecimal,
  LinePricingService,
  lineTaxMinor,
  localDate,
  minorFromDb,
  parseDecimal,
} from '@vitrine/pricing';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { CartService, lineToPrice, quantityProblemOf, type CartLineView } from './cart.service';
import type { StoredVat } from './documents';
import { OrderTotalsService } from './order-totals.service';

/** The buyer's choices at checkout, checked and normalized. */
export interface CheckoutRequest {
  poNumber: string | null;
  shippingAddressId: string | null;
  requestedDeliveryDate: string | null;
  note: string | null;
  costCentre: string | null;
}

export interface DraftLine {
  variantId: number;
  sku: string;
  name: string;
  quantity: number;
  unitMinor: number;
  source: string;
  netMinor: number;
  taxRate: string;
  taxMinor: number;
  weightGrams: number | null;
}

/** Everything needed to write an order, decided before its unit of work. */
export interface OrderDraft {
  userId: string;
  companyId: string;
  /** Who orders for which company, as the order's documents name them. */
  parties: {
    company: { code: string; name: string; vatId: string | null };
    placedBy: { name: string; email: string };
  };
  request: CheckoutRequest;
  shipTo: { name: string; street: string; postalCode: string; city: string; country: string };
  lines: DraftLine[];
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  vat: StoredVat;
  weightGrams: number;
  paymentTerms: { method: string; netDays: number } | null;
  /** The credit the order uses: its total on account, else 0. */
  creditMinor: number;
  creditLimitMinor: number | null;
  status: 'PLACED' | 'PENDING_APPROVAL';
  approvalReason: string | null;
  /** Whom to ask, when the order needs approval. */
  approverEmails: string[];
  /** Where the lines come from; the writer consumes it in the order's unit of work. */
  source: { kind: 'cart'; quantities: Map<number, number> } | { kind: 'quote'; quoteId: string };
}

/** A line to order, before pricing. */
type SourceLine = Pick<
  CartLineView,
  'variantId' | 'sku' | 'name' | 'quantity' | 'categoryPath' | 'taxCategory'
> & { weightGrams: number | null; volumeMl: number | null };

interface Buyer {
  company_id: string;
  company_code: string;
  company_name: string;
  company_vat_id: string | null;
  user_name: string;
  user_email: string;
  po_number_required: boolean;
  payment_terms: { method: string; netDays: number } | null;
  credit_limit_minor: string | null;
  company_status: string;
  spend_limit_minor: string | null;
  user_status: string;
}

const MAX_PO = 64;
const MAX_NOTE = 2000;

/**
 * Turns a cart (or an accepted quote) and the buyer's checkout choices into an {@link OrderDraft}:
 * reads in one unit of work, prices outside it (the engine has units of its own), and decides
 * shipping, VAT, credit and whether the order needs approval. Nothing is written here.
 */
@Injectable()
export class OrderDraftService {
  constructor(
    private readonly db: TenantDb,
    private readonly carts: CartService,
    private readonly pricing: LinePricingService,
    private readonly totals: OrderTotalsService,
  ) {}

  /**
   * The order the cart would make. In a unit of work of its own, or in the caller's (`em`: the
   * order's, so that checkout opens one unit instead of two).
   */
  async fromCart(
    ctx: TenantContext,
    request: CheckoutRequest,
    em?: EntityManager,
  ): Promise<OrderDraft> {
    const { userId } = buyerOf(ctx);
    const reads = async (m: EntityManager) => ({
      ...(await this.readBuyer(m, ctx, request)),
      lines: (await this.carts.currentLines(m, ctx, userId)) ?? [],
    });
    const read = em ? await reads(em) : await this.db.run(ctx, reads);
    if (read.lines.length === 0)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.emptyCart',
        {},
        'Your cart is empty; add articles before ordering.',
      );
    for (const line of read.lines) {
      const problem = quantityProblemOf(line, line.quantity, line.quantity, false);
      if (problem)
        throw VitrineError.withMessage(
          'BAD_USER_INPUT',
          problem.key,
          problem.params,
          problem.text,
          {
            sku: line.sku,
          },
        );
    }
    return this.decide(
      ctx,
      request,
      read,
      read.lines,
      null,
      { kind: 'cart', quantities: new Map(read.lines.map((l) => [l.variantId, l.quantity])) },
      em,
    );
  }

  /** An order of a quote's lines at its offered unit prices (source QUOTE). */
  async fromQuote(
    ctx: TenantContext,
    request: CheckoutRequest,
    quoteId: string,
    lines: SourceLine[],
    unitPrices: ReadonlyMap<number, number>,
  ): Promise<OrderDraft> {
    const read = await this.db.run(ctx, (em) => this.readBuyer(em, ctx, request));
    return this.decide(ctx, request, read, lines, unitPrices, { kind: 'quote', quoteId });
  }

  private async decide(
    ctx: TenantContext,
    request: CheckoutRequest,
    read: Awaited<ReturnType<OrderDraftService['readBuyer']>>,
    lines: SourceLine[],
    quotedUnits: ReadonlyMap<number, number> | null,
    source: OrderDraft['source'],
    em?: EntityManager,
  ): Promise<OrderDraft> {
    const { userId } = buyerOf(ctx);
    const at = new Date();
    const country = read.shipTo.country;
    const priced = await this.pricing.price(ctx, lines.map(lineToPrice), {
      at,
      shipToCountry: country,
      quotedUnits: quotedUnits ?? undefined,
      em,
    });
    const currency = priced.currency;
    const subtotalMinor = priced.totals.netMinor;
    const { shippingMinor, weightGrams, totals } = this.totals.compute(
      ctx,
      lines,
      priced,
      country,
      at,
    );
    const note = priced.lines.find((l) => l.tax.note)?.tax.note ?? null;
    const netMinor = totals.netMinor;

    // Approval: requisitioners always, buyers above their spend limit (net, excluding VAT).
    const permissions = permissionsOf(ctx.user?.roles ?? []);
    const spendLimit =
      read.buyer.spend_limit_minor === null ? null : minorFromDb(read.buyer.spend_limit_minor);
    let approvalReason: string | null = null;
    if (!permissions.has('PLACE_ORDER')) approvalReason = REQUISITIONER_REASON;
    else if (spendLimit !== null && netMinor > spendLimit)
      approvalReason = `The order (${formatDecimal(netMinor, currency)} ${currency} excl. VAT) is above your spend limit of ${formatDecimal(spendLimit, currency)} ${currency}.`;
    let approverEmails: string[] = [];
    if (approvalReason) {
      approverEmails = await this.approvers(ctx, read.buyer.company_id, userId, netMinor, em);
      if (approverEmails.length === 0)
        throw permissions.has('PLACE_ORDER')
          ? VitrineError.withMessage(
              'SPEND_LIMIT_EXCEEDED',
              'checkout.noApproverForAmount',
              // spendLimit is set: a buyer with PLACE_ORDER needs approval only above it.
              { orderMinor: netMinor, limitMinor: spendLimit ?? 0, currency },
              `${approvalReason} Nobody in your company can approve an order of this size; reduce the order or ask your company admin to raise a limit.`,
            )
          : VitrineError.withMessage(
              'FORBIDDEN',
              'checkout.noApprover',
              {},
              'Your orders need approval, and your company has no approver who could give it. Ask your company admin.',
            );
    }
    const onAccount = (read.buyer.payment_terms?.method ?? 'on_account') === 'on_account';
    return {
      userId,
      companyId: read.buyer.company_id,
      parties: {
        company: {
          code: read.buyer.company_code,
          name: read.buyer.company_name,
          vatId: read.buyer.company_vat_id,
        },
        placedBy: { name: read.buyer.user_name, email: read.buyer.user_email },
      },
      request,
      shipTo: read.shipTo,
      lines: lines.map((l, i) => ({
        variantId: l.variantId,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unitMinor: priced.lines[i].unitMinor,
        source: priced.lines[i].source,
        netMinor: priced.lines[i].netMinor,
        taxRate: priced.lines[i].tax.rate,
        taxMinor: lineTaxMinor(priced.lines[i].netMinor, priced.lines[i].tax.rate),
        weightGrams: l.weightGrams,
      })),
      currency,
      subtotalMinor,
      shippingMinor,
      taxMinor: totals.taxMinor,
      totalMinor: totals.grossMinor,
      vat: {
        rates: totals.byRate.map((r) => ({
          rate: r.rate,
          netMinor: r.netMinor,
          taxMinor: r.taxMinor,
        })),
        note: note ? { ...note } : null,
      },
      weightGrams,
      paymentTerms: read.buyer.payment_terms,
      creditMinor: onAccount ? totals.grossMinor : 0,
      creditLimitMinor:
        read.buyer.credit_limit_minor === null ? null : minorFromDb(read.buyer.credit_limit_minor),
      status: approvalReason ? 'PENDING_APPROVAL' : 'PLACED',
      approvalReason,
      approverEmails,
      source,
    };
  }

  /**
   * The buyer, their company and the checkout choices checked against the company's data: one
   * statement (the company's ship-to addresses and whether the cost centre is one of its active
   * ones come with the buyer).
   */
  private async readBuyer(em: EntityManager, ctx: TenantContext, request: CheckoutRequest) {
    const { userId, companyId } = buyerOf(ctx);
    const [buyer] = (await em.query(
      prepared(`SELECT c.id AS company_id, c.code AS company_code, c.name AS company_name,
              c.vat_id AS company_vat_id, u.name AS user_name, u.email AS user_email,
              c.po_number_required, c.payment_terms, c.credit_limit_minor,
              c.status AS company_status, u.spend_limit_minor, u.status AS user_status,
              (SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name,
                        'street', a.street, 'postal_code', a.postal_code, 'city', a.city,
                        'country', a.country) ORDER BY a.is_default DESC, a.created_at), '[]')
                 FROM company_address a
                WHERE a.tenant_id = $1 AND a.company_id = c.id AND a.kind = 'SHIPPING') AS addresses,
              EXISTS (SELECT 1 FROM cost_centre cc
                       WHERE cc.tenant_id = $1 AND cc.company_id = c.id AND cc.code = $4
                         AND cc.active) AS cost_centre_active
         FROM app_user u JOIN company c ON c.tenant_id = u.tenant_id AND c.id = u.company_id
        WHERE u.tenant_id = $1 AND u.id = $2 AND c.id = $3`),
      [ctx.tenantId, userId, companyId, request.costCentre],
    )) as Array<
      Buyer & {
        addresses: Array<{
          id: string;
          name: string;
          street: string;
          postal_code: string;
          city: string;
          country: string;
        }>;
        cost_centre_active: boolean;
      }
    >;
    if (!buyer || buyer.user_status !== 'ACTIVE')
      throw VitrineError.withMessage(
        'UNAUTHENTICATED',
        'checkout.accountInactive',
        {},
        'Your account is not active; sign in again.',
      );
    if (buyer.company_status !== 'ACTIVE')
      throw VitrineError.withMessage(
        'FORBIDDEN',
        'checkout.companyBlocked',
        {},
        'Ordering is blocked for your company; please contact your account manager.',
      );
    if (buyer.po_number_required && !request.poNumber)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.poRequired',
        {},
        'Your company requires a purchase order (PO) number.',
        { argument: 'poNumber' },
      );
    if (request.costCentre && !buyer.cost_centre_active)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.costCentre',
        { code: request.costCentre },
        `${request.costCentre} is not an active cost centre of your company.`,
        { argument: 'costCentre' },
      );
    const addresses = buyer.addresses;
    const address = request.shippingAddressId
      ? addresses.find((a) => a.id === request.shippingAddressId)
      : addresses[0];
    if (!address)
      throw request.shippingAddressId
        ? VitrineError.withMessage(
            'NOT_FOUND',
            'checkout.addressNotFound',
            { id: request.shippingAddressId },
            `${request.shippingAddressId} is not a ship-to address of your company.`,
            { argument: 'shippingAddressId' },
          )
        : VitrineError.withMessage(
            'BAD_USER_INPUT',
            'checkout.noAddress',
            {},
            'Your company has no ship-to address yet; your company admin can add one.',
            { argument: 'shippingAddressId' },
          );
    return {
      buyer,
      shipTo: {
        name: address.name,
        street: address.street,
        postalCode: address.postal_code,
        city: address.city,
        country: address.country.trim(),
      },
    };
  }

  /** Active approvers of the company other than the requester whose own limit covers `netMinor`. */
  private async approvers(
    ctx: TenantContext,
    companyId: string,
    requester: string,
    netMinor: number,
    em?: EntityManager,
  ): Promise<string[]> {
    const read = (m: EntityManager) =>
      m.query(
        `SELECT email FROM app_user
          WHERE tenant_id = $1 AND company_id = $2 AND id <> $3 AND status = 'ACTIVE'
            AND 'APPROVER' = ANY(roles)
            AND (spend_limit_minor IS NULL OR spend_limit_minor >= $4)
          ORDER BY email`,
        [ctx.tenantId, companyId, requester, netMinor],
      ) as Promise<Array<{ email: string }>>;
    const rows = em ? await read(em) : await this.db.run(ctx, read);
    return rows.map((r) => r.email);
  }
}

/** The signed-in user and their company; orders need both. */
export function buyerOf(ctx: TenantContext): { userId: string; companyId: string } {
  if (!ctx.user) throw new VitrineError('UNAUTHENTICATED', 'Please sign in to order.');
  if (!ctx.user.company)
    throw new VitrineError('FORBIDDEN', 'Orders belong to a company; your account has none.');
  return { userId: ctx.user.id, companyId: ctx.user.company.id };
}

/** Checks and normalizes the buyer's checkout input; `today` is in the shop's time zone. */
export function checkoutRequest(
  input: {
    poNumber?: string | null;
    shippingAddressId?: string | null;
    requestedDeliveryDate?: string | null;
    note?: string | null;
    costCentre?: string | null;
  },
  today: string,
): CheckoutRequest {
  const text = (value: string | null | undefined) => {
    const t = value?.trim();
    return t ? t : null;
  };
  const poNumber = text(input.poNumber);
  if (poNumber && poNumber.length > MAX_PO)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'checkout.poTooLong',
      { max: MAX_PO },
      `A PO number has at most ${MAX_PO} characters.`,
      { argument: 'poNumber' },
    );
  const note = text(input.note);
  if (note && note.length > MAX_NOTE)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'checkout.noteTooLong',
      { max: MAX_NOTE },
      `A note has at most ${MAX_NOTE} characters.`,
      { argument: 'note' },
    );
  const date = text(input.requestedDeliveryDate);
  if (date !== null) {
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T00:00:00Z`) : null;
    if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.badDate',
        { date },
        `${date} is not a date; use YYYY-MM-DD.`,
        { argument: 'requestedDeliveryDate' },
      );
    const latest = new Date(`${today}T00:00:00Z`);
    latest.setUTCFullYear(latest.getUTCFullYear() + 1);
    if (date < today || parsed > latest)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.dateOutOfRange',
        { today, date },
        `The delivery date must be between today (${today}) and one year ahead; got ${date}.`,
        { argument: 'requestedDeliveryDate' },
      );
  }
  const addressId = text(input.shippingAddressId);
  if (addressId && !/^[0-9a-f-]{36}$/i.test(addressId))
    throw VitrineError.withMessage(
      'NOT_FOUND',
      'checkout.addressNotFound',
      { id: addressId },
      `${addressId} is not a ship-to address of your company.`,
      { argument: 'shippingAddressId' },
    );
  return {
    poNumber,
    shippingAddressId: addressId?.toLowerCase() ?? null,
    requestedDeliveryDate: date,
    note,
    costCentre: text(input.costCentre),
  };
}

/** Today in the tenant's time zone, as YYYY-MM-DD. */
export function tenantToday(ctx: TenantContext, at = new Date()): string {
  return localDate(at, ctx.tenant.timeZone);
}

/** Stored in customer_order.approval_reason (English, shown by the API as it is). */
const REQUISITIONER_REASON = 'Orders of requisitioners are approved by an approver of the company.';
const ABOVE_LIMIT_REASON =
  /^The order \((-?\d+(?:\.\d+)?) ([A-Z]{3}) excl\. VAT\) is above your spend limit of (-?\d+(?:\.\d+)?) [A-Z]{3}\.$/;

/**
 * The key and parameters of a stored approval reason, for pages in another language; null for a
 * text this code did not write. Orders store the English text (the API's `approvalReason`), so
 * the key is derived from it when an order is shown, amounts as minor units of the currency.
 */
export function approvalReasonRef(stored: string | null): MessageRef | null {
  if (!stored) return null;
  if (stored === REQUISITIONER_REASON) return { key: 'approval.requisitioner', params: {} };
  const above = ABOVE_LIMIT_REASON.exec(stored);
  if (!above) return null;
  const [, order, currency, limit] = above;
  return {
    key: 'approval.aboveLimit',
    params: {
      orderMinor: parseDecimal(order, currency),
      limitMinor: parseDecimal(limit, currency),
      currency,
    },
  };
}
