import { VitrineError } from '@vitrine/errors';
import { shippingCost, type Shipment, type ShippingRule } from './shipping';

const TABLE: ShippingRule[] = [
  { countries: ['NL', 'BE'], maxWeightKg: 30, price: '9.95' },
  { countries: ['NL', 'BE'], minWeightKg: 30, maxWeightKg: 1000, price: '49.00' },
  { countries: ['NL', 'BE'], minOrderValue: '500.00', maxVolumeM3: 2, price: '0.00' },
  { countries: ['DE'], price: '19.50' },
];

const order = (s: Partial<Shipment>): Shipment => ({
  country: 'NL',
  weightGrams: 5_000,
  volumeMl: 10_000,
  orderValueMinor: 12_000,
  currency: 'EUR',
  ...s,
});

describe('shippingCost', () => {
  it('charges the weight bracket the order falls in', () => {
    expect(shippingCost(TABLE, order({}))).toEqual({ priceMinor: 995, rule: 0 });
    expect(shippingCost(TABLE, order({ weightGrams: 31_000 }))).toEqual({
      priceMinor: 4900,
      rule: 1,
    });
  });

  it('treats limits as inclusive', () => {
    expect(shippingCost(TABLE, order({ weightGrams: 30_000 })).priceMinor).toBe(995);
    expect(shippingCost(TABLE, order({ orderValueMinor: 50_000 })).priceMinor).toBe(0);
  });

  it('makes shipping free above the threshold, when the volume allows', () => {
    expect(shippingCost(TABLE, order({ orderValueMinor: 60_000 })).priceMinor).toBe(0);
    expect(
      shippingCost(TABLE, order({ orderValueMinor: 60_000, volumeMl: 2_500_000 })).priceMinor,
    ).toBe(995);
  });

  it('lets the cheapest matching rule win, the first on a tie', () => {
    const tie: ShippingRule[] = [
      { countries: ['NL'], price: '5.00' },
      { countries: ['NL'], price: '5.00' },
    ];
    expect(shippingCost(tie, order({})).rule).toBe(0);
  });

  it('refuses a destination or weight no rule covers, never a silent zero', () => {
    for (const s of [order({ country: 'FR' }), order({ weightGrams: 1_500_000 })]) {
      let error: unknown;
      try {
        shippingCost(TABLE, s);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(VitrineError);
      expect((error as VitrineError).code).toBe('SHIPPING_UNAVAILABLE');
      expect((error as VitrineError).message).toContain(s.country);
    }
    expect(() => shippingCost([], order({}))).toThrow(/cannot ship/);
  });

  it('works in currencies without cents', () => {
    const yen: ShippingRule[] = [{ countries: ['JP'], price: '1200' }];
    expect(shippingCost(yen, order({ country: 'JP', currency: 'JPY' })).priceMinor).toBe(1200);
  });
});
