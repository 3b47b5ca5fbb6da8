import type { AttributeFilter } from '@vitrine/catalog';
import { VitrineError } from '@vitrine/errors';

/** Query parameters as Fastify parses them: repeated names arrive as arrays. */
export type QueryParams = Record<string, string | string[] | undefined>;

/**
 * Attribute filters travel in the URL so a filtered listing is a plain GET form, bookmarkable
 * and usable without JavaScript: `f.<code>=<value>` (repeatable) for TEXT/ENUM values or exact
 * numbers, `min.<code>` / `max.<code>` for NUMBER ranges. The prefixes keep attribute codes out
 * of the way of the page's own parameters (`q`, `after`, `lang`).
 */
export const VALUE_PREFIX = 'f.';
export const MIN_PREFIX = 'min.';
export const MAX_PREFIX = 'max.';

/** Repeated query parameters arrive as arrays; a page takes the first of each. */
export function firstParam(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v == null || v === '' ? null : v;
}

/**
 * The attribute filters of a listing URL, in a stable order (by code). Empty values (an empty
 * range box of the filter form) are ignored; a range bound that is not a number is the
 * visitor's error (400), as the catalog's own checks (unknown attribute, too many values) are.
 */
export function parseFilters(query: QueryParams): AttributeFilter[] {
  const byCode = new Map<string, AttributeFilter>();
  const filter = (code: string) => {
    let f = byCode.get(code);
    if (!f) byCode.set(code, (f = { code }));
    return f;
  };
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).filter(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    if (values.length === 0) continue;
    if (key.startsWith(VALUE_PREFIX) && key.length > VALUE_PREFIX.length) {
      const f = filter(key.slice(VALUE_PREFIX.length));
      f.values = [...new Set([...(f.values ?? []), ...values])];
    } else if (key.startsWith(MIN_PREFIX) && key.length > MIN_PREFIX.length) {
      filter(key.slice(MIN_PREFIX.length)).min = bound(key, values[0]);
    } else if (key.startsWith(MAX_PREFIX) && key.length > MAX_PREFIX.length) {
      filter(key.slice(MAX_PREFIX.length)).max = bound(key, values[0]);
    }
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function bound(key: string, text: string): number {
  // Buyers in nl type a decimal comma.
  const n = Number(text.trim().replace(',', '.'));
  if (!Number.isFinite(n))
    throw VitrineError.badInput(`“${text}” is not a number (${key}).`, { argument: key });
  return n;
}

/** The query string of a listing with these filters (and search, cursor), or '' for none. */
export function listingQuery(params: {
  q?: string | null;
  filters?: readonly AttributeFilter[];
  after?: string | null;
}): string {
  const qs = new URLSearchParams();
  if (params.q) qs.set('q', params.q);
  for (const f of params.filters ?? []) {
    for (const v of f.values ?? []) qs.append(VALUE_PREFIX + f.code, v);
    if (f.min != null) qs.set(MIN_PREFIX + f.code, String(f.min));
    if (f.max != null) qs.set(MAX_PREFIX + f.code, String(f.max));
  }
  if (params.after) qs.set('after', params.after);
  const s = qs.toString();
  return s ? `?${s}` : '';
}
