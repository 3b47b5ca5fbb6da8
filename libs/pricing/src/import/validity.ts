import { DateTime } from 'luxon';

/**
 * Validity periods of imported prices: half-open intervals [from, until) of instants, held as
 * epoch milliseconds with ±Infinity for an open end (stored as ±infinity, see the pricing
 * migration).
 */
export interface Period {
  from: number;
  until: number;
}

/**
 * The installation's time zone: a price-list date such as `2027-01-01` begins at midnight here.
 * (Contract dates begin at midnight in the tenant's own `time_zone`.)
 */
export const INSTALLATION_TIME_ZONE = 'Europe/Amsterdam';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A timestamp with an explicit offset: `2027-01-01T00:00:00+01:00`, `…T23:00Z`. */
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Parsed texts per zone and edge: files repeat the same few dates on every row. */
const cache = new Map<string, number | string>();
const CACHE_LIMIT = 10_000;

/**
 * The instant a `valid_from` / `valid_until` text stands for, or a reason it stands for none.
 *
 * - A date `2027-01-01` is a whole day in `zone`: as `valid_from` its first instant (midnight),
 *   as `valid_until` the day is the last one the price applies, so the period ends at the next
 *   midnight (inclusive for people, half-open in storage).
 * - A timestamp with an offset is the exact instant; as `valid_until` it is exclusive.
 */
export function parseValidityEdge(
  text: string,
  edge: 'from' | 'until',
  zone: string,
): number | { error: string } {
  const key = `${zone}\u0000${edge}\u0000${text}`;
  let parsed = cache.get(key);
  if (parsed === undefined) {
    parsed = parseUncached(text, edge, zone);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, parsed);
  }
  return typeof parsed === 'number' ? parsed : { error: parsed };
}

function parseUncached(text: string, edge: 'from' | 'until', zone: string): number | string {
  if (DATE.test(text)) {
    const day = DateTime.fromISO(text, { zone });
    if (!day.isValid)
      return day.invalidReason === 'unsupported zone'
        ? `unknown time zone "${zone}"`
        : `"${text}" is not a calendar date`;
    return (edge === 'from' ? day.startOf('day') : day.startOf('day').plus({ days: 1 })).toMillis();
  }
  if (TIMESTAMP.test(text)) {
    const instant = DateTime.fromISO(text, { setZone: true });
    if (!instant.isValid) return `"${text}" is not a valid timestamp`;
    return instant.toMillis();
  }
  return `"${text}" is not a date (2027-01-01) or a timestamp with an offset (2027-01-01T00:00:00+01:00)`;
}

/** A validity edge that could not be read, or a period that is empty. */
export interface PeriodProblem {
  edge: 'from' | 'until';
  reason: string;
}

/**
 * A validity period from its two texts (either absent: open end), read as `parseValidityEdge`
 * does, in `zone`; a period that ends before or when it begins is a problem of `until`. The one
 * rule for the price import and the admin API.
 */
export function parsePeriod(
  fromText: string | undefined,
  untilText: string | undefined,
  zone: string,
): { period: Period; problems: PeriodProblem[] } {
  const period: Period = { from: -Infinity, until: Infinity };
  const problems: PeriodProblem[] = [];
  for (const [text, edge] of [
    [fromText, 'from'],
    [untilText, 'until'],
  ] as const) {
    if (text === undefined) continue;
    const ms = parseValidityEdge(text, edge, zone);
    if (typeof ms === 'number') period[edge] = ms;
    else problems.push({ edge, reason: ms.error });
  }
  if (problems.length === 0 && period.until <= period.from)
    problems.push({
      edge: 'until',
      reason: `must be after valid_from: ${formatPeriod(period, zone)} is empty (a date as valid_until is the last day the price applies)`,
    });
  return { period, problems };
}

/** Two periods share an instant. */
export function overlaps(a: Period, b: Period): boolean {
  return a.from < b.until && b.from < a.until;
}

/** An instant for people, in `zone`; an open end as `open`. */
export function formatEdge(ms: number, zone: string): string {
  if (!Number.isFinite(ms)) return 'open';
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? String(ms);
}

export function formatPeriod(p: Period, zone: string): string {
  return `[${formatEdge(p.from, zone)}, ${formatEdge(p.until, zone)})`;
}

const literals = new Map<number, string>();

/** An instant as a PostgreSQL timestamptz literal (a batch repeats the same few). */
export function sqlInstant(ms: number): string {
  if (ms === Infinity) return 'infinity';
  if (ms === -Infinity) return '-infinity';
  let s = literals.get(ms);
  if (s === undefined) {
    s = new Date(ms).toISOString();
    if (literals.size >= CACHE_LIMIT) literals.clear();
    literals.set(ms, s);
  }
  return s;
}
