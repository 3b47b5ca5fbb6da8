import { Injectable } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { kpiSeriesBars, renderBarChart } from '../kpis/bar-chart';
import { TenantKpisService } from '../kpis/tenant-kpis.service';
import { TenantAdminService } from '../tenants-api/tenant-admin.service';
import { TenantStatusEnum } from '../tenants-api/tenant-status';
import { adminMoney } from './admin-format';
import { ADMIN_PAGES } from './admin-page-paths';
import { addDays, isDate, localMidnight, localToday } from './local-dates';
import { pageHref, statusFilter } from './page-query';
import { tenantNav, type TenantNavItem } from './tenant-nav';

const TENANT_STATUSES = Object.values(TenantStatusEnum);

/** Days shown when the KPI page is opened without dates. */
export const DEFAULT_KPI_DAYS = 30;
/** Tenants per page of the list. */
export const TENANTS_PER_PAGE = 100;

/** A tenant's domain on the list: the primary one links to the site. */
export interface TenantDomainView {
  name: string;
  /** The site's address (the admin host's scheme and port), for the primary domain only. */
  href: string | null;
}

export interface TenantListView {
  tenants: Array<{
    slug: string;
    name: string;
    status: string;
    domains: TenantDomainView[];
    href: string;
  }>;
  /** The status filter's choices, with the number of tenants the admin may see in each. */
  statuses: Array<{ value: string; label: string; count: number; selected: boolean }>;
  status: string | null;
  total: number;
  /** How many tenants the filter matches (all pages). */
  matching: number;
  nextHref: string | null;
  /** Back to the first page, when on a later one. */
  firstHref: string | null;
}

/** The site of a domain, seen from the admin page: `protocol` and `port` of the admin host. */
export interface SiteAddress {
  protocol: string;
  port: string | null;
}

export interface KpiFigure {
  label: string;
  value: string;
  /** What the figure counts, in words (docs/admin-api.md, "KPIs"). */
  hint: string;
}

export interface TenantKpiView {
  slug: string;
  name: string;
  status: string;
  timeZone: string;
  currency: string;
  /** The form's dates: local days of the tenant, both included. */
  from: string;
  to: string;
  granularity: string;
  nav: TenantNavItem[];
  figures: KpiFigure[];
  /** SVG from renderBarChart: every data text in it is escaped there. */
  ordersChart: string;
  revenueChart: string;
}

