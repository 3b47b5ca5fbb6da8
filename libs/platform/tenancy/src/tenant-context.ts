import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from './permissions';
import type { TenantSnapshot } from './tenant-snapshot';

/**
 * Whose prices a request sees. Anonymous visitors (prospects on a public site) see list prices
 * only; a signed-in buyer sees the tenant's terms (price lists in priority order, discount rule)
 * and, first of all, the contract prices of their company. `key` identifies the context in
 * cache keys: it holds the tenant's version (bumped by every price change) and the company, so
 * two requests with the same key are allowed to see the same prices and a change makes every
 * older entry unreachable.
 */
export interface PriceContext {
  readonly key: string;
  readonly currency: string;
  readonly priceListIds: readonly number[];
  readonly discount: { readonly percent: number; readonly categories: readonly string[] } | null;
  readonly companyId: string | null;
}

/** The buying organisation of a signed-in user, as pricing and tax need it. */
export interface CompanySnapshot {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  /** ISO 3166 country of the company's (default) ship-to address: decides the VAT rate. */
  readonly country: string;
  readonly vatId: string | null;
}

/** The authenticated caller. */
export interface AuthUser {
  readonly id: string;
  readonly company: CompanySnapshot | null;
  /** The contract's roles (VIEWER, REQUISITIONER, BUYER, APPROVER, COMPANY_ADMIN). */
  readonly roles: readonly Role[];
  /** False for users a company admin lets order without seeing prices. */
  readonly canSeePrices: boolean;
}

/**
 * Everything tenant-specific about one request. Built once per request by the tenancy hook,
 * frozen, passed explicitly as the first argument of every tenant-aware service method, and
 * also kept in AsyncLocalStorage for logging.
 */
export interface TenantContext {
  readonly tenantId: string;
  readonly tenant: TenantSnapshot;
  readonly locale: string;
  readonly currency: string;
  readonly priceContext: PriceContext;
  readonly requestId: string;
  readonly user: AuthUser | null;
}

export const tenantStorage = new AsyncLocalStorage<TenantContext>();

/** Picks the first tenant locale the client accepts, else the tenant's default (first). */
export function negotiateLocale(
  tenantLocales: readonly string[],
  acceptLanguage: string | undefined,
): string {
  if (acceptLanguage) {
    const wanted = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, ...params] = part.trim().toLowerCase().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: tag.trim(), q: q ? Number.parseFloat(q.split('=')[1]) || 0 : 1 };
      })
      .filter((w) => w.tag && w.q > 0)
      .sort((a, b) => b.q - a.q);
    for (const { tag } of wanted) {
      const exact = tenantLocales.find((l) => l.toLowerCase() === tag);
      if (exact) return exact;
      const base = tenantLocales.find((l) => l.toLowerCase().split('-')[0] === tag.split('-')[0]);
      if (base) return base;
    }
  }
  return tenantLocales[0];
}

export function createTenantContext(
  tenant: TenantSnapshot,
  requestId: string,
  acceptLanguage?: string,
  user: AuthUser | null = null,
): TenantContext {
  const companyId = user?.company?.id ?? null;
  const priceContext: PriceContext = user
    ? {
        key: `${tenant.id}:${tenant.version}:${companyId ? `c:${companyId}` : 't'}`,
        currency: tenant.currency,
        priceListIds: tenant.settings.priceListIds ?? [],
        discount: tenant.settings.discount ?? null,
        companyId,
      }
    : {
        key: `${tenant.id}:${tenant.version}:a`,
        currency: tenant.currency,
        priceListIds: [],
        discount: null,
        companyId: null,
      };
  return Object.freeze({
    tenantId: tenant.id,
    tenant,
    locale: negotiateLocale(tenant.locales, acceptLanguage),
    currency: tenant.currency,
    priceContext: Object.freeze(priceContext),
    requestId,
    user,
  });
}
