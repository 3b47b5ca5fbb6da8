import { VitrineError } from '@vitrine/errors';
import { EU_MEMBER_STATES } from './countries';
import { TAX_CATEGORIES, VAT_RATE_TABLE, type TaxCategory } from './rates';
import { EXPORT_NOTE, REVERSE_CHARGE_NOTE, taxFor, type TaxInput } from './tax-decision';
import { VALID_VAT_IDS } from './vat-ids.fixture';

const AT = new Date('2026-06-15T10:00:00Z');

/** Today's rates, written out independently of the table. */
const RATES: Readonly<Record<string, Record<TaxCategory, string>>> = {
  NL: { standard: '21.00', reduced: '9.00', zero: '0.00' },
  BE: { standard: '21.00', reduced: '6.00', zero: '0.00' },
  DE: { standard: '19.00', reduced: '7.00', zero: '0.00' },
  FR: { standard: '20.00', reduced: '5.50', zero: '0.00' },
  LU: { standard: '17.00', reduced: '8.00', zero: '0.00' },
  AT: { standard: '20.00', reduced: '10.00', zero: '0.00' },
};
const TABLE_COUNTRIES = Object.keys(RATES);
const UNTABLED_MEMBERS = EU_MEMBER_STATES.filter((c) => !(c in RATES));
const NON_EU = ['GB', 'CH', 'NO', 'IS', 'LI', 'US', 'CA', 'JP', 'CN', 'TR', 'UA', 'SM', 'AD', 'XK'];

function cross<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  return as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
}

