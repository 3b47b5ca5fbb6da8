import type { EntityManager } from 'typeorm';
import { VitrineError } from '@vitrine/errors';
import { minorFromDb } from '@vitrine/pricing';
import type { Role, TenantContext } from '@vitrine/tenancy';
import type { StoredVat } from './documents';

export interface OrderLineView {
  sku: string;
  name: string;
  quantity: number;
  unitMinor: number;
  netMinor: number;
}

/** A stored order as the storefront shows it. */
export interface OrderView {
  id: string;
  number: string;
  status: string;
  poNumber: string | null;
  note: string | null;
  costCentre: string | null;
  requestedDeliveryDate: string | null;
  shipTo: { name: string; street: string; postalCode: string; city: string; country: string };
  currency: string;
  lines: OrderLineView[];
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  vat: StoredVat;
  placedBy: {
    id: string;
    name: string;
    email: string;
    roles: Role[];
    canSeePrices: boolean;
    companyName: string;
  };
  approvalReason: string | null;
  rejectionReason: string | null;
  decidedBy: string | null;
  tracking: { carrier: string; code: string; url?: string | null } | null;
  invoiceNumber: string | null;
  paymentTerms: { method: string; netDays: number } | null;
  createdAt: Date;
  history: Array<{ status: string; at: Date; note: string | null }>;
}

/** (created_at, id) of the last order of a page, opaque to clients. */
export interface TimeCursor {
  at: string;
  id: string;
}

export function encodeTimeCursor(c: TimeCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id]), 'utf8').toString('base64url');
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at)))
      return { at, id };
  } catch {
    // fall through
  }
  throw VitrineError.badInput('The cursor is not valid; start again without `after`.', {
    argument: 'after',
  });
}

const ORDER_SELECT = `SELECT o.id, o.number, o.status, o.po_number, o.note, o.cost_centre,
    to_char(o.requested_delivery_date, 'YYYY-MM-DD') AS delivery_date, o.ship_to, o.currency,
    o.subtotal_minor, o.shipping_minor, o.tax_minor, o.total_minor, o.vat, o.approval_reason,
    o.rejection_reason, o.tracking, o.invoice_number, o.payment_terms, o.created_at,
    to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
    u.id AS user_id, u.name AS user_name, u.email AS user_email, u.roles AS user_roles,
    u.can_see_prices AS user_sees_prices, c.name AS company_name, d.name AS decided_by
  FROM customer_order o
  JOIN app_user u ON u.tenant_id = o.tenant_id AND u.id = o.placed_by
  JOIN company c ON c.tenant_id = o.tenant_id AND c.id = o.company_id
  LEFT JOIN app_user d ON d.tenant_id = o.tenant_id AND d.id = o.decided_by`;

/**
 * Reads orders for the storefront, always within the caller's company: a user sees the
 * company's orders when a role grants VIEW_COMPANY_ORDERS, otherwise only their own. An order
 * of another company or tenant is simply not found.
 */
export class OrderReader {
  constructor(private readonly em: EntityManager) {}

  async byNumber(ctx: TenantContext, number: string, ownOnly: boolean): Promise<OrderView | null> {
    const { sql, params } = scope(ctx, ownOnly);
    const rows = (await this.em.query(`${ORDER_SELECT} WHERE ${sql} AND o.number = $4`, [
      ...params,
      number,
    ])) as OrderRow[];
    return (await this.views(ctx, rows))[0] ?? null;
  }

