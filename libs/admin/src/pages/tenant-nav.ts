import { ADMIN_PAGES } from './admin-page-paths';

/** One link of a tenant's page navigation (KPIs, orders, quotes, audit log). */
export interface TenantNavItem {
  label: string;
  href: string;
  current: boolean;
}

export type TenantPageName = 'kpis' | 'orders' | 'quotes' | 'audit';

/** The links between a tenant's pages; the current one is marked (aria-current="page"). */
export function tenantNav(slug: string, current: TenantPageName): TenantNavItem[] {
  const items: Array<[TenantPageName, string, string]> = [
    ['kpis', 'Key figures', ADMIN_PAGES.tenant(slug)],
    ['orders', 'Orders', ADMIN_PAGES.tenantOrders(slug)],
    ['quotes', 'Quotes', ADMIN_PAGES.tenantQuotes(slug)],
    ['audit', 'Audit log', ADMIN_PAGES.tenantAudit(slug)],
  ];
  return items.map(([name, label, href]) => ({ label, href, current: name === current }));
}
