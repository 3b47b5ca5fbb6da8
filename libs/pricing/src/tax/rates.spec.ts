import { VitrineError } from '@vitrine/errors';
import { isEuMemberState } from './countries';
import { vatRateBasisPoints } from './line-tax';
import {
  localDate,
  SELLER_COUNTRY,
  TAX_CATEGORIES,
  VAT_RATE_TABLE,
  vatRate,
  vatRateAt,
  type TaxCategory,
} from './rates';

const NOW = new Date('2026-06-15T10:00:00Z');

describe('VAT_RATE_TABLE', () => {
  it.each(Object.entries(VAT_RATE_TABLE))('%s is well formed', (country, rates) => {
    expect(isEuMemberState(country)).toBe(true);
    expect(() => localDate(NOW, rates.timeZone)).not.toThrow();
    expect(rates.periods.length).toBeGreaterThan(0);
    const days = rates.periods.map((p) => p.validFrom);
    expect([...days].sort()).toEqual(days);
    expect(new Set(days).size).toBe(days.length);
    for (const p of rates.periods) {
      expect(p.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.standard).toMatch(/^\d{1,2}\.\d{2}$/);
      expect(p.reduced).toMatch(/^\d{1,2}\.\d{2}$/);
      expect(vatRateBasisPoints(p.reduced)).toBeLessThan(vatRateBasisPoints(p.standard));
    }
  });

  it('has the seller country', () => {
    expect(VAT_RATE_TABLE[SELLER_COUNTRY]).toBeDefined();
  });
});

describe('vatRateAt', () => {
  it.each<[string, TaxCategory, string]>([
    ['NL', 'standard', '21.00'],
    ['NL', 'reduced', '9.00'],
    ['NL', 'zero', '0.00'],
    ['BE', 'standard', '21.00'],
    ['BE', 'reduced', '6.00'],
    ['BE', 'zero', '0.00'],
    ['DE', 'standard', '19.00'],
    ['DE', 'reduced', '7.00'],
    ['DE', 'zero', '0.00'],
    ['FR', 'standard', '20.00'],
    ['FR', 'reduced', '5.50'],
    ['FR', 'zero', '0.00'],
    ['LU', 'standard', '17.00'],
    ['LU', 'reduced', '8.00'],
    ['LU', 'zero', '0.00'],
    ['AT', 'standard', '20.00'],
    ['AT', 'reduced', '10.00'],
    ['AT', 'zero', '0.00'],
  ])('%s %s is %s today', (country, category, rate) => {
    expect(vatRateAt(country, category, NOW)).toBe(rate);
  });

  it.each<[string, string, TaxCategory, string]>([
    // Luxembourg's 2023 reduction ended at midnight 1 January 2024 in Luxembourg (UTC+1).
    ['LU', '2023-12-31T22:59:59.999Z', 'standard', '16.00'],
    ['LU', '2023-12-31T23:00:00.000Z', 'standard', '17.00'],
    ['LU', '2022-12-31T22:59:59.999Z', 'reduced', '8.00'],
    ['LU', '2022-12-31T23:00:00.000Z', 'reduced', '7.00'],
    // Germany's reduction began at midnight 1 July 2020 in Berlin (summer time, UTC+2).
    ['DE', '2020-06-30T21:59:59.999Z', 'standard', '19.00'],
    ['DE', '2020-06-30T22:00:00.000Z', 'standard', '16.00'],
    ['DE', '2020-06-30T22:00:00.000Z', 'reduced', '5.00'],
    ['DE', '2020-12-31T22:59:59.999Z', 'standard', '16.00'],
    ['DE', '2020-12-31T23:00:00.000Z', 'standard', '19.00'],
    ['DE', '2020-12-31T23:00:00.000Z', 'zero', '0.00'],
  ])('%s at %s: %s is %s (switch at local midnight)', (country, at, category, rate) => {
    expect(vatRateAt(country, category, new Date(at))).toBe(rate);
  });

  it('refuses a country without rates with BAD_USER_INPUT naming the table', () => {
    const err = catchError(() => vatRateAt('IT', 'standard', NOW));
    expect(err).toBeInstanceOf(VitrineError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', details: { country: 'IT' } });
    expect((err as Error).message).toContain('VAT_RATE_TABLE');
  });

  it('refuses instants before the history of the table', () => {
    expect(() => vatRateAt('NL', 'standard', new Date('2018-12-31T22:59:59Z'))).toThrow(
      /No VAT rates are recorded for NL on 2018-12-31/,
    );
    expect(vatRateAt('NL', 'reduced', new Date('2018-12-31T23:00:00Z'))).toBe('9.00');
  });

  it('refuses unknown categories and invalid instants', () => {
    expect(() => vatRateAt('NL', 'super-reduced' as TaxCategory, NOW)).toThrow(RangeError);
    expect(() => vatRateAt('NL', 'standard', new Date('nope'))).toThrow(RangeError);
  });

  it('lists exactly the categories of the variant.tax_category column', () => {
    expect(TAX_CATEGORIES).toEqual(['standard', 'reduced', 'zero']);
  });
});

describe('vatRate (current rate, as the price resolver uses it)', () => {
  it('defaults to the standard rate', () => {
    expect(vatRate(SELLER_COUNTRY)).toBe('21.00');
    expect(vatRate('NL', 'reduced')).toBe('9.00');
    expect(vatRate('NL', 'zero')).toBe('0.00');
  });
});

describe('localDate', () => {
  it('is the calendar date in the given zone', () => {
    const at = new Date('2024-03-31T22:30:00Z');
    expect(localDate(at, 'Europe/Amsterdam')).toBe('2024-04-01');
    expect(localDate(at, 'UTC')).toBe('2024-03-31');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
