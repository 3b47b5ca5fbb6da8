import type { PriceDictionary } from '@vitrine/pricing';
import {
  checkCallSize,
  decodePriceCursor,
  encodePriceCursor,
  parseKeys,
  rejectProblems,
  validatePrices,
} from './price-input';

const dict: PriceDictionary = {
  tenants: new Map([
    [
      'acme',
      {
        id: '00000000-0000-0000-0000-000000000001',
        slug: 'acme',
        currency: 'EUR',
        timeZone: 'Europe/Amsterdam',
      },
    ],
  ]),
  priceLists: new Map([
    ['promo', { currency: 'EUR', tenants: [{ slug: 'acme', currency: 'EUR' }] }],
  ]),
  installationTimeZone: 'Europe/Amsterdam',
};
const list = { type: 'price_list' as const, code: 'promo' };

describe('admin prices as import rows', () => {
  it('validates with the import rules and reports every problem by API path', () => {
    const { rows, problems } = validatePrices(
      [
        { sku: 'ab-1', price: '1.50' },
        { sku: 'AB-1', price: '1.234' },
        { sku: 'AB-2', price: '1', minQuantity: 0 },
        { sku: 'AB-3', price: '1', currency: 'USD' },
        { sku: 'AB-4', price: '1', validFrom: '2027-02-01', validUntil: '2027-01-01' },
        { sku: 'AB-1', price: '2.00', minQuantity: 1 },
      ],
      list,
      dict,
    );
    expect(rows.map((r) => [r.sku, r.amountMinor, r.priceList])).toEqual([['AB-1', 150, 'promo']]);
    expect(problems.map((p) => p.path)).toEqual([
      'prices[1].price',
      'prices[2].minQuantity',
      'prices[3].currency',
      'prices[4].validUntil',
      'prices[5]',
    ]);
    expect(problems[3].message).toContain('after validFrom');
    expect(problems[4].message).toContain('prices[0]');
  });

  it("takes contract prices in the tenant's currency and zone", () => {
    const owner = { type: 'contract' as const, tenant: 'acme', company: 'acme-bv' };
    const { rows, problems } = validatePrices(
      [{ sku: 'AB-1', price: '3', validFrom: '2027-01-01' }],
      owner,
      dict,
    );
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ type: 'contract', company: 'acme-bv', currency: 'EUR' });
    expect(new Date(rows[0].from).toISOString()).toBe('2026-12-31T23:00:00.000Z');
    const usd = validatePrices([{ sku: 'AB-1', price: '3', currency: 'usd' }], owner, dict);
    expect(usd.problems).toEqual([
      { path: 'prices[0].currency', message: 'tenant acme sells in EUR, not USD' },
    ]);
  });

  it('maps writer rejects (lines) to paths and API words', () => {
    expect(
      rejectProblems([
        { line: 3, sku: 'X', column: 'sku', reason: 'unknown SKU "X"' },
        { line: 2, sku: 'Y', column: 'valid_from', reason: 'overlaps [a, b) on line 1' },
        { line: 1, sku: 'Z', column: 'price_list', reason: 'wrong currency' },
      ]),
    ).toEqual([
      { path: 'prices[2].sku', message: 'unknown SKU "X"' },
      { path: 'prices[1].validFrom', message: 'overlaps [a, b) at prices[0]' },
      { path: 'code', message: 'wrong currency' },
    ]);
  });

  it('caps a call at 1,000', () => {
    expect(() => checkCallSize(1000, 'prices')).not.toThrow();
    expect(() => checkCallSize(1001, 'keys')).toThrow(/import job/);
  });

  it('parses keys (open start by default) and refuses bad ones', () => {
    const { keys, problems } = parseKeys(
      [
        { sku: 'ab-1' },
        { sku: 'AB-1', minQuantity: 1 },
        { sku: 'AB-2', minQuantity: 0, validFrom: 'x' },
      ],
      'Europe/Amsterdam',
    );
    expect(keys[0]).toEqual({ sku: 'AB-1', minQuantity: 1, from: -Infinity });
    expect(keys).toHaveLength(2);
    expect(problems.map((p) => p.path)).toEqual(['keys[2].minQuantity', 'keys[2].validFrom']);
  });

  it('round-trips price cursors and refuses foreign ones', () => {
    expect(decodePriceCursor(encodePriceCursor('AB-1', 10, null))).toEqual([
      'AB-1',
      10,
      '-infinity',
    ]);
    expect(decodePriceCursor(encodePriceCursor('AB-1', 1, 0))).toEqual([
      'AB-1',
      1,
      '1970-01-01T00:00:00.000Z',
    ]);
    expect(() => decodePriceCursor('garbage')).toThrow(/cursor/);
  });
});
