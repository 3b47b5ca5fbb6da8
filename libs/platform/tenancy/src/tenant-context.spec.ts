import { createTenantContext, negotiateLocale } from './tenant-context';
import type { TenantSnapshot } from './tenant-snapshot';

describe('negotiateLocale', () => {
  it('falls back to the tenant default (first locale)', () => {
    expect(negotiateLocale(['nl', 'en'], undefined)).toBe('nl');
    expect(negotiateLocale(['nl', 'en'], 'fr-FR,fr;q=0.9')).toBe('nl');
  });
  it('honours quality values and base languages', () => {
    expect(negotiateLocale(['nl', 'en'], 'de;q=0.9,en-GB;q=0.8,nl;q=0.1')).toBe('en');
    expect(negotiateLocale(['nl', 'en'], 'en;q=0,nl')).toBe('nl');
  });
});

describe('createTenantContext', () => {
  it('is frozen; anonymous visitors get list prices only', () => {
    const tenant = {
      id: 't1',
      slug: 's',
      name: 'S',
      status: 'ACTIVE',
      locales: ['en'],
      currency: 'EUR',
      timeZone: 'Europe/Amsterdam',
      publicBrowsing: false,
      showListPrices: true,
      theme: { primaryColor: '#000000' },
      version: 4,
      domains: ['s.localhost'],
      settings: { priceListIds: [3, 1], discount: { percent: 5, categories: [] } },
    } as TenantSnapshot;
    const ctx = createTenantContext(tenant, 'req-1');
    expect(Object.isFrozen(ctx)).toBe(true);
    expect(ctx.priceContext).toEqual({
      key: 't1:4:a',
      currency: 'EUR',
      priceListIds: [],
      discount: null,
      companyId: null,
    });
    expect(() => {
      (ctx as { tenantId: string }).tenantId = 'other';
    }).toThrow();
    const company = { id: 'c9', code: 'C9', name: 'C', country: 'NL', vatId: null };
    const buyer = createTenantContext(tenant, 'req-2', undefined, {
      id: 'u1',
      company,
      roles: ['BUYER'],
      canSeePrices: true,
    });
    expect(buyer.priceContext).toEqual({
      key: 't1:4:c:c9',
      currency: 'EUR',
      priceListIds: [3, 1],
      discount: { percent: 5, categories: [] },
      companyId: 'c9',
    });
  });
});
