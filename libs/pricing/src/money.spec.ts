import { VitrineError } from '@vitrine/errors';
import {
  currencyExponent,
  discountMinor,
  formatDecimal,
  formatMoney as format,
  parseDecimal,
  roundHalfUp,
} from './money';

describe('money', () => {
  it.each([
    [1234, 'EUR', '12.34'],
    [5, 'EUR', '0.05'],
    [-5, 'EUR', '-0.05'],
    [0, 'EUR', '0.00'],
    [7, 'JPY', '7'],
    [1234, 'BHD', '1.234'],
  ])('formats %d %s as %s', (minor, cur, text) => {
    expect(formatDecimal(minor, cur)).toBe(text);
  });

  it.each([
    ['12.5', 'EUR', 1250],
    ['12.50', 'EUR', 1250],
    ['0', 'EUR', 0],
    ['9.95', 'EUR', 995],
    ['100', 'JPY', 100],
  ])('parses %s %s as %d', (text, cur, minor) => {
    expect(parseDecimal(text, cur)).toBe(minor);
  });

  it.each(['12.345', '1,50', '1e3', ' 1.00', 'abc', '', '-', '12.'])('rejects %p', (text) => {
    expect(() => parseDecimal(text, 'EUR')).toThrow(VitrineError);
  });

  it('rejects unknown currencies with BAD_USER_INPUT', () => {
    expect(() => currencyExponent('XYZW')).toThrow(VitrineError);
  });

  it('rounds discounts half up to the cent', () => {
    expect(discountMinor(1000, 5)).toBe(950);
    expect(discountMinor(999, 5)).toBe(949); // 949.05 → 949
    expect(discountMinor(1010, 5)).toBe(960); // 959.5 → 960 (half up)
    expect(discountMinor(1, 50)).toBe(1); // 0.5 → 1
    expect(discountMinor(333, 12.5)).toBe(291); // 291.375 → 291
    expect(discountMinor(1000, 0)).toBe(1000);
    expect(discountMinor(1000, 100)).toBe(0);
    expect(() => discountMinor(1000, 101)).toThrow(RangeError);
  });

  it('rounds half away from zero for negatives too', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n);
    expect(roundHalfUp(-5n, 2n)).toBe(-3n);
    expect(roundHalfUp(4n, 3n)).toBe(1n);
  });
});

describe('formatMoney', () => {
  it('formats in the locale of the page', () => {
    // Intl separates with (narrow) no-break spaces; compare them as plain spaces.
    const formatMoney = (...args: Parameters<typeof format>) =>
      format(...args).replace(/[\u00a0\u202f]/g, ' ');
    expect(formatMoney(20045, 'EUR', 'nl')).toBe('€ 200,45');
    expect(formatMoney(20045, 'EUR', 'en')).toBe('€200.45');
    expect(formatMoney(123456789, 'EUR', 'de')).toBe('1.234.567,89 €');
    expect(formatMoney(7, 'JPY', 'en')).toBe('¥7');
  });
});
