import { discountMinor } from './money';

export type PriceSource = 'CONTRACT' | 'PRICE_LIST' | 'DISCOUNT' | 'LIST' | 'QUOTE';

export interface PriceEntry {
  priceListId: number;
  minQuantity: number;
  amountMinor: number;
  validFrom: Date | null;
  validUntil: Date | null;
}

export interface PricingData {
  listPriceMinor: number | null;
  /** Entries of the tenant's price lists for this variant (any order, any validity). */
  entries: PriceEntry[];
}

export interface PriceRules {
  /** The tenant's price lists, highest priority first. */
  priceListIds: readonly number[];
  discount: { readonly percent: number; readonly categories: readonly string[] } | null;
}

export interface ResolvedPrice {
  amountMinor: number;
  source: PriceSource;
  /** The quantity tier that applied (1 when there are no tiers). */
  minQuantity: number;
  priceListId: number | null;
}

export interface Tier {
  minQuantity: number;
  amountMinor: number;
}

function isValid(e: PriceEntry, at: Date): boolean {
  return (!e.validFrom || e.validFrom <= at) && (!e.validUntil || at < e.validUntil);
}

/** The first price list, in priority order, that has a valid entry for this variant. */
function winningList(
  data: PricingData,
  rules: PriceRules,
  at: Date,
): { id: number; entries: PriceEntry[] } | null {
  for (const id of rules.priceListIds) {
    const entries = data.entries.filter((e) => e.priceListId === id && isValid(e, at));
    if (entries.length) return { id, entries };
  }
  return null;
}

/**
 * The unit price for a quantity, first match wins (ARCHITECTURE.md, "Prices"): tenant price
 * lists in priority order (the highest tier not above the quantity, within validity) → list
 * price with the tenant's discount rule → list price. Contract prices take precedence over
 * all of these once companies exist. Null when nothing prices the variant.
 *
 * A price list that has valid entries for a variant, but none for a quantity this small,
 * does not win for that quantity: the next source is asked.
 */
export function resolvePrice(
  data: PricingData,
  rules: PriceRules,
  quantity: number,
  categoryPath: readonly string[],
  at: Date,
): ResolvedPrice | null {
  for (const id of rules.priceListIds) {
    let best: PriceEntry | null = null;
    for (const e of data.entries) {
      if (e.priceListId !== id || e.minQuantity > quantity || !isValid(e, at)) continue;
      if (!best || e.minQuantity > best.minQuantity) best = e;
    }
    if (best)
      return {
        amountMinor: best.amountMinor,
        source: 'PRICE_LIST',
        minQuantity: best.minQuantity,
        priceListId: id,
      };
  }
  if (data.listPriceMinor == null) return null;
  const discount = rules.discount;
  if (
    discount &&
    discount.percent > 0 &&
    (discount.categories.length === 0 || categoryPath.some((c) => discount.categories.includes(c)))
  ) {
    return {
      amountMinor: discountMinor(data.listPriceMinor, discount.percent),
      source: 'DISCOUNT',
      minQuantity: 1,
      priceListId: null,
    };
  }
  return { amountMinor: data.listPriceMinor, source: 'LIST', minQuantity: 1, priceListId: null };
}

/** The quantity breaks a buyer sees: the tiers of the winning price list, ascending. */
export function tierPrices(data: PricingData, rules: PriceRules, at: Date): Tier[] {
  const list = winningList(data, rules, at);
  if (!list) return [];
  const byQuantity = new Map<number, number>();
  for (const e of list.entries) byQuantity.set(e.minQuantity, e.amountMinor);
  return [...byQuantity.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([minQuantity, amountMinor]) => ({ minQuantity, amountMinor }));
}
