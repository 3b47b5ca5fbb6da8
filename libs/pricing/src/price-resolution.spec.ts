import {
  resolvePrice,
  tierPrices,
  type PriceEntry,
  type PricingData,
  type PriceRules,
} from './price-resolution';

const at = new Date('2026-06-15T10:00:00Z');
const entry = (
  priceListId: number,
  minQuantity: number,
  amountMinor: number,
  validFrom?: string,
  validUntil?: string,
): PriceEntry => ({
  priceListId,
  minQuantity,
  amountMinor,
  validFrom: validFrom ? new Date(validFrom) : null,
  validUntil: validUntil ? new Date(validUntil) : null,
});

describe('resolvePrice', () => {
  const rules: PriceRules = {
    priceListIds: [10, 20],
    discount: { percent: 5, categories: ['gereedschap'] },
  };

  it.each<[string, PricingData, number, string[], ReturnType<typeof resolvePrice>]>([
    [
      'first price list wins over the second',
      { listPriceMinor: 1000, entries: [entry(20, 1, 800), entry(10, 1, 900)] },
      1,
      [],
      { amountMinor: 900, source: 'PRICE_LIST', minQuantity: 1, priceListId: 10 },
    ],
    [
      'second list when the first has nothing',
      { listPriceMinor: 1000, entries: [entry(20, 1, 800)] },
      1,
      [],
      { amountMinor: 800, source: 'PRICE_LIST', minQuantity: 1, priceListId: 20 },
    ],
    [
      'tier at the exact break quantity',
      {
        listPriceMinor: 1000,
        entries: [entry(10, 1, 900), entry(10, 10, 850), entry(10, 50, 800)],
      },
      10,
      [],
      { amountMinor: 850, source: 'PRICE_LIST', minQuantity: 10, priceListId: 10 },
    ],
    [
      'tier just below a break',
      { listPriceMinor: 1000, entries: [entry(10, 1, 900), entry(10, 10, 850)] },
      9,
      [],
      { amountMinor: 900, source: 'PRICE_LIST', minQuantity: 1, priceListId: 10 },
    ],
    [
      'expired entry is skipped',
      {
        listPriceMinor: 1000,
        entries: [entry(10, 1, 900, undefined, '2026-06-15T10:00:00Z'), entry(20, 1, 950)],
      },
      1,
      [],
      { amountMinor: 950, source: 'PRICE_LIST', minQuantity: 1, priceListId: 20 },
    ],
    [
      'entry valid from exactly now applies',
      { listPriceMinor: 1000, entries: [entry(10, 1, 900, '2026-06-15T10:00:00Z')] },
      1,
      [],
      { amountMinor: 900, source: 'PRICE_LIST', minQuantity: 1, priceListId: 10 },
    ],
    [
      'future entry does not apply yet',
      { listPriceMinor: 1000, entries: [entry(10, 1, 900, '2026-06-16T00:00:00Z')] },
      1,
      [],
      { amountMinor: 1000, source: 'LIST', minQuantity: 1, priceListId: null },
    ],
    [
      'discount on the list price in a discounted category',
      { listPriceMinor: 1010, entries: [] },
      1,
      ['gereedschap', 'handgereedschap'],
      { amountMinor: 960, source: 'DISCOUNT', minQuantity: 1, priceListId: null },
    ],
    [
      'list price outside the discounted categories',
      { listPriceMinor: 1010, entries: [] },
      1,
      ['pbm'],
      { amountMinor: 1010, source: 'LIST', minQuantity: 1, priceListId: null },
    ],
    ['no price at all', { listPriceMinor: null, entries: [] }, 1, [], null],
  ])('%s', (_name, data, quantity, path, expected) => {
    expect(resolvePrice(data, rules, quantity, path, at)).toEqual(expected);
  });

  it('a discount without categories applies to the whole assortment', () => {
    const r = resolvePrice(
      { listPriceMinor: 2000, entries: [] },
      { priceListIds: [], discount: { percent: 10, categories: [] } },
      1,
      ['pbm'],
      at,
    );
    expect(r).toEqual({ amountMinor: 1800, source: 'DISCOUNT', minQuantity: 1, priceListId: null });
  });

  it('entries of lists the tenant does not use are ignored', () => {
    const r = resolvePrice(
      { listPriceMinor: 1000, entries: [entry(99, 1, 1)] },
      { priceListIds: [10], discount: null },
      1,
      [],
      at,
    );
    expect(r?.source).toBe('LIST');
  });
});

describe('tierPrices', () => {
  it('lists the tiers of the winning price list in ascending order', () => {
    const data = {
      listPriceMinor: 1000,
      entries: [entry(20, 1, 700), entry(10, 50, 800), entry(10, 1, 900), entry(10, 10, 850)],
    };
    expect(tierPrices(data, { priceListIds: [10, 20], discount: null }, at)).toEqual([
      { minQuantity: 1, amountMinor: 900 },
      { minQuantity: 10, amountMinor: 850 },
      { minQuantity: 50, amountMinor: 800 },
    ]);
  });
  it('is empty when no price list prices the variant', () => {
    expect(
      tierPrices({ listPriceMinor: 1000, entries: [] }, { priceListIds: [10], discount: null }, at),
    ).toEqual([]);
  });
});