function tax(input: Partial<TaxInput> & Pick<TaxInput, 'shipToCountry'>) {
  return taxFor({ sellerCountry: 'NL', category: 'standard', at: AT, ...input });
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

it('the spec covers every country of the rate table', () => {
  expect(Object.keys(VAT_RATE_TABLE).sort()).toEqual([...TABLE_COUNTRIES].sort());
});

describe('DOMESTIC: ship-to is the seller country', () => {
  it.each(cross(TABLE_COUNTRIES, TAX_CATEGORIES))('seller %s, %s', (seller, category) => {
    expect(taxFor({ sellerCountry: seller, shipToCountry: seller, category, at: AT })).toEqual({
      rate: RATES[seller][category],
      rule: 'DOMESTIC',
      reverseCharge: false,
      note: null,
      vatCountry: seller,
    });
  });

  it.each(TABLE_COUNTRIES)('seller %s: a VAT id (own or foreign) changes nothing', (seller) => {
    for (const buyerVatId of [VALID_VAT_IDS[seller], VALID_VAT_IDS.IT, 'garbage']) {
      const d = taxFor({
        sellerCountry: seller,
        shipToCountry: seller,
        category: 'standard',
        buyerVatId,
        at: AT,
      });
      expect(d).toMatchObject({
        rule: 'DOMESTIC',
        rate: RATES[seller].standard,
        reverseCharge: false,
      });
    }
  });
});

describe('INTRA_EU_REVERSE_CHARGE: another member state, buyer has its VAT id', () => {
  const others = EU_MEMBER_STATES.filter((c) => c !== 'NL');

  it.each(cross(others, TAX_CATEGORIES))('NL → %s, %s', (shipTo, category) => {
    expect(tax({ shipToCountry: shipTo, category, buyerVatId: VALID_VAT_IDS[shipTo] })).toEqual({
      rate: '0.00',
      rule: 'INTRA_EU_REVERSE_CHARGE',
      reverseCharge: true,
      note: REVERSE_CHARGE_NOTE,
      vatCountry: null,
    });
  });

  it.each(TABLE_COUNTRIES.filter((c) => c !== 'DE'))('seller DE → %s', (shipTo) => {
    const d = taxFor({
      sellerCountry: 'DE',
      shipToCountry: shipTo,
      category: 'reduced',
      buyerVatId: VALID_VAT_IDS[shipTo],
      at: AT,
    });
    expect(d).toMatchObject({ rule: 'INTRA_EU_REVERSE_CHARGE', rate: '0.00', reverseCharge: true });
  });

  it('accepts the id as people type it', () => {
    expect(tax({ shipToCountry: 'DE', buyerVatId: ' de 136 695 976 ' }).rule).toBe(
      'INTRA_EU_REVERSE_CHARGE',
    );
  });

  it('Greece: ship-to GR with an EL id', () => {
    expect(tax({ shipToCountry: 'GR', buyerVatId: 'EL094012834' }).rule).toBe(
      'INTRA_EU_REVERSE_CHARGE',
    );
  });

  it('carries the legal mention in Dutch and English', () => {
    const { note } = tax({ shipToCountry: 'BE', buyerVatId: VALID_VAT_IDS.BE });
    expect(note?.en).toContain('Article 138 of Council Directive 2006/112/EC');
    expect(note?.en).toContain('reverse charged');
    expect(note?.nl).toContain('artikel 138 van Richtlijn 2006/112/EG');
    expect(note?.nl).toContain('Btw verlegd');
  });
});

describe('INTRA_EU_DESTINATION: another member state without its VAT id (distance sale)', () => {
  const destinations = TABLE_COUNTRIES.filter((c) => c !== 'NL');
  const noValidId: [string, (shipTo: string) => string | null | undefined][] = [
    ['no VAT id', () => undefined],
    ['null VAT id', () => null],
    ['empty VAT id', () => ''],
    [
      'wrong check digit',
      (shipTo) => VALID_VAT_IDS[shipTo].replace(/\d$/, (d) => String((+d + 1) % 10)),
    ],
    ["the seller country's VAT id", () => VALID_VAT_IDS.NL],
    ["a third member state's VAT id", () => VALID_VAT_IDS.IT],
    ['a non-EU VAT id', () => 'CHE116281710'],
  ];

  it.each(cross(destinations, TAX_CATEGORIES))('NL → %s, %s', (shipTo, category) => {
    for (const [, vatId] of noValidId) {
      expect(tax({ shipToCountry: shipTo, category, buyerVatId: vatId(shipTo) })).toEqual({
        rate: RATES[shipTo][category],
        rule: 'INTRA_EU_DESTINATION',
        reverseCharge: false,
        note: null,
        vatCountry: shipTo,
      });
    }
  });

  it.each(noValidId.map(([label]) => label))('NL → BE with %s charges Belgian VAT', (label) => {
    const vatId = noValidId.find(([l]) => l === label)![1]('BE');
    expect(tax({ shipToCountry: 'BE', buyerVatId: vatId }).rate).toBe('21.00');
  });

  it.each(UNTABLED_MEMBERS)(
    'NL → %s without its VAT id is BAD_USER_INPUT, never a silent 0 %%',
    (shipTo) => {
      const err = errorOf(() => tax({ shipToCountry: shipTo, buyerVatId: VALID_VAT_IDS.NL }));
      expect(err).toBeInstanceOf(VitrineError);
      expect(err).toMatchObject({
        code: 'BAD_USER_INPUT',
        details: { shipToCountry: shipTo, vatCountry: shipTo },
      });
      expect((err as Error).message).toContain(`VAT id`);
      expect((err as Error).message).toContain(`add ${shipTo}'s rates`);
    },
  );

  it('names the EL prefix for Greece', () => {
    expect(() => tax({ shipToCountry: 'GR', buyerVatId: 'GR094012834' })).toThrow(
      /valid EL VAT id/,
    );
  });

  it('Monaco is in the French VAT territory', () => {
    expect(tax({ shipToCountry: 'MC', category: 'reduced' })).toMatchObject({
      rule: 'INTRA_EU_DESTINATION',
      rate: '5.50',
      vatCountry: 'FR',
    });
    expect(tax({ shipToCountry: 'MC', buyerVatId: VALID_VAT_IDS.FR }).rule).toBe(
      'INTRA_EU_REVERSE_CHARGE',
    );
    expect(
      taxFor({ sellerCountry: 'FR', shipToCountry: 'MC', category: 'standard', at: AT }),
    ).toMatchObject({
      rule: 'DOMESTIC',
      rate: '20.00',
    });
  });
});

describe('EXPORT: ship-to outside the EU', () => {
  it.each(cross(NON_EU, TAX_CATEGORIES))('NL → %s, %s', (shipTo, category) => {
    expect(tax({ shipToCountry: shipTo, category })).toEqual({
      rate: '0.00',
      rule: 'EXPORT',
      reverseCharge: false,
      note: EXPORT_NOTE,
      vatCountry: null,
    });
  });

  it.each(TABLE_COUNTRIES)('seller %s → CH, with or without a VAT id', (seller) => {
    for (const buyerVatId of [undefined, 'CHE116281710', VALID_VAT_IDS[seller]])
      expect(
        taxFor({
          sellerCountry: seller,
          shipToCountry: 'CH',
          category: 'standard',
          buyerVatId,
          at: AT,
        }),
      ).toMatchObject({ rule: 'EXPORT', rate: '0.00' });
  });

  it('carries the legal mention in Dutch and English', () => {
    expect(EXPORT_NOTE.en).toContain('Article 146 of Council Directive 2006/112/EC');
    expect(EXPORT_NOTE.nl).toContain('artikel 146 van Richtlijn 2006/112/EG');
  });
});

describe('effective dates', () => {
  it.each<[string, string, string, string]>([
    ['NL', 'LU', '2023-12-31T22:59:59.999Z', '16.00'],
    ['NL', 'LU', '2023-12-31T23:00:00.000Z', '17.00'],
    ['DE', 'DE', '2020-06-30T21:59:59.999Z', '19.00'],
    ['DE', 'DE', '2020-06-30T22:00:00.000Z', '16.00'],
    ['NL', 'DE', '2020-12-31T22:59:59.999Z', '16.00'],
    ['NL', 'DE', '2020-12-31T23:00:00.000Z', '19.00'],
  ])(
    'seller %s → %s at %s: %s (local midnight of the taxing state)',
    (seller, shipTo, at, rate) => {
      expect(
        taxFor({
          sellerCountry: seller,
          shipToCountry: shipTo,
          category: 'standard',
          at: new Date(at),
        }).rate,
      ).toBe(rate);
    },
  );
});

describe('errors', () => {
  it.each(['XX', 'EL', 'UK', '', 'NLD', 'D'])('unknown ship-to country %p: BAD_USER_INPUT', (c) => {
    const err = errorOf(() => tax({ shipToCountry: c }));
    expect(err).toBeInstanceOf(VitrineError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'ship-to country' } });
  });

  it('accepts lower-case codes', () => {
    expect(
      taxFor({ sellerCountry: 'nl', shipToCountry: 'be', category: 'standard', at: AT }).rate,
    ).toBe('21.00');
  });

  it('unknown seller country: BAD_USER_INPUT', () => {
    expect(() =>
      taxFor({ sellerCountry: 'XX', shipToCountry: 'NL', category: 'standard', at: AT }),
    ).toThrow(VitrineError);
  });

  it.each(['CH', 'IT'])(
    'seller %s (not a member with rates) is a configuration error',
    (seller) => {
      expect(() =>
        taxFor({ sellerCountry: seller, shipToCountry: 'NL', category: 'standard', at: AT }),
      ).toThrow(RangeError);
    },
  );

  it('unknown category is a RangeError', () => {
    expect(() => tax({ shipToCountry: 'NL', category: 'luxury' as TaxCategory })).toThrow(
      RangeError,
    );
  });
});
