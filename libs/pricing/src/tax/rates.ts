import { VitrineError } from '@vitrine/errors';

/**
 * A variant's tax category (the `variant.tax_category` column allows exactly these). The rate
 * behind it depends on the country whose VAT applies.
 */
export type TaxCategory = 'standard' | 'reduced' | 'zero';

/** Every tax category, for validation and tests. */
export const TAX_CATEGORIES: readonly TaxCategory[] = Object.freeze([
  'standard',
  'reduced',
  'zero',
]);

/** The seller's (the installation's) country: where goods ship from and domestic VAT applies. */
export const SELLER_COUNTRY = 'NL';

/**
 * The rates of one country from `validFrom` until the next period begins. Rates are percentages
 * as decimal strings with two decimals ("5.50"). `zero` is 0 everywhere and not listed.
 */
export interface VatRatePeriod {
  /** First day the rates are in force, `YYYY-MM-DD`, a calendar date in the country's time zone. */
  readonly validFrom: string;
  readonly standard: string;
  readonly reduced: string;
}

export interface CountryVatRates {
  /** IANA time zone in which the country's rate changes take effect at midnight. */
  readonly timeZone: string;
  /** Ascending by `validFrom`; the last period that has begun is the one in force. */
  readonly periods: readonly VatRatePeriod[];
}

/**
 * VAT rates per member state (ISO code). A rate change by law is a new period appended with its
 * `validFrom`; earlier periods stay, so orders placed before the change can still be recomputed.
 * The history starts on 2019-01-01: no rates are known, and none are computed, before that day.
 * Only the general reduced rate is kept; countries with several reduced rates (BE 12 %, FR 10 %
 * and 2.1 %, LU 14 % and 3 %, AT 13 %) need more categories before articles can use them.
 */
export const VAT_RATE_TABLE: Readonly<Record<string, CountryVatRates>> = {
  NL: {
    timeZone: 'Europe/Amsterdam',
    periods: [{ validFrom: '2019-01-01', standard: '21.00', reduced: '9.00' }],
  },
  BE: {
    timeZone: 'Europe/Brussels',
    periods: [{ validFrom: '2019-01-01', standard: '21.00', reduced: '6.00' }],
  },
  DE: {
    timeZone: 'Europe/Berlin',
    periods: [
      { validFrom: '2019-01-01', standard: '19.00', reduced: '7.00' },
      // Temporary reduction (Second Corona Tax Assistance Act), 1 July – 31 December 2020.
      { validFrom: '2020-07-01', standard: '16.00', reduced: '5.00' },
      { validFrom: '2021-01-01', standard: '19.00', reduced: '7.00' },
    ],
  },
  FR: {
    timeZone: 'Europe/Paris',
    periods: [{ validFrom: '2019-01-01', standard: '20.00', reduced: '5.50' }],
  },
  LU: {
    timeZone: 'Europe/Luxembourg',
    periods: [
      { validFrom: '2019-01-01', standard: '17.00', reduced: '8.00' },
      // Temporary reduction by one point for the calendar year 2023.
      { validFrom: '2023-01-01', standard: '16.00', reduced: '7.00' },
      { validFrom: '2024-01-01', standard: '17.00', reduced: '8.00' },
    ],
  },
  AT: {
    timeZone: 'Europe/Vienna',
    periods: [{ validFrom: '2019-01-01', standard: '20.00', reduced: '10.00' }],
  },
};

export const ZERO_RATE = '0.00';

/** Whether the rate table has rates for `country`. */
export function hasVatRates(country: string): boolean {
  return Object.prototype.hasOwnProperty.call(VAT_RATE_TABLE, country);
}

/** Throws unless `category` is one of `TAX_CATEGORIES` (a database value is checked, not trusted). */
export function assertTaxCategory(category: string): asserts category is TaxCategory {
  if (!(TAX_CATEGORIES as readonly string[]).includes(category))
    throw new RangeError(
      `Unknown tax category "${category}"; expected one of ${TAX_CATEGORIES.join(', ')}`,
    );
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) of instant `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new RangeError(`Not a valid instant: ${String(at)}`);
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/**
 * The VAT rate of `country` for `category` in force at instant `at` ("21.00"). The period is
 * chosen by the calendar date of `at` in the country's own time zone, so a change "from 1 January"
 * takes effect at local midnight. Throws BAD_USER_INPUT when the table has no rates for the
 * country (or none yet at `at`).
 */
export function vatRateAt(country: string, category: TaxCategory, at: Date): string {
  assertTaxCategory(category);
  if (!hasVatRates(country))
    throw VitrineError.badInput(
      `No VAT rates are configured for country ${country}. Add its rates to VAT_RATE_TABLE ` +
        `(libs/pricing/src/tax/rates.ts) before selling there with its VAT.`,
      { country },
    );
  const rates = VAT_RATE_TABLE[country];
  const day = localDate(at, rates.timeZone);
  let current: VatRatePeriod | undefined;
  for (const period of rates.periods) if (period.validFrom <= day) current = period;
  if (!current)
    throw VitrineError.badInput(
      `No VAT rates are recorded for ${country} on ${day}; the table starts on ` +
        `${rates.periods[0]?.validFrom ?? '(no periods)'}.`,
      { country, date: day },
    );
  return category === 'zero' ? ZERO_RATE : current[category];
}

/**
 * Rate of `country` for `category` in force now. Kept for the price resolver, which shows the
 * domestic rate beside a price; orders use `taxFor`.
 */
export function vatRate(country: string, category: TaxCategory = 'standard'): string {
  return vatRateAt(country, category, new Date());
}
