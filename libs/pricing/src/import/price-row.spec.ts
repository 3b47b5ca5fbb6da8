import { checkPeriods } from './price-importer';
import { KeyIndex } from './key-index';
import {
  checkPriceCsvHeader,
  periodGroup,
  priceKey,
  validatePriceRow,
  type PriceDictionary,
  type PriceRow,
} from './price-row';
import { parseValidityEdge } from './validity';

const dict: PriceDictionary = {
  tenants: new Map([
    [
      'jansen-bouw',
      { id: 't-1', slug: 'jansen-bouw', currency: 'EUR', timeZone: 'Europe/Amsterdam' },
    ],
    ['us-shop', { id: 't-2', slug: 'us-shop', currency: 'USD', timeZone: 'America/New_York' }],
  ]),
  priceLists: new Map([
    ['bouw-staffel', { currency: 'EUR', tenants: [{ slug: 'jansen-bouw', currency: 'EUR' }] }],
    ['yen', { currency: 'JPY', tenants: [] }],
    ['dollars', { currency: 'USD', tenants: [{ slug: 'jansen-bouw', currency: 'EUR' }] }],
  ]),
  installationTimeZone: 'Europe/Amsterdam',
};

const validate = (record: Record<string, unknown>, line = 2) =>
  validatePriceRow(record, line, dict);
