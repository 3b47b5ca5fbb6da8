import { VitrineError } from '@vitrine/errors';
import {
  countryCode,
  EU_MEMBER_STATES,
  isCountryCode,
  isEuMemberState,
  vatPrefix,
  vatTerritory,
} from './countries';

describe('countries', () => {
  it('lists the 27 member states once each', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(new Set(EU_MEMBER_STATES).size).toBe(27);
    for (const c of EU_MEMBER_STATES) expect(isCountryCode(c)).toBe(true);
  });

  it.each(['GB', 'CH', 'NO', 'IS', 'LI', 'MC', 'SM', 'AD', 'TR', 'US'])(
    '%s is not a member',
    (c) => {
      expect(isEuMemberState(c)).toBe(false);
    },
  );

  it('normalises case and whitespace', () => {
    expect(countryCode(' nl ')).toBe('NL');
  });

  it.each([
    ['EL', /Greece is GR/],
    ['UK', /United Kingdom is GB/],
    ['EU', /not a country/],
    ['XX', /two-letter ISO 3166-1/],
    ['NLD', /two-letter ISO 3166-1/],
    ['', /two-letter ISO 3166-1/],
    ['N1', /two-letter ISO 3166-1/],
  ])('refuses %p with BAD_USER_INPUT', (code, message) => {
    expect(() => countryCode(code, 'ship-to country')).toThrow(VitrineError);
    expect(() => countryCode(code, 'ship-to country')).toThrow(message);
  });

  it('maps VAT territory and prefix', () => {
    expect(vatTerritory('MC')).toBe('FR');
    expect(vatTerritory('NL')).toBe('NL');
    expect(vatPrefix('GR')).toBe('EL');
    expect(vatPrefix('DE')).toBe('DE');
  });
});
