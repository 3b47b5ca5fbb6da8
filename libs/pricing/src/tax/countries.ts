import { VitrineError } from '@vitrine/errors';

/**
 * The 27 member states of the European Union (ISO 3166-1 alpha-2). Greece is `GR` here, as in
 * every address; only its VAT ids use the prefix `EL` (see `vatPrefix`).
 */
export const EU_MEMBER_STATES: readonly string[] = Object.freeze([
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]); // prettier-ignore

const EU = new Set(EU_MEMBER_STATES);

/**
 * Every officially assigned ISO 3166-1 alpha-2 code (249), plus XK (Kosovo), which is
 * user-assigned but used by the European Commission and by carriers.
 */
const ISO_COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ' +
    'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ' +
    'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ' +
    'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ' +
    'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ' +
    'VN VU WF WS YE YT ZA ZM ZW XK'
  ).split(' '),
);

/** Codes people type for a country that are not its ISO code. */
const NOT_ISO_HINTS: Readonly<Record<string, string>> = {
  EL: 'Greece is GR (EL is only the prefix of Greek VAT ids)',
  UK: 'the United Kingdom is GB',
  EU: 'EU is not a country; give the member state',
};

/**
 * Countries outside the EU member list that belong to a member state's VAT territory
 * (Article 7 of Directive 2006/112/EC): supplies to Monaco are treated as supplies to France.
 */
const VAT_TERRITORY_OF: Readonly<Record<string, string>> = { MC: 'FR' };

export function isEuMemberState(country: string): boolean {
  return EU.has(country);
}

/** Whether `code` is an ISO 3166-1 alpha-2 code in upper case (or XK). */
export function isCountryCode(code: string): boolean {
  return ISO_COUNTRIES.has(code);
}

/**
 * Checks and normalises a country code given by a caller: trims, upper-cases, and rejects
 * anything that is not an ISO 3166-1 alpha-2 code with BAD_USER_INPUT. `role` names the field
 * in the message ("ship-to country").
 */
export function countryCode(code: string, role = 'country'): string {
  const normalized = typeof code === 'string' ? code.trim().toUpperCase() : '';
  if (ISO_COUNTRIES.has(normalized)) return normalized;
  const hint = NOT_ISO_HINTS[normalized];
  throw VitrineError.badInput(
    `"${String(code)}" is not a valid ${role}: use a two-letter ISO 3166-1 country code` +
      (hint ? ` (${hint}).` : ' (e.g. NL, DE, GR).'),
    { field: role, value: String(code) },
  );
}

/** The member state whose VAT applies to goods delivered to `country` (MC → FR, else itself). */
export function vatTerritory(country: string): string {
  return VAT_TERRITORY_OF[country] ?? country;
}

/** The country of a VAT id: its prefix, except Greece (EL → GR). */
export function countryOfVatId(vatId: string): string {
  const prefix = vatId.trim().slice(0, 2).toUpperCase();
  return prefix === 'EL' ? 'GR' : prefix;
}

/** The prefix of a member state's VAT ids: the ISO code, except Greece (GR → EL). */
export function vatPrefix(country: string): string {
  return country === 'GR' ? 'EL' : country;
}
