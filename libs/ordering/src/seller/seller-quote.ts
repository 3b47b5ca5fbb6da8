import type { EntityManager } from 'typeorm';
import { minorFromDb } from '@vitrine/pricing';
import { CREATED_AT_TEXT } from './cursor';
import type { QuoteStatusName } from './statuses';

/** A quote as the seller sees it: across tenants, with the prices offered so far. */
export interface SellerQuote {
  id: string;
  number: string;
  status: QuoteStatusName;
  tenant: { id: string; slug: string; name: string };
  /** Null for an anonymous prospect. */
  company: { id: string; name: string } | null;
  contactEmail: string;
  note: string | null;
  currency: string;
  lines: SellerQuoteLine[];
  validUntil: Date | null;
  offeredAt: Date | null;
  createdAt: Date;
  /** The cursor key of the quote (see cursor.ts). */
  createdKey: string;
  /** The order the quote became, once accepted. */
  orderNumber: string | null;
}

export interface SellerQuoteLine {
  lineNo: number;
  sku: string;
  name: string;
  quantity: number;
  /** Null until the seller offers a price. */
  offeredUnitMinor: number | null;
}

/**
 * Loads quotes by id with the caller's manager (a tenant unit of work or a maintenance one),
 * in the order of `ids`. Ids are installation-wide unique; row-level security still limits a
 * tenant unit of work to its own tenant.
 */
export async function loadSellerQuotes(em: EntityManager, ids: string[]): Promise<SellerQuote[]> {
  if (ids.length === 0) return [];
  const rows = (await em.query(
    `SELECT q.id, q.number, q.status, q.tenant_id, t.slug AS tenant_slug, t.name AS tenant_name,
            q.company_id, c.name AS company_name, q.contact_email, q.note, q.currency,
            q.valid_until, q.offered_at, q.created_at, ${CREATED_AT_TEXT('q')} AS created_key,
            o.number AS order_number
       FROM quote q
       JOIN tenant t ON t.id = q.tenant_id
       LEFT JOIN company c ON c.tenant_id = q.tenant_id AND c.id = q.company_id
       LEFT JOIN customer_order o ON o.tenant_id = q.tenant_id AND o.id = q.order_id
      WHERE q.id = ANY($1::uuid[])`,
    [ids],
  )) as QuoteRow[];
  const lines = (await em.query(
    `SELECT quote_id, line_no, sku, name, quantity, offered_unit_minor
       FROM quote_line WHERE quote_id = ANY($1::uuid[]) ORDER BY quote_id, line_no`,
    [ids],
  )) as LineRow[];
  const byQuote = new Map<string, SellerQuoteLine[]>();
  for (const l of lines) {
    const list = byQuote.get(l.quote_id) ?? [];
    list.push({
      lineNo: l.line_no,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      offeredUnitMinor: l.offered_unit_minor === null ? null : minorFromDb(l.offered_unit_minor),
    });
    byQuote.set(l.quote_id, list);
  }
  const byId = new Map(
    rows.map((q): [string, SellerQuote] => [
      q.id,
      {
        id: q.id,
        number: q.number,
        status: q.status,
        tenant: { id: q.tenant_id, slug: q.tenant_slug, name: q.tenant_name },
        company: q.company_id ? { id: q.company_id, name: q.company_name ?? '' } : null,
        contactEmail: q.contact_email,
        note: q.note,
        currency: q.currency,
        lines: byQuote.get(q.id) ?? [],
        validUntil: q.valid_until ? new Date(q.valid_until) : null,
        offeredAt: q.offered_at ? new Date(q.offered_at) : null,
        createdAt: new Date(q.created_at),
        createdKey: q.created_key,
        orderNumber: q.order_number,
      },
    ]),
  );
  return ids.flatMap((id) => byId.get(id) ?? []);
}

interface QuoteRow {
  id: string;
  number: string;
  status: QuoteStatusName;
  tenant_id: string;
  tenant_slug: string;
  tenant_name: string;
  company_id: string | null;
  company_name: string | null;
  contact_email: string;
  note: string | null;
  currency: string;
  valid_until: string | Date | null;
  offered_at: string | Date | null;
  created_at: string | Date;
  created_key: string;
  order_number: string | null;
}

interface LineRow {
  quote_id: string;
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  offered_unit_minor: string | null;
}
