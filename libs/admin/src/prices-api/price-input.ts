import { normalizeSku, type RowReject } from '@vitrine/catalog';
import type { EntityManager } from 'typeorm';
import { VitrineError } from '@vitrine/errors';
import {
  type PriceImporter,
  formatEdge,
  parseValidityEdge,
  priceKey,
  sqlInstant,
  validatePriceRow,
  type PriceDictionary,
  type PriceRow,
} from '@vitrine/pricing';
import type { AdminPriceInput, AdminPriceKeyInput } from './price-admin.types';

/*
 * Prices of the admin API as rows of the price import: an API price becomes the record a price
 * file would hold and is validated by the import's own `validatePriceRow`, so the API and
 * `vitrine import prices` cannot drift apart. Pure, no I/O.
 */

/** Prices (or keys) one call may carry; more belong in a price import job. */
export const MAX_PRICES_PER_CALL = 1000;

/** One thing wrong with the input, with the path of the argument it is in. */
export interface Problem {
  path: string;
  message: string;
}

/** Whose prices: a price list (by code) or a tenant's company (by slug and code). */
export type PriceOwner =
  { type: 'price_list'; code: string } | { type: 'contract'; tenant: string; company: string };

/** Import column → the API's field name. */
const FIELD: Record<string, string> = {
  sku: 'sku',
  amount: 'price',
  currency: 'currency',
  min_quantity: 'minQuantity',
  valid_from: 'validFrom',
  valid_until: 'validUntil',
};

/** BAD_USER_INPUT for a call with more than MAX_PRICES_PER_CALL prices or keys. */
export function checkCallSize(count: number, argument: 'prices' | 'keys'): void {
  if (count <= MAX_PRICES_PER_CALL) return;
  throw refusal(
    [
      {
        path: argument,
        message: `${count} ${argument} in one call; at most ${MAX_PRICES_PER_CALL}. Load larger sets with a price import job (POST /admin/imports/prices, or vitrine import prices <file>).`,
      },
    ],
    `Too many ${argument} in one call`,
  );
}

/** The record a price file would hold for this price (docs/import.md, "Prices"). */
function importRecord(p: AdminPriceInput, owner: PriceOwner): Record<string, unknown> {
  return {
    type: owner.type,
    sku: p.sku,
    amount: p.price,
    currency: p.currency ?? undefined,
    min_quantity: p.minQuantity ?? 1,
    ...(owner.type === 'price_list'
      ? { price_list: owner.code }
      : { tenant: owner.tenant, company: owner.company }),
    valid_from: p.validFrom ?? undefined,
    valid_until: p.validUntil ?? undefined,
  };
}

/**
 * Validates every price (all problems, not only the first) with the import's rules, and
 * refuses a key given twice in the call. Rows carry `line` = index + 1.
 */
export function validatePrices(
  prices: readonly AdminPriceInput[],
  owner: PriceOwner,
  dict: PriceDictionary,
): { rows: PriceRow[]; problems: Problem[] } {
  const rows: PriceRow[] = [];
  const problems: Problem[] = [];
  const keys = new Map<string, number>();
  prices.forEach((p, i) => {
    const v = validatePriceRow(importRecord(p, owner), i + 1, dict);
    if (!v.ok) {
      problems.push(...rejectProblems(v.rejects));
      return;
    }
    const key = priceKey(v.row);
    const first = keys.get(key);
    if (first !== undefined)
      problems.push({
        path: `prices[${i}]`,
        message: `the same key (sku, minQuantity, validFrom) as prices[${first}]`,
      });
    else {
      keys.set(key, i);
      rows.push(v.row);
    }
  });
  return { rows, problems };
}

/** The import's rejects (line = index + 1) as problems with API paths and words. */
export function rejectProblems(rejects: readonly RowReject[]): Problem[] {
  return rejects.map((r) => {
    const i = r.line - 1;
    let path: string;
    if (r.column === 'price_list') path = 'code';
    else if (r.column === 'tenant' || r.column === 'company') path = r.column;
    else if (r.column === '-') path = `prices[${i}]`;
    else path = `prices[${i}].${FIELD[r.column] ?? r.column}`;
    return { path, message: apiWords(r.reason) };
  });
}

/** The import's messages speak of columns and lines; the API's of fields and indexes. */
function apiWords(reason: string): string {
  return reason
    .replace(/\bvalid_from\b/g, 'validFrom')
    .replace(/\bvalid_until\b/g, 'validUntil')
    .replace(/\bmin_quantity\b/g, 'minQuantity')
    .replace(/on line (\d+)/g, (_, n: string) => `at prices[${Number(n) - 1}]`);
}

