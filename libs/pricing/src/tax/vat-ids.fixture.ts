// Test data for the VAT specs (not used by production code).

/**
 * One known-valid VAT id per member state (check digits correct; from the public test lists that
 * VAT validators share).
 */
export const VALID_VAT_IDS: Readonly<Record<string, string>> = {
  AT: 'ATU37675002',
  BE: 'BE0411905847',
  BG: 'BG175074752',
  CY: 'CY10259033P',
  CZ: 'CZ25093282',
  DE: 'DE136695976',
  DK: 'DK25763858',
  EE: 'EE101007643',
  ES: 'ESA08017535',
  FI: 'FI20303674',
  FR: 'FR40303265045',
  GR: 'EL094012834',
  HR: 'HR33392005961',
  HU: 'HU10672101',
  IE: 'IE8223184C',
  IT: 'IT00488410010',
  LT: 'LT119515314',
  LU: 'LU15027442',
  LV: 'LV40003009497',
  MT: 'MT20973507',
  NL: 'NL810195835B01',
  PL: 'PL5260250274',
  PT: 'PT501519246',
  RO: 'RO16252454',
  SE: 'SE556188840401',
  SI: 'SI50223054',
  SK: 'SK2020317244',
};
