import { EU_MEMBER_STATES } from './countries';
import { isValidVatId, normalizeVatId } from './vat-id';
import { VALID_VAT_IDS } from './vat-ids.fixture';

/** Known-valid ids with one check character changed. */
const WRONG_CHECK_DIGIT: Readonly<Record<string, string>> = {
  AT: 'ATU37675003',
  BE: 'BE0411905848',
  DE: 'DE136695977',
  FR: 'FR41303265045',
  GR: 'EL094012835',
  LU: 'LU15027443',
  NL: 'NL810195836B01',
  IT: 'IT00488410011',
  PL: 'PL5260250275',
};

describe('isValidVatId', () => {
  it('has a known-valid id for each of the 27 member states', () => {
    expect(Object.keys(VALID_VAT_IDS).sort()).toEqual([...EU_MEMBER_STATES].sort());
  });

  it.each(Object.entries(VALID_VAT_IDS))('accepts %s id %s, alone and for its country', (c, id) => {
    expect(isValidVatId(id)).toBe(true);
    expect(isValidVatId(id, c)).toBe(true);
  });

  it.each(Object.entries(WRONG_CHECK_DIGIT))('rejects %s id %s (wrong check digit)', (c, id) => {
    expect(isValidVatId(id)).toBe(false);
    expect(isValidVatId(id, c)).toBe(false);
  });

  it.each([
    ['NL810195835B01', 'DE'],
    ['DE136695976', 'NL'],
    ['BE0411905847', 'FR'],
  ])('rejects %s for another country (%s)', (id, country) => {
    expect(isValidVatId(id, country)).toBe(false);
  });

  it('uses EL for Greece: GR is the country, EL the only VAT prefix', () => {
    expect(isValidVatId('EL094012834', 'GR')).toBe(true);
    expect(isValidVatId('EL094012834', 'EL')).toBe(true);
    expect(isValidVatId('GR094012834')).toBe(false);
    expect(isValidVatId('GR094012834', 'GR')).toBe(false);
  });

  it('accepts Dutch ids of both check-digit schemes (mod 11 and the mod-97 btw-id)', () => {
    expect(isValidVatId('NL004909665B07', 'NL')).toBe(true); // mod 11
    expect(isValidVatId('NL123456789B13', 'NL')).toBe(true); // mod 97 only
    expect(isValidVatId('NL123456789B14', 'NL')).toBe(false);
  });

  it('accepts Belgian enterprise numbers of the 1 range, which jsvat 2.5.4 rejects', () => {
    expect(isValidVatId('BE1000003682', 'BE')).toBe(true);
    expect(isValidVatId('BE1000003683', 'BE')).toBe(false);
    expect(isValidVatId('BE2000003682', 'BE')).toBe(false); // only 0 or 1 first
    expect(isValidVatId('BE411905847', 'BE')).toBe(false); // 9 digits: old form, not an id
  });

  it('accepts Monaco companies’ French ids for a delivery to Monaco', () => {
    expect(isValidVatId('FR40303265045', 'MC')).toBe(true);
  });

  it('ignores spacing, dots, hyphens and case as people type them', () => {
    expect(normalizeVatId(' nl 8101.95.835-b01 ')).toBe('NL810195835B01');
    expect(isValidVatId('nl 8101.95.835 b01', 'nl')).toBe(true);
  });

  it.each([
    ['', undefined],
    ['NL', undefined],
    ['810195835B01', 'NL'], // no prefix
    ['GB980780684', undefined], // not an EU VAT id any more
    ['CHE116281710MWST', undefined],
    ['EU372000041', undefined], // non-Union OSS number, not a buyer's VAT id
    ['XI980780684', undefined],
    ['NL810195835B01X', 'NL'],
  ])('rejects %p', (id, country) => {
    expect(isValidVatId(id, country)).toBe(false);
  });
});
