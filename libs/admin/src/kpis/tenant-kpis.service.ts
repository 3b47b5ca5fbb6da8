import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { minorFromDb, roundHalfUp } from '@vitrine/pricing';
import { TenantDirectory, type TenantSnapshot } from '@vitrine/tenancy';
import { kpiPeriod, share, type KpiGranularity } from './kpi-period';

/**
 * Order statuses that count as an online order: it reached the seller and was not undone.
 * PENDING_APPROVAL (not yet placed), REJECTED (never placed) and CANCELLED (undone) do not.
 */
export const COUNTED_ORDER_STATUSES = ['PLACED', 'CONFIRMED', 'SHIPPED', 'INVOICED'] as const;

/** One bar of the chart: a local day (or Monday-first week) of the tenant's time zone. */
export interface KpiBucket {
  /** The local date the bucket starts on, YYYY-MM-DD. */
  readonly date: string;
  /** The instant of local midnight that starts it, and of the next bucket's start. */
  readonly start: Date;
  readonly end: Date;
  readonly orderCount: number;
  readonly revenueMinor: number;
}

/** A tenant's KPIs over a period (see docs/admin-api.md, "KPIs", for every definition). */
export interface TenantKpis {
  readonly tenant: TenantSnapshot;
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
  readonly currency: string;
  readonly granularity: KpiGranularity;
  readonly orderCount: number;
  /** Counted orders in another currency than the tenant's: in orderCount, not in revenue. */
  readonly otherCurrencyOrderCount: number;
  readonly revenueMinor: number;
  readonly averageOrderValueMinor: number | null;
  readonly orderingCompanies: number;
  readonly repeatCompanies: number;
  readonly orderingUsers: number;
  readonly repeatUsers: number;
  readonly companyRepeatPurchaseRate: number | null;
  readonly userRepeatPurchaseRate: number | null;
  readonly quotesOffered: number;
  readonly quotesAccepted: number;
  readonly quoteConversionRate: number | null;
  readonly ordersSubmitted: number;
  readonly ordersNeedingApproval: number;
  readonly approvalShare: number | null;
  readonly series: KpiBucket[];
}

type Count = string | number;

interface OrderRow {
  order_count: Count;
  own_currency_count: Count;
  revenue_minor: Count;
  companies: Count;
  repeat_companies: Count;
  users: Count;
  repeat_users: Count;
  submitted: Count;
  needed_approval: Count;
}

// Shared by the summary and the series: the counted orders of the period, with their net value.
// `total_minor - tax_minor` is the order excluding VAT: its lines plus its shipping.
const COUNTED_ORDERS = `
  SELECT o.company_id, o.placed_by, o.created_at, o.currency, o.total_minor - o.tax_minor AS net_minor
    FROM customer_order o
   WHERE o.tenant_id = $1 AND o.created_at >= $2 AND o.created_at < $3
     AND o.status = ANY($4::text[])`;

/**
 * KPIs of one tenant over a period, computed in SQL in the tenant's own unit of work (row-level
 * security applies as on every tenant path) over the (tenant_id, created_at) and
 * (tenant_id, offered_at) indexes. Money is summed in integer minor units in the tenant's
 * currency; the chart buckets are local days or weeks of the tenant's time zone, so a day with a
 * DST change is 23 or 25 hours long and every order lands on the date its buyer saw.
 */
