import type { EntityManager } from 'typeorm';
import { formatDecimal, minorFromDb } from '@vitrine/pricing';
import { edgeDate, edgeMs, encodePriceCursor, type Problem } from './price-input';
import type { AdminPriceConnectionType, AdminPriceListType } from './price-admin.types';

/* Rows of price lists and stored prices, and their mapping to the admin API's types. */

export interface ListRow {
  id: number;
  code: string;
  name: string;
  currency: string;
  f: string | null;
  u: string | null;
  tenants: Array<{ slug: string; currency: string }>;
  entry_count: number;
}

/** Tenant use and entry count: read in a maintenance unit (tenant_price_list is tenant-owned). */
export const LIST_SELECT = `
  SELECT pl.id, pl.code, pl.name, pl.currency, ${edgeMs('pl.valid_from')}::text AS f,
         ${edgeMs('pl.valid_until')}::text AS u,
         coalesce((SELECT json_agg(json_build_object('slug', t.slug, 'currency', t.currency) ORDER BY t.slug)
                     FROM tenant_price_list tpl JOIN tenant t ON t.id = tpl.tenant_id
                    WHERE tpl.price_list_id = pl.id), '[]') AS tenants,
         (SELECT count(*)::int FROM price_list_entry e WHERE e.price_list_id = pl.id) AS entry_count
    FROM price_list pl`;

export interface StoredPriceRow {
  sku: string;
  min_quantity: number;
  amount: string;
  f: string | null;
  u: string | null;
}

/** A page of stored prices (rows fetched with one extra to tell whether there is more). */
export function pricePage(
  rows: StoredPriceRow[],
  first: number,
  currency: string,
): AdminPriceConnectionType {
  const edges = rows.slice(0, first).map((r) => ({
    cursor: encodePriceCursor(r.sku, r.min_quantity, r.f === null ? null : Number(r.f)),
    node: {
      sku: r.sku,
      minQuantity: r.min_quantity,
      price: formatDecimal(minorFromDb(r.amount), currency),
      currency,
      validFrom: edgeDate(r.f),
      validUntil: edgeDate(r.u),
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

/** SKUs of `skus` that name no variant. */
export async function unknownSkus(em: EntityManager, skus: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(skus)];
  const found = (await em.query(`SELECT sku FROM variant WHERE sku = ANY($1::text[])`, [
    wanted,
  ])) as Array<{ sku: string }>;
  const known = new Set(found.map((f) => f.sku));
  return wanted.filter((s) => !known.has(s));
}

export function checkName(value: unknown, problems: Problem[]): string {
  const name = String(value ?? '').trim();
  if (!name || name.length > 200)
    problems.push({
      path: 'input.name',
      message: 'a price list needs a name (at most 200 characters)',
    });
  return name;
}

export function listState(r: ListRow): Record<string, unknown> {
  return {
    name: r.name,
    currency: r.currency.trim(),
    validFrom: r.f === null ? null : new Date(Number(r.f)).toISOString(),
    validUntil: r.u === null ? null : new Date(Number(r.u)).toISOString(),
  };
}

export function toPriceList(r: ListRow): AdminPriceListType {
  return {
    code: r.code,
    name: r.name,
    currency: r.currency.trim(),
    validFrom: edgeDate(r.f),
    validUntil: edgeDate(r.u),
    tenants: r.tenants.map((t) => t.slug),
    entryCount: r.entry_count,
  };
}
