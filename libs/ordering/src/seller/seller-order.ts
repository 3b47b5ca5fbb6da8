import type { EntityManager } from 'typeorm';
import { minorFromDb } from '@vitrine/pricing';
import { CREATED_AT_TEXT } from './cursor';
import type { OrderStatusName } from './statuses';

/** Shipment tracking of an order, as the seller entered it. */
export interface OrderTracking {
  carrier: string;
  code: string;
  url: string | null;
}

/** An order as the seller sees it: lines, totals, who ordered, and every status change. */
export interface SellerOrder {
  id: string;
  number: string;
  status: OrderStatusName;
  tenant: { id: string; slug: string; name: string };
  company: { id: string; code: string; name: string };
  placedBy: { id: string; name: string; email: string };
  poNumber: string | null;
  note: string | null;
  costCentre: string | null;
  requestedDeliveryDate: string | null;
  currency: string;
  lines: SellerOrderLine[];
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
  creditReservedMinor: number;
  tracking: OrderTracking | null;
  invoiceNumber: string | null;
  statusHistory: SellerOrderStatusChange[];
  createdAt: Date;
  updatedAt: Date;
  /** The cursor key of the order (see cursor.ts). */
  createdKey: string;
}

export interface SellerOrderLine {
  lineNo: number;
  sku: string;
  name: string;
  quantity: number;
  unitMinor: number;
  netMinor: number;
  /** VAT percentage as stored, e.g. "21.0000". */
  taxRate: string;
  taxMinor: number;
  priceSource: string;
}

export interface SellerOrderStatusChange {
  status: string;
  note: string | null;
  changedBy: string | null;
  changedAt: Date;
}

/**
 * Loads orders by id with the caller's manager, in the order of `ids`. Ids are
 * installation-wide unique; in a tenant unit of work row-level security keeps it to that
 * tenant's orders.
 */
export async function loadSellerOrders(em: EntityManager, ids: string[]): Promise<SellerOrder[]> {
  if (ids.length === 0) return [];
  const rows = (await em.query(
    `SELECT o.*, t.slug AS tenant_slug, t.name AS tenant_name,
            c.code AS company_code, c.name AS company_name, u.name AS user_name, u.email AS user_email,
            to_char(o.requested_delivery_date, 'YYYY-MM-DD') AS delivery_date,
            ${CREATED_AT_TEXT('o')} AS created_key
       FROM customer_order o
       JOIN tenant t ON t.id = o.tenant_id
       JOIN company c ON c.tenant_id = o.tenant_id AND c.id = o.company_id
       JOIN app_user u ON u.tenant_id = o.tenant_id AND u.id = o.placed_by
      WHERE o.id = ANY($1::uuid[])`,
    [ids],
  )) as OrderRow[];
  const lines = (await em.query(
    `SELECT order_id, line_no, sku, name, quantity, unit_minor, net_minor, round(tax_rate, 2)::text AS tax_rate,
            tax_minor, price_source
       FROM order_line WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, line_no`,
    [ids],
  )) as LineRow[];
  const changes = (await em.query(
    `SELECT order_id, status, note, changed_by, changed_at
       FROM order_status_change WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, id`,
    [ids],
  )) as ChangeRow[];
  const linesOf = group(lines, (l) => l.order_id);
  const changesOf = group(changes, (c) => c.order_id);
  const byId = new Map(
    rows.map((o): [string, SellerOrder] => [
      o.id,
      {
        id: o.id,
        number: o.number,
        status: o.status,
        tenant: { id: o.tenant_id, slug: o.tenant_slug, name: o.tenant_name },
        company: { id: o.company_id, code: o.company_code, name: o.company_name },
        placedBy: { id: o.placed_by, name: o.user_name, email: o.user_email },
        poNumber: o.po_number,
        note: o.note,
        costCentre: o.cost_centre,
        requestedDeliveryDate: o.delivery_date,
        currency: o.currency,
        lines: (linesOf.get(o.id) ?? []).map((l) => ({
          lineNo: l.line_no,
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          unitMinor: minorFromDb(l.unit_minor),
          netMinor: minorFromDb(l.net_minor),
          taxRate: l.tax_rate,
          taxMinor: minorFromDb(l.tax_minor),
          priceSource: l.price_source,
        })),
        subtotalMinor: minorFromDb(o.subtotal_minor),
        shippingMinor: minorFromDb(o.shipping_minor),
        taxMinor: minorFromDb(o.tax_minor),
        totalMinor: minorFromDb(o.total_minor),
        creditReservedMinor: minorFromDb(o.credit_reserved_minor),
        tracking: o.tracking
          ? { carrier: o.tracking.carrier, code: o.tracking.code, url: o.tracking.url ?? null }
          : null,
        invoiceNumber: o.invoice_number,
        statusHistory: (changesOf.get(o.id) ?? []).map((c) => ({
          status: c.status,
          note: c.note,
          changedBy: c.changed_by,
          changedAt: new Date(c.changed_at),
        })),
        createdAt: new Date(o.created_at),
        updatedAt: new Date(o.updated_at),
        createdKey: o.created_key,
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row)) ?? [];
    list.push(row);
    map.set(key(row), list);
  }
  return map;
}

interface OrderRow {
  id: string;
  number: string;
  status: OrderStatusName;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  company_id: string;
  company_code: string;
  company_name: string;
  placed_by: string;
  user_name: string;
  user_email: string;
  po_number: string | null;
  note: string | null;
  cost_centre: string | null;
  delivery_date: string | null;
  currency: string;
  subtotal_minor: string;
  shipping_minor: string;
  tax_minor: string;
  total_minor: string;
  credit_reserved_minor: string;
  tracking: { carrier: string; code: string; url?: string | null } | null;
  invoice_number: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  created_key: string;
}

interface LineRow {
  order_id: string;
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  unit_minor: string;
  net_minor: string;
  tax_rate: string;
  tax_minor: string;
  price_source: string;
}

interface ChangeRow {
  order_id: string;
  status: string;
  note: string | null;
  changed_by: string | null;
  changed_at: string | Date;
}
