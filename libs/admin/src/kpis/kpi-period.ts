import { VitrineError } from '@vitrine/errors';

/** How the chart series is bucketed: days, or (ISO, Monday-first) weeks for long periods. */
export type KpiGranularity = 'DAY' | 'WEEK';

/** A validated KPI period: instants, half-open [from, to). */
export interface KpiPeriod {
  readonly from: Date;
  readonly to: Date;
  readonly granularity: KpiGranularity;
}

/** Periods up to this many days are charted per day; longer ones per week (≤ 93 bars either way). */
export const DAILY_MAX_DAYS = 92;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Checks a KPI period and picks the chart granularity. `from` and `to` are instants (the API's
 * DateTime); the period is [from, to). At most two calendar years (UTC) long, so one query never
 * scans a tenant's whole history and the weekly series stays chartable.
 */
export function kpiPeriod(from: Date, to: Date): KpiPeriod {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
    throw VitrineError.badInput('from and to must be valid date-times.');
  if (from.getTime() >= to.getTime())
    throw VitrineError.badInput('The period is empty: from must be before to.', {
      from: from.toISOString(),
      to: to.toISOString(),
    });
  const limit = new Date(from.getTime());
  limit.setUTCFullYear(limit.getUTCFullYear() + 2);
  if (to.getTime() > limit.getTime())
    throw VitrineError.badInput('The period is longer than two years.', {
      from: from.toISOString(),
      to: to.toISOString(),
      latestTo: limit.toISOString(),
    });
  const granularity = to.getTime() - from.getTime() <= DAILY_MAX_DAYS * DAY_MS ? 'DAY' : 'WEEK';
  return { from, to, granularity };
}

/** A share as a fraction 0 … 1, or null when nothing could be counted (no division by zero). */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
