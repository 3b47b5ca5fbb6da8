import { VitrineError } from '@vitrine/errors';
import { countryCode, isEuMemberState, vatPrefix, vatTerritory } from './countries';
import { assertTaxCategory, hasVatRates, vatRateAt, ZERO_RATE, type TaxCategory } from './rates';
import { isValidVatId } from './vat-id';

/**
 * - `DOMESTIC`: delivered within the seller's member state; its rate for the category.
 * - `INTRA_EU_REVERSE_CHARGE`: delivered to another member state for a buyer with a VAT id of
 *   that state; exempt intra-Community supply, the buyer accounts for the VAT (0 %).
 * - `INTRA_EU_DESTINATION`: delivered to another member state without such a VAT id; distance
 *   sale, the destination state's rate (declared through OSS).
 * - `EXPORT`: delivered outside the EU; exempt export (0 %).
 */
export type TaxRule = 'DOMESTIC' | 'INTRA_EU_REVERSE_CHARGE' | 'INTRA_EU_DESTINATION' | 'EXPORT';

/** The legal mention an order and its invoice must carry, in the shop's two languages. */
export interface TaxNote {
  readonly nl: string;
  readonly en: string;
}

export interface TaxInput {
  /** ISO code of the seller's member state (goods ship from there); normally `SELLER_COUNTRY`. */
  readonly sellerCountry: string;
  /** ISO code of the delivery address's country. */
  readonly shipToCountry: string;
  /** The variant's tax category. */
  readonly category: TaxCategory;
  /** The buying company's VAT id, if it gave one (any spacing, any case). */
  readonly buyerVatId?: string | null;
  /** The instant of the supply (order time); selects the rate in force. */
  readonly at: Date;
}

export interface TaxDecision {
  /** VAT percentage with two decimals ("21.00", "5.50", "0.00"). */
  readonly rate: string;
  readonly rule: TaxRule;
  /** True when the buyer, not the seller, accounts for the VAT. */
  readonly reverseCharge: boolean;
  /** Mention for order and invoice, or null when none is required. */
  readonly note: TaxNote | null;
  /** Member state whose VAT is charged (seller's or destination's); null when 0 % by rule. */
  readonly vatCountry: string | null;
}

export const REVERSE_CHARGE_NOTE: TaxNote = Object.freeze({
  en:
    'Intra-Community supply of goods, exempt under Article 138 of Council Directive ' +
    '2006/112/EC. VAT reverse charged: the customer accounts for the VAT.',
  nl:
    'Intracommunautaire levering van goederen, vrijgesteld op grond van artikel 138 van ' +
    'Richtlijn 2006/112/EG. Btw verlegd: de afnemer voldoet de btw.',
});

export const EXPORT_NOTE: TaxNote = Object.freeze({
  en: 'Export outside the EU, exempt under Article 146 of Council Directive 2006/112/EC.',
  nl: 'Uitvoer buiten de EU, vrijgesteld op grond van artikel 146 van Richtlijn 2006/112/EG.',
});

/**
 * Which VAT applies to one line: a pure decision from seller country, delivery country, tax
 * category, the buyer's VAT id and the instant of the supply (docs/pricing.md, "VAT").
 *
 * Throws BAD_USER_INPUT for a country code that is not ISO 3166-1 alpha-2, and for a delivery
 * to a member state whose rates the table does not know when the buyer has no VAT id of that
 * state (never a silent 0 %). Throws RangeError when the seller's country is not a member state
 * with rates, or the category is unknown: those are configuration errors, not the buyer's.
 */
export function taxFor(input: TaxInput): TaxDecision {
  const seller = countryCode(input.sellerCountry, 'seller country');
  if (!isEuMemberState(seller) || !hasVatRates(seller))
    throw new RangeError(
      `The seller country ${seller} must be an EU member state with VAT rates in VAT_RATE_TABLE`,
    );
  const shipTo = countryCode(input.shipToCountry, 'ship-to country');
  assertTaxCategory(input.category);
  const destination = vatTerritory(shipTo);

  if (destination === seller)
    return {
      rate: vatRateAt(seller, input.category, input.at),
      rule: 'DOMESTIC',
      reverseCharge: false,
      note: null,
      vatCountry: seller,
    };

  if (!isEuMemberState(destination))
    return {
      rate: ZERO_RATE,
      rule: 'EXPORT',
      reverseCharge: false,
      note: EXPORT_NOTE,
      vatCountry: null,
    };

  if (input.buyerVatId && isValidVatId(input.buyerVatId, destination))
    return {
      rate: ZERO_RATE,
      rule: 'INTRA_EU_REVERSE_CHARGE',
      reverseCharge: true,
      note: REVERSE_CHARGE_NOTE,
      vatCountry: null,
    };

  if (!hasVatRates(destination)) {
    const prefix = vatPrefix(destination);
    throw VitrineError.badInput(
      `Cannot compute VAT for a delivery to ${shipTo}: without a valid ${prefix} VAT id of ` +
        `the buyer, ${destination} VAT must be charged, and no VAT rates for ${destination} are ` +
        `configured. Enter the company's ${prefix} VAT id, or ask the seller to add ` +
        `${destination}'s rates.`,
      { shipToCountry: shipTo, vatCountry: destination },
    );
  }
  return {
    rate: vatRateAt(destination, input.category, input.at),
    rule: 'INTRA_EU_DESTINATION',
    reverseCharge: false,
    note: null,
    vatCountry: destination,
  };
}