  async byId(ctx: TenantContext, id: string): Promise<OrderView> {
    const rows = (await this.em.query(`${ORDER_SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [
      ctx.tenantId,
      id,
    ])) as OrderRow[];
    const [view] = await this.views(ctx, rows);
    if (!view) throw new Error(`Order ${id} not found in its own unit of work`);
    return view;
  }

  /** Newest first; `status` narrows (e.g. PENDING_APPROVAL for approvers). */
  async page(
    ctx: TenantContext,
    ownOnly: boolean,
    first: number,
    after: TimeCursor | null,
    status: string | null,
  ): Promise<{ views: OrderView[]; cursors: string[]; hasNextPage: boolean }> {
    const { sql, params } = scope(ctx, ownOnly);
    const rows = (await this.em.query(
      `${ORDER_SELECT}
       WHERE ${sql}
         AND ($4::text IS NULL OR o.status = $4)
         AND ($5::timestamptz IS NULL OR (o.created_at, o.id) < ($5::timestamptz, $6::uuid))
       ORDER BY o.created_at DESC, o.id DESC
       LIMIT $7`,
      [...params, status, after?.at ?? null, after?.id ?? null, first + 1],
    )) as OrderRow[];
    const page = rows.slice(0, first);
    return {
      views: await this.views(ctx, page),
      cursors: page.map((r) => encodeTimeCursor({ at: r.created_key, id: r.id })),
      hasNextPage: rows.length > first,
    };
  }

  private async views(ctx: TenantContext, rows: OrderRow[]): Promise<OrderView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const lines = (await this.em.query(
      `SELECT order_id, sku, name, quantity, unit_minor, net_minor FROM order_line
        WHERE tenant_id = $1 AND order_id = ANY($2::uuid[]) ORDER BY order_id, line_no`,
      [ctx.tenantId, ids],
    )) as Array<{
      order_id: string;
      sku: string;
      name: string;
      quantity: number;
      unit_minor: string;
      net_minor: string;
    }>;
    const history = (await this.em.query(
      `SELECT order_id, status, note, changed_at FROM order_status_change
        WHERE tenant_id = $1 AND order_id = ANY($2::uuid[]) ORDER BY order_id, id`,
      [ctx.tenantId, ids],
    )) as Array<{ order_id: string; status: string; note: string | null; changed_at: Date }>;
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      poNumber: r.po_number,
      note: r.note,
      costCentre: r.cost_centre,
      requestedDeliveryDate: r.delivery_date,
      shipTo: r.ship_to,
      currency: r.currency.trim(),
      lines: lines
        .filter((l) => l.order_id === r.id)
        .map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          unitMinor: minorFromDb(l.unit_minor),
          netMinor: minorFromDb(l.net_minor),
        })),
      subtotalMinor: minorFromDb(r.subtotal_minor),
      shippingMinor: minorFromDb(r.shipping_minor),
      taxMinor: minorFromDb(r.tax_minor),
      totalMinor: minorFromDb(r.total_minor),
      vat: r.vat,
      placedBy: {
        id: r.user_id,
        name: r.user_name,
        email: r.user_email,
        roles: r.user_roles,
        canSeePrices: r.user_sees_prices,
        companyName: r.company_name,
      },
      approvalReason: r.approval_reason,
      rejectionReason: r.rejection_reason,
      decidedBy: r.decided_by,
      tracking: r.tracking,
      invoiceNumber: r.invoice_number,
      paymentTerms: r.payment_terms,
      createdAt: new Date(r.created_at),
      history: history
        .filter((h) => h.order_id === r.id)
        .map((h) => ({ status: h.status, at: new Date(h.changed_at), note: h.note })),
    }));
  }
}

/** The caller's company, and only their own orders when `ownOnly`. */
function scope(ctx: TenantContext, ownOnly: boolean): { sql: string; params: unknown[] } {
  const company = ctx.user?.company;
  if (!ctx.user || !company)
    throw new VitrineError('FORBIDDEN', 'Orders belong to a company; your account has none.');
  return {
    sql: `o.tenant_id = $1 AND o.company_id = $2 AND ($3::uuid IS NULL OR o.placed_by = $3)`,
    params: [ctx.tenantId, company.id, ownOnly ? ctx.user.id : null],
  };
}

interface OrderRow {
  id: string;
  number: string;
  status: string;
  po_number: string | null;
  note: string | null;
  cost_centre: string | null;
  delivery_date: string | null;
  ship_to: OrderView['shipTo'];
  currency: string;
  subtotal_minor: string;
  shipping_minor: string;
  tax_minor: string;
  total_minor: string;
  vat: StoredVat;
  approval_reason: string | null;
  rejection_reason: string | null;
  tracking: OrderView['tracking'];
  invoice_number: string | null;
  payment_terms: OrderView['paymentTerms'];
  created_at: Date | string;
  created_key: string;
  user_id: string;
  user_name: string;
  user_email: string;
  user_roles: Role[];
  user_sees_prices: boolean;
  company_name: string;
  decided_by: string | null;
}
