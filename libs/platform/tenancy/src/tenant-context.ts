import { AsyncLocalStorage } from 'node:async_hooks';
import type { TenantSnapshot } from './tenant-snapshot';

/**
 * Whose prices a request sees: the tenant's price lists (and, with accounts, the company's
 * contract list). `key` identifies the context in cache keys; two requests with the same key
 * must be allowed to see the same prices.
 */
export interface PriceContext {
  readonly key: string;
  readonly currency: string;
  readonly priceListIds: readonly number[];
  readonly discount: { readonly percent: number; readonly categories: readonly string[] } | null;
  readonly companyId: string | null;
}

/** The authenticated caller, once accounts exist. */
export interface AuthUser {
  readonly id: string;
  readonly companyId: string | null;
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
  const priceListIds = tenant.settings.priceListIds ?? [];
  const discount = tenant.settings.discount ?? null;
  const priceContext: PriceContext = {
    key: `${tenant.id}:${tenant.version}:${user?.companyId ?? '-'}`,
    currency: tenant.currency,
    priceListIds,
    discount,
    companyId: user?.companyId ?? null,
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
