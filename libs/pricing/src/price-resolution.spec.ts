import {
  resolvePrice,
  tierPrices,
  type ListPriceEntry,
  type PriceEntry,
  type PricingData,
  type PriceRules,
  type ResolvedPrice,
} from './price-resolution';

const at = new Date('2026-06-15T10:00:00Z');
const ms = (iso?: string) => (iso ? new Date(iso).getTime() : null);
const tier = (
  minQuantity: number,
  amountMinor: number,
  from?: string,
  until?: string,
): PriceEntry => ({
  minQuantity,
  amountMinor,
  validFrom: ms(from),
  validUntil: ms(until),
});
const entry = (
  priceListId: number,
  minQuantity: number,
  amountMinor: number,
  from?: string,
  until?: string,
): ListPriceEntry => ({ priceListId, ...tier(minQuantity, amountMinor, from, until) });
const data = (d: Partial<PricingData>): PricingData => ({
  listPriceMinor: 1000,
  contract: [],
  entries: [],
  ...d,
});
const rules: PriceRules = {
  priceListIds: [10, 20],
  discount: { percent: 5, categories: ['gereedschap'] },
};
const contract = (amountMinor: number, minQuantity = 1): ResolvedPrice => ({
  amountMinor,
  source: 'CONTRACT',
  minQuantity,
  priceListId: null,
});
const list = (priceListId: number, amountMinor: number, minQuantity = 1): ResolvedPrice => ({
  amountMinor,
  source: 'PRICE_LIST',
  minQuantity,
  priceListId,
});
const LIST: ResolvedPrice = {
  amountMinor: 1000,
  source: 'LIST',
  minQuantity: 1,
  priceListId: null,
};

describe('resolvePrice: each source wins in its turn', () => {
  const tool = ['gereedschap', 'handgereedschap'];
  it.each<[string, PricingData, number, string[], ResolvedPrice | null]>([
    [
      'contract beats every price list',
      data({ contract: [tier(1, 700)], entries: [entry(10, 1, 900), entry(20, 1, 600)] }),
      1,
      tool,
      contract(700),
    ],
    [
      'contract beats a cheaper price list (first match, not lowest)',
      data({ contract: [tier(1, 950)], entries: [entry(10, 1, 500)] }),
      1,
      [],
      contract(950),
    ],
    [
      'without a contract the first price list wins',
      data({ entries: [entry(20, 1, 800), entry(10, 1, 900)] }),
      1,
      [],
      list(10, 900),
    ],
    [
      'second list when the first has nothing',
      data({ entries: [entry(20, 1, 800)] }),
      1,
      [],
      list(20, 800),
    ],
    [
      'discount when no list prices the variant, in a discounted category',
      data({ listPriceMinor: 1010 }),
      1,
      tool,
      { amountMinor: 960, source: 'DISCOUNT', minQuantity: 1, priceListId: null },
    ],
    ['list price outside the discounted categories', data({}), 1, ['pbm'], LIST],
    ['no price at all', data({ listPriceMinor: null }), 1, [], null],
    [
      'contract without a list price still prices',
      data({ listPriceMinor: null, contract: [tier(1, 10)] }),
      1,
      [],
      contract(10),
    ],
  ])('%s', (_name, d, quantity, path, expected) => {
    expect(resolvePrice(d, rules, quantity, path, at)).toEqual(expected);
  });
});

describe('resolvePrice: tiers at exact break quantities', () => {
  const d = data({
    contract: [tier(10, 850), tier(1, 900), tier(50, 800)],
    entries: [entry(10, 1, 990), entry(10, 5, 950)],
  });
  it.each<[number, ResolvedPrice]>([
    [1, contract(900)],
    [9, contract(900)],
    [10, contract(850, 10)],
    [49, contract(850, 10)],
    [50, contract(800, 50)],
    [1_000_000, contract(800, 50)],
  ])('quantity %i', (quantity, expected) => {
    expect(resolvePrice(d, rules, quantity, [], at)).toEqual(expected);
  });

  it('a contract "from 100 pieces" does not price 99: the next source does', () => {
    const from100 = data({ contract: [tier(100, 500)], entries: [entry(10, 1, 900)] });
    expect(resolvePrice(from100, rules, 99, [], at)).toEqual(list(10, 900));
    expect(resolvePrice(from100, rules, 100, [], at)).toEqual(contract(500, 100));
  });

  it('price-list tiers too', () => {
    const d2 = data({ entries: [entry(10, 1, 900), entry(10, 10, 850), entry(10, 50, 800)] });
    expect(resolvePrice(d2, rules, 10, [], at)).toEqual(list(10, 850, 10));
    expect(resolvePrice(d2, rules, 9, [], at)).toEqual(list(10, 900, 1));
  });
});

