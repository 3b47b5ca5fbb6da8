/**
 * VAT rates per country and tax category, as decimal strings (percent). B2B prices are shown
 * excluding VAT; the rate is shown beside them. Until variants carry a tax category and carts
 * a ship-to country (pricing issue), every article is `standard` and ships from and to the
 * seller's country, the Netherlands.
 */
export const VAT_RATES: Readonly<Record<string, Readonly<Record<'standard' | 'reduced', string>>>> =
  {
    NL: { standard: '21.00', reduced: '9.00' },
    BE: { standard: '21.00', reduced: '6.00' },
    DE: { standard: '19.00', reduced: '7.00' },
    FR: { standard: '20.00', reduced: '5.50' },
  };

export const SELLER_COUNTRY = 'NL';

export function vatRate(country: string, category: 'standard' | 'reduced' = 'standard'): string {
  const rates = VAT_RATES[country];
  if (!rates) throw new RangeError(`No VAT rates known for country ${country}`);
  return rates[category];
}
