import { VitrineError } from '@vitrine/errors';

/**
 * Money inside the code: an integer number of minor units (cents) and an ISO-4217 code.
 * Minor units stay far below 2^53 for any realistic B2B amount; `assertMinor` guards that
 * invariant wherever amounts are created. Floats never hold money.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

const exponents = new Map<string, number>();

/** Digits after the decimal point for a currency (EUR 2, JPY 0, BHD 3), from the runtime's ISO data. */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    try {
      exp =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      throw VitrineError.badInput(`"${currency}" is not an ISO-4217 currency code.`);
    }
    exponents.set(currency, exp);
  }
  return exp;
}

export function assertMinor(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`Money amount ${amountMinor} is not a safe integer of minor units`);
  return amountMinor;
}

/**
 * A stored amount (PostgreSQL bigint, which drivers hand over as text) as minor units; refuses
 * anything that is not a safe integer rather than rounding it.
 */
export function minorFromDb(value: string | number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (!Number.isSafeInteger(n) || String(n) !== String(value).trim())
    throw new RangeError(`Stored amount ${value} is not a safe integer of minor units`);
  return n;
}

/** 1234 EUR → "12.34"; -5 EUR → "-0.05"; 7 JPY → "7". */
export function formatDecimal(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exp = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exp + 1, '0');
  const whole = digits.slice(0, digits.length - exp);
  const fraction = exp > 0 ? `.${digits.slice(digits.length - exp)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** "12.5" EUR → 1250. Rejects more decimals than the currency has, exponents, spaces, commas. */
export function parseDecimal(text: string, currency: string): number {
  const exp = currencyExponent(currency);
  const match = /^(-?)(\d{1,13})(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] ?? '').length > exp) {
    throw VitrineError.badInput(
      `"${text}" is not a valid ${currency} amount (use a dot and at most ${exp} decimals, e.g. "12.50").`,
    );
  }
  const fraction = (match[3] ?? '').padEnd(exp, '0');
  const minor = Number.parseInt(`${match[2]}${fraction}`, 10);
  return assertMinor(match[1] ? -minor : minor);
}

/**
 * Applies a percentage discount to a unit price, rounding half up to the minor unit
 * (commercial rounding, used for every price the platform derives). `percent` has at most
 * two decimals; the arithmetic is done in integers.
 */
export function discountMinor(amountMinor: number, percent: number): number {
  const basisPoints = BigInt(Math.round(percent * 100));
  if (basisPoints < 0n || basisPoints > 10000n)
    throw new RangeError(`Discount percentage ${percent} is out of range`);
  const numerator = BigInt(assertMinor(amountMinor)) * (10000n - basisPoints);
  return assertMinor(Number(roundHalfUp(numerator, 10000n)));
}

/** n / d rounded half away from zero, in integers. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (2n * a + b) / (2n * b);
  return negative ? -q : q;
}

/**
 * Money for people to read, in the page's locale: 20045 EUR in nl → "€ 200,45". Display only —
 * the number handed to Intl is exact for any safe integer of minor units; nothing computes on it.
 */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  assertMinor(amountMinor);
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const exp = currencyExponent(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    moneyFormats.set(key, format);
  }
  return format.format(Number(formatDecimal(amountMinor, currency)));
}

/** Formatters per (locale, currency): a page formats dozens of prices with the same one. */
const moneyFormats = new Map<string, Intl.NumberFormat>();
