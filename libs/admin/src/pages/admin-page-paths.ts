/** The server-rendered admin pages, under /admin on the admin host only. */
export const ADMIN_PAGES = {
  home: '/admin',
  login: '/admin/login',
  logout: '/admin/logout',
  stylesheet: '/admin/admin.css',
  tenant: (slug: string) => `/admin/tenants/${encodeURIComponent(slug)}`,
  tenantOrders: (slug: string) => `/admin/tenants/${encodeURIComponent(slug)}/orders`,
  tenantQuotes: (slug: string) => `/admin/tenants/${encodeURIComponent(slug)}/quotes`,
  tenantAudit: (slug: string) => `/admin/tenants/${encodeURIComponent(slug)}/audit`,
} as const;

/** A tenant's KPI page and its read-only lists (orders, quotes, audit log). */
const TENANT_PAGE = /^\/admin\/tenants\/[^/]+(?:\/(?:orders|quotes|audit))?$/;
const FIXED = new Set<string>([
  ADMIN_PAGES.home,
  ADMIN_PAGES.login,
  ADMIN_PAGES.logout,
  ADMIN_PAGES.stylesheet,
]);

/**
 * Whether `path` (no query) is one of the admin pages. The admin host hook lets these through
 * on the admin host and answers 404 for them on every other host, before any tenant is
 * resolved — a microsite never serves them.
 */
export function isAdminPagePath(path: string): boolean {
  return FIXED.has(path) || TENANT_PAGE.test(path);
}