const percent = (rate: number | null) =>
  rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)} %`;

/**
 * What the admin pages show, built from the same services and the same admin policy as the
 * admin API: the tenant list is TenantAdminService.list (an account manager sees their own
 * tenants), the KPI page goes through AdminGate (FORBIDDEN and audited for a tenant outside
 * the admin's scope) and TenantKpisService. The controller only renders.
 */
@Injectable()
export class AdminPagesService {
  constructor(
    private readonly tenants: TenantAdminService,
    private readonly gate: AdminGate,
    private readonly kpis: TenantKpisService,
    private readonly db: TenantDb,
  ) {}

  /**
   * The tenants `admin` may see, by slug, a page at a time (TenantAdminService.list and its
   * cursor), optionally of one status; with the count per status (one grouped query over the
   * admin's tenants). BAD_USER_INPUT for an unknown status or a cursor not of this list.
   */
  async tenantList(
    admin: AdminIdentity,
    query: { status: string | null; after: string | null },
    site: SiteAddress,
  ): Promise<TenantListView> {
    const status = statusFilter(query.status, TENANT_STATUSES);
    const page = await this.tenants.list(admin, {
      first: TENANTS_PER_PAGE,
      after: query.after,
      status: status as TenantStatusEnum | null,
    });
    const scope = this.gate.listScope(admin, 'TENANTS');
    const counts = await this.db.query<{ status: string; n: string }>(
      `SELECT status, count(*)::text AS n FROM tenant
        WHERE ($1::uuid[] IS NULL OR id = ANY($1::uuid[])) GROUP BY status`,
      [scope],
    );
    const countOf = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
    const total = TENANT_STATUSES.reduce((sum, s) => sum + countOf(s), 0);
    const port = site.port ? `:${site.port}` : '';
    return {
      tenants: page.items.map(({ node }) => ({
        slug: node.slug,
        name: node.name,
        status: node.status,
        // The list's domains come primary first.
        domains: node.domains.map((name, i) => ({
          name,
          href: i === 0 ? `${site.protocol}://${name}${port}/` : null,
        })),
        href: ADMIN_PAGES.tenant(node.slug),
      })),
      statuses: TENANT_STATUSES.map((s) => ({
        value: s,
        label: s.charAt(0) + s.slice(1).toLowerCase(),
        count: countOf(s),
        selected: s === status,
      })),
      status,
      total,
      matching: status ? countOf(status) : total,
      nextHref:
        page.hasNextPage && page.endCursor
          ? pageHref(ADMIN_PAGES.home, { status, after: page.endCursor })
          : null,
      firstHref: query.after ? pageHref(ADMIN_PAGES.home, { status }) : null,
    };
  }

  /**
   * One tenant's KPIs for the local days `from` … `to` (both included; default: the last
   * 30 days up to today in the tenant's time zone). NOT_FOUND, FORBIDDEN (audited) or
   * BAD_USER_INPUT for dates that are not dates or make an empty or over-long period.
   */
  async tenantKpis(
    admin: AdminIdentity,
    slug: string,
    dates: { from: string | null; to: string | null },
  ): Promise<TenantKpiView> {
    const tenant = await this.gate.tenant(admin, 'TENANTS', slug, 'tenant.kpis');
    for (const [field, value] of Object.entries(dates))
      if (value !== null && !isDate(value))
        throw VitrineError.badInput(`"${value.slice(0, 40)}" is not a date (YYYY-MM-DD).`, {
          field,
        });
    const to = dates.to ?? localToday(tenant.timeZone);
    const from = dates.from ?? addDays(to, -(DEFAULT_KPI_DAYS - 1));
    if (from > to)
      throw VitrineError.badInput('The period is empty: the first day comes after the last.', {
        field: 'from',
      });
    const k = await this.kpis.compute(
      tenant.slug,
      localMidnight(from, tenant.timeZone),
      localMidnight(addDays(to, 1), tenant.timeZone),
    );
    const money = (minor: number | null) => (minor === null ? '—' : adminMoney(minor, k.currency));
    const unit = k.granularity === 'WEEK' ? 'week' : 'day';
    return {
      slug: tenant.slug,
      name: tenant.name,
      status: tenant.status,
      timeZone: k.timeZone,
      currency: k.currency,
      from,
      to,
      granularity: unit,
      nav: tenantNav(tenant.slug, 'kpis'),
      figures: [
        { label: 'Orders', value: String(k.orderCount), hint: 'placed online, not cancelled' },
        { label: 'Revenue', value: money(k.revenueMinor), hint: 'excluding VAT' },
        { label: 'Average order value', value: money(k.averageOrderValueMinor), hint: 'excl. VAT' },
        {
          label: 'Repeat-purchase rate (companies)',
          value: percent(k.companyRepeatPurchaseRate),
          hint: `${k.repeatCompanies} of ${k.orderingCompanies} ordering companies`,
        },
        {
          label: 'Repeat-purchase rate (users)',
          value: percent(k.userRepeatPurchaseRate),
          hint: `${k.repeatUsers} of ${k.orderingUsers} ordering users`,
        },
        {
          label: 'Quote conversion',
          value: percent(k.quoteConversionRate),
          hint: `${k.quotesAccepted} of ${k.quotesOffered} offered quotes accepted`,
        },
        {
          label: 'Orders needing approval',
          value: percent(k.approvalShare),
          hint: `${k.ordersNeedingApproval} of ${k.ordersSubmitted} submitted orders`,
        },
        {
          label: 'Orders in another currency',
          value: String(k.otherCurrencyOrderCount),
          hint: 'counted in orders, not in revenue',
        },
      ],
      ordersChart: renderBarChart(kpiSeriesBars(k.series, 'orders', k.currency), {
        title: `Orders per ${unit}, ${tenant.name}, ${from} to ${to}`,
      }),
      revenueChart: renderBarChart(kpiSeriesBars(k.series, 'revenue', k.currency), {
        title: `Revenue (${k.currency}, excl. VAT) per ${unit}, ${tenant.name}, ${from} to ${to}`,
      }),
    };
  }
}