@Injectable()
export class TenantKpisService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenants: TenantDirectory,
  ) {}

  /** NOT_FOUND for an unknown slug; BAD_USER_INPUT for an empty or over-long period. */
  async compute(slug: string, from: Date, to: Date): Promise<TenantKpis> {
    const period = kpiPeriod(from, to);
    const tenant = await this.tenants.findBySlug(slug.trim().toLowerCase());
    if (!tenant) throw VitrineError.notFound(`There is no tenant "${slug}".`);
    const { currency, timeZone } = tenant;
    const params = [tenant.id, period.from, period.to, [...COUNTED_ORDER_STATUSES]];
    return this.db.run({ tenantId: tenant.id }, async (em) => {
      const o = await this.orderSummary(em, params, currency);
      const q = await this.quoteSummary(em, tenant.id, period.from, period.to);
      const series = await this.series(em, params, currency, timeZone, period.granularity);
      const revenueMinor = minorFromDb(o.revenue_minor);
      const ownCurrencyCount = Number(o.own_currency_count);
      const orderCount = Number(o.order_count);
      const [companies, repeatCompanies] = [Number(o.companies), Number(o.repeat_companies)];
      const [users, repeatUsers] = [Number(o.users), Number(o.repeat_users)];
      const [submitted, neededApproval] = [Number(o.submitted), Number(o.needed_approval)];
      return {
        tenant,
        from: period.from,
        to: period.to,
        timeZone,
        currency,
        granularity: period.granularity,
        orderCount,
        otherCurrencyOrderCount: orderCount - ownCurrencyCount,
        revenueMinor,
        // Rounded half up to the minor unit (amounts are never negative).
        averageOrderValueMinor:
          ownCurrencyCount === 0
            ? null
            : Number(roundHalfUp(BigInt(revenueMinor), BigInt(ownCurrencyCount))),
        orderingCompanies: companies,
        repeatCompanies,
        orderingUsers: users,
        repeatUsers,
        companyRepeatPurchaseRate: share(repeatCompanies, companies),
        userRepeatPurchaseRate: share(repeatUsers, users),
        quotesOffered: q.offered,
        quotesAccepted: q.accepted,
        quoteConversionRate: share(q.accepted, q.offered),
        ordersSubmitted: submitted,
        ordersNeedingApproval: neededApproval,
        approvalShare: share(neededApproval, submitted),
        series,
      };
    });
  }

  private async orderSummary(
    em: EntityManager,
    params: unknown[],
    currency: string,
  ): Promise<OrderRow> {
    // Approval: every order submitted in the period, whatever its status now. It needed approval
    // if its history starts PENDING_APPROVAL (nothing moves an order back there); the current
    // status covers rows without history (REJECTED is reachable from PENDING_APPROVAL only).
    const [row] = (await em.query(
      `WITH counted AS (${COUNTED_ORDERS}),
            submitted AS (
              SELECT o.id, o.status FROM customer_order o
               WHERE o.tenant_id = $1 AND o.created_at >= $2 AND o.created_at < $3)
       SELECT
         (SELECT count(*) FROM counted) AS order_count,
         (SELECT count(*) FROM counted WHERE currency = $5) AS own_currency_count,
         (SELECT coalesce(sum(net_minor), 0) FROM counted WHERE currency = $5) AS revenue_minor,
         (SELECT count(DISTINCT company_id) FROM counted) AS companies,
         (SELECT count(*) FROM (SELECT 1 FROM counted GROUP BY company_id HAVING count(*) > 1) r)
           AS repeat_companies,
         (SELECT count(DISTINCT placed_by) FROM counted) AS users,
         (SELECT count(*) FROM (SELECT 1 FROM counted GROUP BY placed_by HAVING count(*) > 1) r)
           AS repeat_users,
         (SELECT count(*) FROM submitted) AS submitted,
         (SELECT count(*) FROM submitted s
           WHERE s.status IN ('PENDING_APPROVAL', 'REJECTED')
              OR EXISTS (SELECT 1 FROM order_status_change c
                          WHERE c.tenant_id = $1 AND c.order_id = s.id
                            AND c.status = 'PENDING_APPROVAL')) AS needed_approval`,
      [...params, currency],
    )) as OrderRow[];
    return row;
  }

  /**
   * The cohort is the quotes whose offer was made in the period (a re-offer moves `offered_at`,
   * so a quote counts once, in the period of its latest offer); converted are those of them
   * accepted as an order by now, whenever that happened.
   */
  private async quoteSummary(
    em: EntityManager,
    tenantId: string,
    from: Date,
    to: Date,
  ): Promise<{ offered: number; accepted: number }> {
    const [row] = (await em.query(
      `SELECT count(*) AS offered, count(*) FILTER (WHERE q.status = 'ACCEPTED') AS accepted
         FROM quote q
        WHERE q.tenant_id = $1 AND q.offered_at >= $2 AND q.offered_at < $3`,
      [tenantId, from, to],
    )) as Array<{ offered: Count; accepted: Count }>;
    return { offered: Number(row.offered), accepted: Number(row.accepted) };
  }

  /**
   * Every local day (or week) the period touches, empty ones included, oldest first. Buckets
   * are built in local wall-clock time (where every day is 24 hours) and only then turned into
   * instants with the tenant's zone rules: the DST days come out 23 and 25 hours long.
   * The first and last bucket may reach outside the period; only orders inside it count.
   */
  private async series(
    em: EntityManager,
    params: unknown[],
    currency: string,
    timeZone: string,
    granularity: KpiGranularity,
  ): Promise<KpiBucket[]> {
    const unit = granularity === 'DAY' ? 'day' : 'week';
    const rows = (await em.query(
      `WITH per AS (
              SELECT date_trunc($6, c.created_at AT TIME ZONE $5) AS local_start,
                     count(*) AS order_count,
                     coalesce(sum(c.net_minor) FILTER (WHERE c.currency = $7), 0) AS revenue_minor
                FROM (${COUNTED_ORDERS}) c
               GROUP BY 1),
            buckets AS (
              SELECT b AS local_start, b + ('1 ' || $6)::interval AS local_end
                FROM generate_series(
                       date_trunc($6, $2::timestamptz AT TIME ZONE $5),
                       date_trunc($6, ($3::timestamptz - interval '1 microsecond') AT TIME ZONE $5),
                       ('1 ' || $6)::interval) b)
       SELECT to_char(b.local_start, 'YYYY-MM-DD') AS date,
              b.local_start AT TIME ZONE $5 AS start, b.local_end AT TIME ZONE $5 AS "end",
              coalesce(p.order_count, 0) AS order_count, coalesce(p.revenue_minor, 0) AS revenue_minor
         FROM buckets b LEFT JOIN per p ON p.local_start = b.local_start
        ORDER BY b.local_start`,
      [...params, timeZone, unit, currency],
    )) as Array<{
      date: string;
      start: Date | string;
      end: Date | string;
      order_count: Count;
      revenue_minor: Count;
    }>;
    return rows.map((r) => ({
      date: r.date,
      start: new Date(r.start),
      end: new Date(r.end),
      orderCount: Number(r.order_count),
      revenueMinor: minorFromDb(r.revenue_minor),
    }));
  }
}