/** BAD_USER_INPUT listing the problems (the first few in the message, all in `problems`). */
export function refusal(problems: readonly Problem[], what = 'Refused'): VitrineError {
  const seen = new Set<string>();
  const unique = problems.filter((p) => {
    const k = `${p.path}\u0000${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const shown = unique.slice(0, 5).map((p) => `${p.path}: ${p.message}`);
  const more = unique.length > 5 ? `; and ${unique.length - 5} more (see extensions.problems)` : '';
  return VitrineError.badInput(`${what}: ${shown.join('; ')}${more}. Nothing was applied.`, {
    problems: unique,
    field: unique[0]?.path ?? null,
  });
}

/** A stored price's key, parsed: SKU, tier and the first instant (epoch ms, -Infinity open). */
export interface PriceKey {
  sku: string;
  minQuantity: number;
  from: number;
}

/** Keys to remove, read as the import reads them (validFrom a date in `zone` or a timestamp). */
export function parseKeys(
  keys: readonly AdminPriceKeyInput[],
  zone: string,
): { keys: PriceKey[]; problems: Problem[] } {
  const out = new Map<string, PriceKey>();
  const problems: Problem[] = [];
  keys.forEach((k, i) => {
    const sku = normalizeSku(k.sku);
    if (sku === '') problems.push({ path: `keys[${i}].sku`, message: 'SKU is required' });
    const minQuantity = k.minQuantity ?? 1;
    if (!Number.isInteger(minQuantity) || minQuantity < 1)
      problems.push({
        path: `keys[${i}].minQuantity`,
        message: `must be at least 1 (got ${minQuantity})`,
      });
    let from = -Infinity;
    const text = k.validFrom?.trim();
    if (text) {
      const ms = parseValidityEdge(text, 'from', zone);
      if (typeof ms === 'number') from = ms;
      else problems.push({ path: `keys[${i}].validFrom`, message: ms.error });
    }
    out.set(`${sku}\u0000${minQuantity}\u0000${from}`, { sku, minQuantity, from });
  });
  return { keys: [...out.values()], problems };
}

/** A key for the audit log and messages: `SKU ×tier from <instant|open>`. */
export function keyText(k: { sku: string; minQuantity: number; from: number }, zone: string) {
  return `${k.sku} ×${k.minQuantity} from ${formatEdge(k.from, zone)}`;
}

/** The first few keys of a bulk change, for the audit row (kept small). */
export function firstKeys(
  keys: ReadonlyArray<{ sku: string; minQuantity: number; from: number }>,
  zone: string,
): string[] {
  return keys.slice(0, 5).map((k) => keyText(k, zone));
}

// ---- paging --------------------------------------------------------------------------------

/** BAD_USER_INPUT unless 1 ≤ first ≤ max. */
export function checkFirst(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw VitrineError.badInput(`"first" must be between 1 and ${max}; got ${first}.`, {
      field: 'first',
    });
  return first;
}

export function encodeCodeCursor(code: string): string {
  return Buffer.from(code, 'utf8').toString('base64url');
}

export function decodeCodeCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!code)
    throw VitrineError.badInput('`after` is not a cursor of this list.', { field: 'after' });
  return code;
}

/** The position of a price in its list: SKU, tier, start (epoch ms; null = open). */
export function encodePriceCursor(sku: string, minQuantity: number, from: number | null): string {
  return Buffer.from(JSON.stringify([sku, minQuantity, from]), 'utf8').toString('base64url');
}

/** [sku, tier, start as a timestamptz literal] of a cursor; BAD_USER_INPUT if it is none. */
export function decodePriceCursor(cursor: string): [string, number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      typeof v[0] === 'string' &&
      Number.isInteger(v[1]) &&
      (v[2] === null || Number.isFinite(v[2]))
    )
      return [v[0], v[1] as number, sqlInstant(v[2] === null ? -Infinity : (v[2] as number))];
  } catch {
    // fall through
  }
  throw VitrineError.badInput('`after` is not a cursor of this list.', { field: 'after' });
}

/** Epoch ms of a stored edge as selected by EDGE_MS (text, null for ±infinity) → a Date or null. */
export function edgeDate(ms: string | number | null): Date | null {
  return ms === null ? null : new Date(Number(ms));
}

/** SQL: a timestamptz column as epoch ms, NULL when infinite (an open end). */
export function edgeMs(column: string): string {
  return `CASE WHEN isfinite(${column}) THEN (extract(epoch FROM ${column}) * 1000)::bigint END`;
}

/** What a set-prices call answers. */
export interface PriceWriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Writes validated rows with the import's writer in the caller's transaction, or refuses the
 * whole call (`what`: the refusal's opening words) with the writer's rejects as problems.
 */
export async function writePricesOrRefuse(
  importer: PriceImporter,
  em: EntityManager,
  rows: PriceRow[],
  what: string,
): Promise<{ result: PriceWriteCounts; tenantIds: string[] }> {
  if (rows.length === 0) return { result: { created: 0, updated: 0, unchanged: 0 }, tenantIds: [] };
  const { outcome, tenantIds } = await importer.writeRows(em, rows);
  if (outcome.rejects.length) throw refusal(rejectProblems(outcome.rejects), what);
  const { created, updated, unchanged } = outcome;
  return { result: { created, updated, unchanged }, tenantIds };
}