const reasons = (record: Record<string, unknown>) => {
  const v = validate(record);
  return v.ok ? [] : v.rejects.map((r) => `${r.column}: ${r.reason}`);
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('validatePriceRow', () => {
  it('reads a list price (EUR by default)', () => {
    const v = validate({ type: 'list', sku: ' sku-000123 ', amount: '12.5' });
    expect(v).toEqual({
      ok: true,
      newList: false,
      row: {
        line: 2,
        type: 'list',
        sku: 'SKU-000123',
        amountMinor: 1250,
        currency: 'EUR',
        minQuantity: 1,
        priceList: null,
        tenantId: null,
        company: null,
        zone: 'Europe/Amsterdam',
        from: -Infinity,
        until: Infinity,
      },
    });
  });

  it("takes a contract's currency and time zone from its tenant", () => {
    const v = validate({
      type: 'contract',
      sku: 'SKU-1',
      amount: '9.99',
      tenant: 'US-Shop',
      company: 'ACME',
      min_quantity: '10',
      valid_from: '2027-01-01',
      valid_until: '2027-06-30',
    });
    expect(v.ok && v.row).toMatchObject({
      currency: 'USD',
      tenantId: 't-2',
      company: 'ACME',
      minQuantity: 10,
      zone: 'America/New_York',
    });
    expect(v.ok && iso(v.row.from)).toBe('2027-01-01T05:00:00.000Z');
    // The last day 2027-06-30 ends at the next midnight in New York (EDT).
    expect(v.ok && iso(v.row.until)).toBe('2027-07-01T04:00:00.000Z');
  });

  it("takes a price-list row's currency from its list, and accepts a new list", () => {
    const yen = validate({ type: 'price_list', sku: 'A', amount: '1200', price_list: 'yen' });
    expect(yen).toMatchObject({
      ok: true,
      newList: false,
      row: { currency: 'JPY', amountMinor: 1200 },
    });
    const fresh = validate({
      type: 'price_list',
      sku: 'A',
      amount: '1.00',
      currency: 'chf',
      price_list: 'nieuw',
      valid_from: '2027-01-01',
    });
    expect(fresh).toMatchObject({
      ok: true,
      newList: true,
      row: { currency: 'CHF', priceList: 'nieuw' },
    });
    // Price-list dates begin at midnight in the installation's zone.
    expect(fresh.ok && iso(fresh.row.from)).toBe('2026-12-31T23:00:00.000Z');
  });

  it('reports every problem of a row with its column', () => {
    expect(
      reasons({
        type: 'contract',
        sku: 'a b',
        amount: '-1',
        tenant: 'jansen-bouw',
        company: 'ACME',
        currency: 'USD',
        min_quantity: '0',
        price_list: 'x',
        valid_from: '2027-13-01',
      }),
    ).toEqual([
      'sku: "A B" is not a valid SKU',
      'price_list: not allowed for type contract',
      'currency: tenant jansen-bouw sells in EUR, not USD',
      'min_quantity: must be at least 1 (got 0)',
      'valid_from: "2027-13-01" is not a calendar date',
    ]);
  });

  it('refuses what a type does not have, and requires what it needs', () => {
    expect(
      reasons({ type: 'list', sku: 'A', amount: '1', min_quantity: '5', tenant: 'x' }),
    ).toEqual(['min_quantity: not allowed for type list', 'tenant: not allowed for type list']);
    expect(reasons({ type: 'contract', sku: 'A', amount: '1' })).toEqual([
      'tenant: tenant is required for contract prices',
      'company: company is required for contract prices',
    ]);
    expect(reasons({ type: 'price_list', sku: 'A', amount: '1' })).toEqual([
      'price_list: price_list is required for price-list prices',
    ]);
    expect(reasons({ sku: '', amount: '' })).toEqual([
      'type: type is required (list, price_list, contract)',
      'sku: SKU is required',
      'amount: amount is required',
    ]);
  });

  it('checks amounts against the currency', () => {
    expect(reasons({ type: 'list', sku: 'A', amount: '1.005' })).toEqual([
      'amount: "1.005" is not a EUR amount (digits, "." and at most 2 decimals, not negative)',
    ]);
    expect(reasons({ type: 'list', sku: 'A', amount: '1,50' })).toHaveLength(1);
    expect(reasons({ type: 'list', sku: 'A', amount: '-0.01' })).toEqual([
      'amount: must not be negative (got -0.01)',
    ]);
    expect(reasons({ type: 'price_list', sku: 'A', amount: '1.5', price_list: 'yen' })).toEqual([
      'amount: "1.5" is not a JPY amount (digits, "." and at most 0 decimals, not negative)',
    ]);
    expect(reasons({ type: 'list', sku: 'A', amount: '1', currency: 'EURO' })).toEqual([
      'currency: "EURO" is not an ISO 4217 currency code',
    ]);
  });

  it('refuses other currencies than the list’s and lists used by tenants of another currency', () => {
    expect(
      reasons({
        type: 'price_list',
        sku: 'A',
        amount: '1',
        price_list: 'bouw-staffel',
        currency: 'USD',
      }),
    ).toEqual(['currency: price list "bouw-staffel" is in EUR, not USD']);
    expect(reasons({ type: 'price_list', sku: 'A', amount: '1', price_list: 'dollars' })).toEqual([
      'price_list: price list "dollars" is in USD but used by jansen-bouw (EUR); a tenant\'s price lists must be in its currency',
    ]);
  });

  it('refuses unknown tenants, bad tiers, empty periods and unknown fields', () => {
    expect(
      reasons({ type: 'contract', sku: 'A', amount: '1', tenant: 'nobody', company: 'X' }),
    ).toEqual(['tenant: unknown tenant "nobody"']);
    const contract = {
      type: 'contract',
      sku: 'A',
      amount: '1',
      tenant: 'jansen-bouw',
      company: 'X',
    };
    expect(reasons({ ...contract, min_quantity: '-3' })).toEqual([
      'min_quantity: must be at least 1 (got -3)',
    ]);
    expect(reasons({ ...contract, min_quantity: '2.5' })).toEqual([
      'min_quantity: "2.5" is not a whole number',
    ]);
    expect(
      reasons({ ...contract, valid_from: '2027-01-01', valid_until: '2026-12-31' })[0],
    ).toMatch(/^valid_until: must be after valid_from/);
    // A one-day period is fine: the date as valid_until is inclusive.
    expect(reasons({ ...contract, valid_from: '2027-01-01', valid_until: '2027-01-01' })).toEqual(
      [],
    );
    expect(reasons({ ...contract, valid_from: '2027-01-01T00:00:00' })).toEqual([
      'valid_from: "2027-01-01T00:00:00" is not a date (2027-01-01) or a timestamp with an offset (2027-01-01T00:00:00+01:00)',
    ]);
    expect(reasons({ ...contract, note: 'x', amount: { value: 1 } })).toEqual([
      'note: unknown field "note"',
      'amount: must be text or a number',
    ]);
  });

  it('keys rows for upserts and groups them for period checks', () => {
    const row = (r: Record<string, unknown>) => {
      const v = validate(r);
      if (!v.ok) throw new Error(JSON.stringify(v.rejects));
      return v.row;
    };
    const base = { type: 'contract', sku: 'A', amount: '1', tenant: 'jansen-bouw', company: 'X' };
    expect(priceKey(row(base))).toBe(priceKey(row({ ...base, amount: '2', sku: 'a' })));
    expect(priceKey(row(base))).not.toBe(priceKey(row({ ...base, min_quantity: '2' })));
    expect(periodGroup(row(base))).toBe(periodGroup(row({ ...base, min_quantity: '2' })));
    expect(priceKey(row({ type: 'list', sku: 'A', amount: '1' }))).not.toBe(
      priceKey(row({ type: 'list', sku: 'A', amount: '1', currency: 'USD' })),
    );
  });
});

describe('parseValidityEdge', () => {
  it('reads dates in the zone and timestamps as instants', () => {
    const at = (t: string, edge: 'from' | 'until', zone = 'Europe/Amsterdam') => {
      const ms = parseValidityEdge(t, edge, zone);
      return typeof ms === 'number' ? iso(ms) : ms.error;
    };
    expect(at('2027-01-01', 'from')).toBe('2026-12-31T23:00:00.000Z');
    expect(at('2027-03-27', 'until')).toBe('2027-03-27T23:00:00.000Z');
    // The day the clocks go forward has 23 hours: it still ends at the next midnight.
    expect(at('2027-03-28', 'until')).toBe('2027-03-28T22:00:00.000Z');
    expect(at('2027-01-01T00:00:00+01:00', 'until')).toBe('2026-12-31T23:00:00.000Z');
    expect(at('2027-01-01T08:30Z', 'from')).toBe('2027-01-01T08:30:00.000Z');
    expect(at('2027-02-30', 'from')).toBe('"2027-02-30" is not a calendar date');
    expect(at('2027-01-01', 'from', 'Mars/Olympus')).toBe('unknown time zone "Mars/Olympus"');
  });
});

describe('checkHeader', () => {
  it('refuses unknown and missing columns', () => {
    expect(checkPriceCsvHeader(['type', 'sku', 'amount', 'tenant'])).toEqual([]);
    expect(checkPriceCsvHeader(['type', 'sku', 'prijs', 'sku'])).toEqual([
      'unknown column "prijs" (columns: type, sku, amount, currency, min_quantity, price_list, tenant, company, valid_from, valid_until)',
      'column "sku" appears twice',
      'missing column "amount"',
    ]);
  });
});

describe('checkPeriods', () => {
  const DAY = 86_400_000;
  let line = 1;
  const r = (group: string, minQuantity: number, from: number, until: number) => ({
    row: { line: ++line, minQuantity, from, until, zone: 'UTC' } as PriceRow,
    variantId: 1,
    ownerId: 1,
    group,
  });

  it('accepts tiers of one period and adjacent periods, refuses overlaps in the batch', () => {
    const rows = [
      r('g', 1, 0, 10 * DAY),
      r('g', 10, 0, 10 * DAY),
      r('g', 1, 10 * DAY, Infinity),
      r('g', 5, 5 * DAY, Infinity),
      r('h', 1, 5 * DAY, Infinity),
    ];
    const refused = checkPeriods(rows, new Map());
    expect([...refused.keys()]).toEqual([rows[3]]);
    expect(refused.get(rows[3])).toMatch(/overlaps .* on line \d+/);
  });

  it('ignores stored prices the batch replaces, and repeats when refusing exposes one', () => {
    // Stored: tiers 1 and 10 on [0, 10 days). The batch shortens both to [0, 5 days) …
    const stored = [
      { minQuantity: 1, from: 0, until: 10 * DAY },
      { minQuantity: 10, from: 0, until: 10 * DAY },
    ];
    const one = r('g', 1, 0, 5 * DAY);
    const ten = r('g', 10, 0, 5 * DAY);
    expect(
      checkPeriods(
        [one, ten],
        new Map([
          [one, stored],
          [ten, stored],
        ]),
      ).size,
    ).toBe(0);
    // … but when tier 10's row is refused (a stored price of another period it overlaps),
    // tier 10 keeps its old period, so tier 1's new one overlaps it as well.
    const other = { minQuantity: 10, from: -Infinity, until: 1 };
    const refused = checkPeriods(
      [one, ten],
      new Map([
        [one, stored],
        [ten, [...stored, other]],
      ]),
    );
    expect([...refused.keys()]).toEqual([ten, one]);
  });
});

describe('KeyIndex', () => {
  it('remembers the first line of every key across growth', () => {
    const keys = new KeyIndex(16);
    const key = (i: number) => `C\u0000t\u0000ACME\u0000SKU-${i}`;
    let added = 0;
    for (let i = 1; i <= 20_000; i++) if (keys.addOrGet(key(i), i) === 0) added++;
    expect(added).toBe(20_000);
    expect(keys.size).toBe(20_000);
    const lines: number[] = [];
    for (let i = 1; i <= 20_000; i++) lines.push(keys.addOrGet(key(i), 99_999));
    expect(lines.every((line, i) => line === i + 1)).toBe(true);
    expect(keys.addOrGet('other', 3)).toBe(0);
  });
});
