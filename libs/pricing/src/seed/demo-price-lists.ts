import { discountMinor } from '../money';

/** A demo price list: prices derived from the list price, per category subtree, with quantity tiers. */
export interface DemoPriceList {
  code: string;
  name: string;
  currency: string;
  validFrom: string | null;
  /** Category slugs (any level) whose articles the list prices. */
  categories: string[];
  /** Only every n-th article of those categories (contract lists cover a selection). */
  every: number;
  /** Percent off the list price from each minimum quantity on. */
  tiers: Array<{ minQuantity: number; percentOff: number }>;
}

export const DEMO_PRICE_LISTS: readonly DemoPriceList[] = [
  {
    code: 'jansen-contract-2026',
    name: 'Jansen Bouw contract 2026',
    currency: 'EUR',
    validFrom: '2026-01-01T00:00:00+01:00',
    categories: ['bevestigingsmaterialen', 'gereedschap'],
    every: 3,
    tiers: [{ minQuantity: 1, percentOff: 18 }],
  },
  {
    code: 'bouw-staffel',
    name: 'Bouw staffelkorting',
    currency: 'EUR',
    validFrom: null,
    categories: ['bevestigingsmaterialen', 'gereedschap', 'pbm'],
    every: 1,
    tiers: [
      { minQuantity: 1, percentOff: 4 },
      { minQuantity: 10, percentOff: 8 },
      { minQuantity: 50, percentOff: 12 },
    ],
  },
  {
    code: 'zorg-contract-2026',
    name: 'Zorggroep Noord contract 2026',
    currency: 'EUR',
    validFrom: '2026-01-01T00:00:00+01:00',
    categories: ['medisch-verbruik', 'schoonmaak-hygiene', 'pbm'],
    every: 1,
    tiers: [
      { minQuantity: 1, percentOff: 11 },
      { minQuantity: 100, percentOff: 20 },
    ],
  },
  {
    code: 'delta-oem-2026',
    name: 'Autoparts Delta OEM 2026',
    currency: 'EUR',
    validFrom: '2026-01-01T00:00:00+01:00',
    categories: ['auto-onderdelen', 'gereedschap'],
    every: 1,
    tiers: [
      { minQuantity: 1, percentOff: 10 },
      { minQuantity: 25, percentOff: 15 },
    ],
  },
];

/** The entries a demo list gives one article, or none when the list does not cover it. */
export function demoEntries(
  list: DemoPriceList,
  articleIndex: number,
  categoryPath: readonly string[],
  listPriceMinor: number,
): Array<{ minQuantity: number; amountMinor: number }> {
  if (!categoryPath.some((c) => list.categories.includes(c))) return [];
  if (articleIndex % list.every !== 0) return [];
  return list.tiers.map((t) => ({
    minQuantity: t.minQuantity,
    amountMinor: discountMinor(listPriceMinor, t.percentOff),
  }));
}
