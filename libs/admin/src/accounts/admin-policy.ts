import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';

/** The roles of the seller's admins. An admin may hold several. */
export type AdminRole = 'SUPER_ADMIN' | 'ACCOUNT_MANAGER' | 'CATALOG_MANAGER';
export const ADMIN_ROLES: readonly AdminRole[] = [
  'SUPER_ADMIN',
  'ACCOUNT_MANAGER',
  'CATALOG_MANAGER',
];

export function isAdminRole(value: string): value is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(value);
}

/**
 * What an admin operation touches:
 * - tenant-bound (`QUOTES`, `ORDERS`, `TENANTS`, `COMPANIES`, `AUDIT`): one tenant's data, or a
 *   list of it (`COMPANIES`: a tenant's companies and their users);
 * - the seller's own (`CATALOG`, `PRICES`: catalog and price imports; `ADMINS`: admin accounts).
 */
export type AdminArea =
  'QUOTES' | 'ORDERS' | 'TENANTS' | 'COMPANIES' | 'AUDIT' | 'CATALOG' | 'PRICES' | 'ADMINS';

/** The tenants an admin may see in an area: all of them, some (ids), or none. */
export type TenantScope = { all: true } | { all: false; tenantIds: readonly string[] };

const ACCOUNT_MANAGER_AREAS: ReadonlySet<AdminArea> = new Set([
  'QUOTES',
  'ORDERS',
  'TENANTS',
  'COMPANIES',
  'AUDIT',
]);
const CATALOG_MANAGER_AREAS: ReadonlySet<AdminArea> = new Set(['CATALOG', 'PRICES']);

const AREA_WORDS: Record<AdminArea, string> = {
  QUOTES: 'quotes',
  ORDERS: 'orders',
  TENANTS: 'tenants',
  COMPANIES: 'companies and users',
  AUDIT: 'the audit log',
  CATALOG: 'the catalog',
  PRICES: 'prices',
  ADMINS: 'admin accounts',
};

/**
 * Who may do what on the admin API. Pure (the admin's roles and tenants are read per request
 * by AdminTokenService), so the whole matrix is unit-tested:
 * - SUPER_ADMIN: everything;
 * - ACCOUNT_MANAGER: quotes, orders, tenants, companies and users, and the audit log of the
 *   tenants assigned to them;
 * - CATALOG_MANAGER: the catalog and price imports (the seller's own data), no tenants or orders.
 * Roles add up. No role (or an admin without roles) may do nothing: the policy fails closed.
 */
export const AdminPolicy = {
  /** The tenants `admin` may see in `area`. */
  scope(admin: AdminIdentity, area: AdminArea): TenantScope {
    const roles = admin.roles ?? [];
    if (roles.includes('SUPER_ADMIN')) return { all: true };
    if (roles.includes('CATALOG_MANAGER') && CATALOG_MANAGER_AREAS.has(area)) return { all: true };
    if (roles.includes('ACCOUNT_MANAGER') && ACCOUNT_MANAGER_AREAS.has(area))
      return { all: false, tenantIds: admin.tenantIds ?? [] };
    return { all: false, tenantIds: [] };
  },

  /** Whether `admin` may act in `area` on `tenantId` (null: the area as a whole, no tenant). */
  can(admin: AdminIdentity, area: AdminArea, tenantId: string | null): boolean {
    const scope = AdminPolicy.scope(admin, area);
    if (scope.all) return true;
    return tenantId !== null && scope.tenantIds.includes(tenantId);
  },

  /** Whether `admin` may use `area` at all (a listing filtered to its scope). */
  canUse(admin: AdminIdentity, area: AdminArea): boolean {
    const scope = AdminPolicy.scope(admin, area);
    return (
      scope.all ||
      ((admin.roles ?? []).includes('ACCOUNT_MANAGER') && ACCOUNT_MANAGER_AREAS.has(area))
    );
  },

  /** FORBIDDEN, saying why, unless `admin` may act in `area` on `tenantId`. */
  require(
    admin: AdminIdentity,
    area: AdminArea,
    tenantId: string | null,
    tenantName?: string,
  ): void {
    if (AdminPolicy.can(admin, area, tenantId)) return;
    const roles = admin.roles?.length ? admin.roles.join(', ') : 'no role';
    const words = AREA_WORDS[area];
    const message =
      tenantId !== null &&
      (admin.roles ?? []).includes('ACCOUNT_MANAGER') &&
      ACCOUNT_MANAGER_AREAS.has(area)
        ? `Tenant ${tenantName ? `"${tenantName}" ` : ''}is not assigned to you: an account manager works on ${words} of their own tenants only.`
        : `Your admin roles (${roles}) do not include ${words}.`;
    throw new VitrineError('FORBIDDEN', message, { area });
  },

  /** FORBIDDEN unless `admin` may use `area` at all (listings filtered to their tenants). */
  requireUse(admin: AdminIdentity, area: AdminArea): TenantScope {
    if (!AdminPolicy.canUse(admin, area)) {
      const roles = admin.roles?.length ? admin.roles.join(', ') : 'no role';
      throw new VitrineError(
        'FORBIDDEN',
        `Your admin roles (${roles}) do not include ${AREA_WORDS[area]}.`,
        {
          area,
        },
      );
    }
    return AdminPolicy.scope(admin, area);
  },
};

/** The audit log's actor for an admin: the account's id, or a bootstrap token's subject. */
export function auditActor(admin: AdminIdentity): string {
  return admin.id ?? admin.subject;
}