describe('resolvePrice: validity', () => {
  // 2027-01-01 00:00 in Europe/Amsterdam (CET, UTC+1) is 2026-12-31T23:00:00Z: a price "valid
  // from 1 January" in the tenant's time zone begins at that instant, not at UTC midnight.
  const newYear = '2026-12-31T23:00:00Z';
  const d = data({
    contract: [tier(1, 800, undefined, newYear), tier(1, 850, newYear)],
    entries: [entry(10, 1, 900, '2026-07-01T22:00:00Z')],
  });
  it.each<[string, string, ResolvedPrice]>([
    ['last millisecond of the old contract year', '2026-12-31T22:59:59.999Z', contract(800)],
    ['midnight in Amsterdam: the new contract price', '2026-12-31T23:00:00Z', contract(850)],
    ['UTC midnight is already an hour into the new price', '2027-01-01T00:00:00Z', contract(850)],
  ])('%s', (_name, when, expected) => {
    expect(resolvePrice(d, rules, 1, [], new Date(when))).toEqual(expected);
  });

  it('an expired contract falls through to the price list, a future list entry to the list price', () => {
    const expired = data({
      contract: [tier(1, 700, undefined, '2026-06-15T10:00:00Z')],
      entries: [entry(10, 1, 900, '2026-06-16T00:00:00Z'), entry(20, 1, 950)],
    });
    expect(resolvePrice(expired, rules, 1, [], at)).toEqual(list(20, 950));
    expect(
      resolvePrice(
        data({ entries: [entry(10, 1, 900, '2026-06-16T00:00:00Z')] }),
        rules,
        1,
        [],
        at,
      ),
    ).toEqual(LIST);
  });

  it('valid from exactly now applies; valid until exactly now does not', () => {
    expect(
      resolvePrice(data({ contract: [tier(1, 1, '2026-06-15T10:00:00Z')] }), rules, 1, [], at),
    ).toEqual(contract(1));
    expect(
      resolvePrice(
        data({ contract: [tier(1, 1, undefined, '2026-06-15T10:00:00Z')] }),
        rules,
        1,
        [],
        at,
      ),
    ).toEqual(LIST);
  });
});

describe('resolvePrice: rules', () => {
  it('a discount without categories applies to the whole assortment', () => {
    const r = resolvePrice(
      data({ listPriceMinor: 2000 }),
      { priceListIds: [], discount: { percent: 10, categories: [] } },
      1,
      ['pbm'],
      at,
    );
    expect(r).toEqual({ amountMinor: 1800, source: 'DISCOUNT', minQuantity: 1, priceListId: null });
  });

  it('entries of lists the context does not use are ignored', () => {
    const r = resolvePrice(
      data({ entries: [entry(99, 1, 1)] }),
      { priceListIds: [10], discount: null },
      1,
      [],
      at,
    );
    expect(r?.source).toBe('LIST');
  });
});

describe('tierPrices', () => {
  const noDiscount: PriceRules = { priceListIds: [10, 20], discount: null };
  it('lists the tiers of the winning price list in ascending order', () => {
    const d = data({
      entries: [entry(20, 1, 700), entry(10, 50, 800), entry(10, 1, 900), entry(10, 10, 850)],
    });
    expect(tierPrices(d, noDiscount, [], at)).toEqual([
      { minQuantity: 1, amountMinor: 900 },
      { minQuantity: 10, amountMinor: 850 },
      { minQuantity: 50, amountMinor: 800 },
    ]);
  });

  it('agrees with resolvePrice when sources mix: contract from 100, price list below', () => {
    const d = data({
      contract: [tier(100, 600)],
      entries: [entry(10, 1, 900), entry(10, 10, 850)],
    });
    const tiers = tierPrices(d, noDiscount, [], at);
    expect(tiers).toEqual([
      { minQuantity: 1, amountMinor: 900 },
      { minQuantity: 10, amountMinor: 850 },
      { minQuantity: 100, amountMinor: 600 },
    ]);
    for (const q of [1, 5, 10, 99, 100, 5000]) {
      const expected = [...tiers].reverse().find((t) => t.minQuantity <= q)?.amountMinor;
      expect(resolvePrice(d, noDiscount, q, [], at)?.amountMinor).toBe(expected);
    }
  });

  it('leaves out breaks at which the price does not change, and expired tiers', () => {
    const d = data({
      contract: [tier(1, 900), tier(10, 900), tier(20, 100, undefined, '2026-01-01T00:00:00Z')],
    });
    expect(tierPrices(d, noDiscount, [], at)).toEqual([]);
  });

  it('is empty when the price does not depend on the quantity', () => {
    expect(tierPrices(data({}), noDiscount, [], at)).toEqual([]);
  });

  it('shows a single tier when nothing prices fewer pieces', () => {
    expect(
      tierPrices(data({ listPriceMinor: null, contract: [tier(12, 400)] }), noDiscount, [], at),
    ).toEqual([{ minQuantity: 12, amountMinor: 400 }]);
  });
});
