/**
 * VAT: rates per member state with effective dates, the decision which VAT applies to a line
 * (domestic, intra-EU reverse charge, distance sale, export), VAT id checks, and the integer
 * arithmetic of line VAT and per-rate totals. Rules: docs/pricing.md, "VAT".
 */
export {
  EU_MEMBER_STATES,
  countryCode,
  countryOfVatId,
  isCountryCode,
  isEuMemberState,
  vatPrefix,
  vatTerritory,
} from './countries';
export {
  SELLER_COUNTRY,
  TAX_CATEGORIES,
  VAT_RATE_TABLE,
  ZERO_RATE,
  assertTaxCategory,
  hasVatRates,
  localDate,
  vatRate,
  vatRateAt,
  type CountryVatRates,
  type TaxCategory,
  type VatRatePeriod,
} from './rates';
export { isValidVatId, normalizeVatId } from './vat-id';
export {
  EXPORT_NOTE,
  REVERSE_CHARGE_NOTE,
  taxFor,
  type TaxDecision,
  type TaxInput,
  type TaxNote,
  type TaxRule,
} from './tax-decision';
export {
  formatVatRate,
  lineTaxMinor,
  sumVat,
  vatRateBasisPoints,
  type TaxLine,
  type VatBreakdownRow,
  type VatTotals,
} from './line-tax';
