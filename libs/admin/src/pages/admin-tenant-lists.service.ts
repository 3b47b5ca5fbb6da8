import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import {
  AdminOrderQueryService,
  AdminQuoteQueryService,
  ORDER_STATUS_NAMES,
  QUOTE_STATUS_NAMES,
} from '@vitrine/ordering';
import type { AdminIdentity, TenantSnapshot } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { AuditQueryService } from '../audit/audit-query.service';
import { adminMoney } from './admin-format';
import { ADMIN_PAGES } from './admin-page-paths';
import { localDateTime } from './local-dates';
import { pageHref, statusFilter } from './page-query';
import { tenantNav, type TenantNavItem, type TenantPageName } from './tenant-nav';

/** Rows per page of a tenant's orders, quotes and audit log (at most the API's maximum). */
export const LIST_PAGE_SIZE = 50;

/** The top of every tenant page: who, where, and the links between its pages. */
export interface TenantHeaderView {
  slug: string;
  name: string;
  status: string;
  timeZone: string;
  currency: string;
  nav: TenantNavItem[];
}

export interface StatusChoice {
  value: string;
  label: string;
  selected: boolean;
}

/** A read-only list page of one tenant: rows, a status filter, and paging links. */
export interface TenantListPage<Row> {
  tenant: TenantHeaderView;
  rows: Row[];
  action: string;
  statuses: StatusChoice[];
  status: string | null;
  nextHref: string | null;
  firstHref: string | null;
}

export interface OrderRowView {
  number: string;
  placedAt: string;
  status: string;
  company: string;
  placedBy: string;
  poNumber: string | null;
  note: string | null;
  lines: number;
  total: string;
}

export interface QuoteRowView {
  number: string;
  requestedAt: string;
  status: string;
  requester: string;
  note: string | null;
  lines: number;
  offered: string;
  validUntil: string | null;
  orderNumber: string | null;
}

export interface AuditRowView {
  at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  refused: boolean;
  reason: string | null;
  /** before → after as indented JSON; null when neither was kept. */
  change: string | null;
}

/** A status as a person reads it: PENDING_APPROVAL → "Pending approval". */
const statusLabel = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');

const choices = (all: readonly string[], selected: string | null): StatusChoice[] =>
  all.map((value) => ({ value, label: statusLabel(value), selected: value === selected }));

/**
 * The read-only lists of one tenant on the admin pages: recent orders, quotes and the audit
 * log, from the same services the admin API reads (the seller's order and quote queries, the
 * audit log query), behind AdminGate exactly like the KPI page: an unknown tenant is NOT_FOUND,
 * a tenant outside the admin's area is FORBIDDEN and the refusal is in the audit log. Times are
 * shown on the tenant's wall clock, money with the pricing lib's formatter. Bad filters and
 * cursors are BAD_USER_INPUT (a 400 page).
 */
@Injectable()
export class AdminTenantListsService {
  private readonly pageSize: number;

  constructor(
    private readonly gate: AdminGate,
    private readonly orders: AdminOrderQueryService,
    private readonly quotes: AdminQuoteQueryService,
    private readonly audit: AuditQueryService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pageSize = Math.min(LIST_PAGE_SIZE, config.graphql.maxFirst);
  }

  /** The tenant's orders, newest first, optionally of one status. */
  async orderList(
    admin: AdminIdentity,
    slug: string,
    query: { status: string | null; after: string | null },
  ): Promise<TenantListPage<OrderRowView>> {
    const tenant = await this.gate.tenant(admin, 'ORDERS', slug, 'order.list');
    const status = statusFilter(query.status, ORDER_STATUS_NAMES);
    const page = await this.orders.list({
      tenant: tenant.slug,
      tenantIds: [tenant.id],
      status,
      first: this.pageSize,
      after: query.after,
    });
    const action = ADMIN_PAGES.tenantOrders(tenant.slug);
    return {
      tenant: header(tenant, 'orders'),
      rows: page.items.map(({ node: o }) => ({
        number: o.number,
        placedAt: localDateTime(o.createdAt, tenant.timeZone),
        status: o.status,
        company: o.company.name,
        placedBy: o.placedBy.name,
        poNumber: o.poNumber,
        note: o.note,
        lines: o.lines.length,
        total: adminMoney(o.totalMinor, o.currency),
      })),
      action,
      statuses: choices(ORDER_STATUS_NAMES, status),
      status,
      ...paging(action, status, query.after, page),
    };
  }

