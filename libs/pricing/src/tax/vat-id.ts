import {
  austria,
  bulgaria,
  checkVAT,
  croatia,
  cyprus,
  czechRepublic,
  denmark,
  estonia,
  finland,
  france,
  germany,
  greece,
  hungary,
  ireland,
  italy,
  latvia,
  lithuania,
  luxembourg,
  malta,
  netherlands,
  poland,
  portugal,
  romania,
  slovakiaRepublic,
  slovenia,
  spain,
  sweden,
  type Country,
} from 'jsvat';
import { isEuMemberState, vatPrefix, vatTerritory } from './countries';

/** jsvat's rules per member state (ISO code), except Belgium, which `belgianVatId` checks. */
const JSVAT_RULES: Readonly<Record<string, Country>> = {
  AT: austria,
  BG: bulgaria,
  CY: cyprus,
  CZ: czechRepublic,
  DE: germany,
  DK: denmark,
  EE: estonia,
  ES: spain,
  FI: finland,
  FR: france,
  GR: greece,
  HR: croatia,
  HU: hungary,
  IE: ireland,
  IT: italy,
  LT: lithuania,
  LU: luxembourg,
  LV: latvia,
  MT: malta,
  NL: netherlands,
  PL: poland,
  PT: portugal,
  RO: romania,
  SE: sweden,
  SI: slovenia,
  SK: slovakiaRepublic,
};

/**
 * A VAT id as stored and printed: upper case, without the spaces, dots, hyphens and slashes
 * people type ("nl 8528.47.523 b01" → "NL852847523B01").
 */
export function normalizeVatId(vatId: string): string {
  return vatId.toUpperCase().replace(/[\s.\-/]+/g, '');
}

/**
 * Belgian enterprise numbers: 10 digits, the first 0 or 1 (numbers starting with 1 are issued
 * since the 0 range ran out in 2023), the last two 97 − (first eight mod 97). jsvat 2.5.4 still
 * rejects the 1 range, so Belgium is checked here.
 */
function belgianVatId(id: string): boolean {
  const match = /^BE([01]\d{7})(\d{2})$/.exec(id);
  return !!match && 97 - (Number(match[1]) % 97) === Number(match[2]);
}

/**
 * Whether `vatId` is a syntactically valid EU VAT id with correct check digits. With `country`
 * (ISO code, e.g. the ship-to country), it must also be that member state's id: prefix `NL` for
 * NL, `EL` for GR, `FR` for Monaco. Ids of countries outside the EU (GB, CH, NO, …) are not EU
 * VAT ids and are false. Offline only: whether the id is actually registered (VIES) is not known.
 */
export function isValidVatId(vatId: string, country?: string): boolean {
  if (typeof vatId !== 'string') return false;
  const id = normalizeVatId(vatId);
  const prefix = id.slice(0, 2);
  const issuer = prefix === 'EL' ? 'GR' : prefix;
  if (!isEuMemberState(issuer) || prefix !== vatPrefix(issuer)) return false;
  if (country !== undefined) {
    const expected = vatTerritory(country.trim().toUpperCase());
    if (issuer !== (expected === 'EL' ? 'GR' : expected)) return false;
  }
  if (issuer === 'BE') return belgianVatId(id);
  return checkVAT(id, [JSVAT_RULES[issuer]]).isValid;
}