  /** The tenant's quotes, newest first, optionally of one status. */
  async quoteList(
    admin: AdminIdentity,
    slug: string,
    query: { status: string | null; after: string | null },
  ): Promise<TenantListPage<QuoteRowView>> {
    const tenant = await this.gate.tenant(admin, 'QUOTES', slug, 'quote.list');
    const status = statusFilter(query.status, QUOTE_STATUS_NAMES);
    const page = await this.quotes.list({
      tenantIds: [tenant.id],
      status,
      first: this.pageSize,
      after: query.after,
    });
    const action = ADMIN_PAGES.tenantQuotes(tenant.slug);
    return {
      tenant: header(tenant, 'quotes'),
      rows: page.items.map(({ node: q }) => {
        const offered = q.lines.every((l) => l.offeredUnitMinor !== null)
          ? q.lines.reduce((sum, l) => sum + (l.offeredUnitMinor ?? 0) * l.quantity, 0)
          : null;
        return {
          number: q.number,
          requestedAt: localDateTime(q.createdAt, tenant.timeZone),
          status: q.status,
          requester: q.company ? `${q.company.name} (${q.contactEmail})` : q.contactEmail,
          note: q.note,
          lines: q.lines.length,
          offered: offered === null || q.lines.length === 0 ? '—' : adminMoney(offered, q.currency),
          validUntil: q.validUntil ? localDateTime(q.validUntil, tenant.timeZone) : null,
          orderNumber: q.orderNumber,
        };
      }),
      action,
      statuses: choices(QUOTE_STATUS_NAMES, status),
      status,
      ...paging(action, status, query.after, page),
    };
  }

  /** The tenant's audit log, newest first: changes with before/after, and refusals. */
  async auditList(
    admin: AdminIdentity,
    slug: string,
    query: { after: string | null },
  ): Promise<TenantListPage<AuditRowView>> {
    const tenant = await this.gate.tenant(admin, 'AUDIT', slug, 'audit.list');
    const page = await this.audit.list(admin, {
      tenant: tenant.slug,
      first: this.pageSize,
      after: query.after,
    });
    const action = ADMIN_PAGES.tenantAudit(tenant.slug);
    return {
      tenant: header(tenant, 'audit'),
      rows: page.items.map(({ node: e }) => ({
        at: localDateTime(e.at, tenant.timeZone),
        actor: e.actorEmail ?? e.actor,
        action: e.action,
        target: e.target,
        outcome: e.outcome,
        refused: e.outcome === 'REFUSED',
        reason: e.reason,
        change:
          e.before === null && e.after === null
            ? null
            : JSON.stringify({ before: e.before, after: e.after }, null, 2),
      })),
      action,
      statuses: [],
      status: null,
      ...paging(action, null, query.after, page),
    };
  }
}

function header(tenant: TenantSnapshot, current: TenantPageName): TenantHeaderView {
  return {
    slug: tenant.slug,
    name: tenant.name,
    status: tenant.status,
    timeZone: tenant.timeZone,
    currency: tenant.currency,
    nav: tenantNav(tenant.slug, current),
  };
}

function paging(
  path: string,
  status: string | null,
  after: string | null,
  page: { hasNextPage: boolean; endCursor: string | null },
): { nextHref: string | null; firstHref: string | null } {
  return {
    nextHref:
      page.hasNextPage && page.endCursor ? pageHref(path, { status, after: page.endCursor }) : null,
    firstHref: after ? pageHref(path, { status }) : null,
  };
}
