import { discountMinor } from './money';

export type PriceSource = 'CONTRACT' | 'PRICE_LIST' | 'DISCOUNT' | 'LIST' | 'QUOTE';

/**
 * One quantity tier of a price, valid in the half-open interval [validFrom, validUntil) of
 * epoch milliseconds; null is an open end. Plain numbers so that the data can be cached as JSON.
 */
export interface PriceEntry {
  minQuantity: number;
  amountMinor: number;
  validFrom: number | null;
  validUntil: number | null;
}

/** A price-list entry; its validity is already the intersection of the entry's and the list's. */
export interface ListPriceEntry extends PriceEntry {
  priceListId: number;
}

/**
 * Everything that can price one variant in one price context, whatever the date and quantity:
 * resolution happens per request on this data, so cached data stays right when a validity
 * period begins or ends.
 */
export interface PricingData {
  listPriceMinor: number | null;
  /** The company's contract prices for this variant (empty for anonymous visitors). */
  contract: PriceEntry[];
  /** Entries of the context's price lists for this variant (any order, any validity). */
  entries: ListPriceEntry[];
}

export const EMPTY_PRICING: PricingData = Object.freeze({
  listPriceMinor: null,
  contract: [],
  entries: [],
}) as PricingData;

export interface PriceRules {
  /** The price lists of the context, highest priority first. */
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

function isValid(e: PriceEntry, at: number): boolean {
  return (
    (e.validFrom === null || e.validFrom <= at) && (e.validUntil === null || at < e.validUntil)
  );
}

/** The highest tier not above the quantity among valid entries, or null. */
function bestTier<E extends PriceEntry>(
  entries: readonly E[],
  quantity: number,
  at: number,
  accept: (e: E) => boolean = () => true,
): E | null {
  let best: E | null = null;
  for (const e of entries) {
    if (e.minQuantity > quantity || !accept(e) || !isValid(e, at)) continue;
    if (!best || e.minQuantity > best.minQuantity) best = e;
  }
  return best;
}

/**
 * The unit price for a quantity at an instant, first match wins (ARCHITECTURE.md, "Prices"):
 * the company's contract price → the price lists in priority order → the list price with the
 * discount rule → the list price. Within a source the highest tier not above the quantity
 * applies. Null when nothing prices the variant.
 *
 * A source that has valid tiers for a variant, but none for a quantity this small (a contract
 * price "from 100 pieces"), does not win for that quantity: the next source is asked.
 */
export function resolvePrice(
  data: PricingData,
  rules: PriceRules,
  quantity: number,
  categoryPath: readonly string[],
  at: Date,
): ResolvedPrice | null {
  const now = at.getTime();
  const contract = bestTier(data.contract, quantity, now);
  if (contract)
    return {
      amountMinor: contract.amountMinor,
      source: 'CONTRACT',
      minQuantity: contract.minQuantity,
      priceListId: null,
    };
  for (const id of rules.priceListIds) {
    const best = bestTier(data.entries, quantity, now, (e) => e.priceListId === id);
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

/**
 * The quantity breaks a buyer sees: every quantity at which the unit price changes, with the
 * price from there on, starting at quantity 1. Computed with `resolvePrice` itself at every
 * break quantity any valid source offers, so the table can never disagree with the price of
 * a cart line. Empty when the price does not depend on the quantity.
 */
export function tierPrices(
  data: PricingData,
  rules: PriceRules,
  categoryPath: readonly string[],
  at: Date,
): Tier[] {
  const now = at.getTime();
  const breaks = new Set<number>([1]);
  for (const e of data.contract) if (isValid(e, now)) breaks.add(e.minQuantity);
  for (const e of data.entries)
    if (rules.priceListIds.includes(e.priceListId) && isValid(e, now)) breaks.add(e.minQuantity);
  const tiers: Tier[] = [];
  for (const minQuantity of [...breaks].sort((a, b) => a - b)) {
    const price = resolvePrice(data, rules, minQuantity, categoryPath, at);
    if (!price) continue;
    if (tiers.length && tiers[tiers.length - 1].amountMinor === price.amountMinor) continue;
    tiers.push({ minQuantity, amountMinor: price.amountMinor });
  }
  return tiers.length > 1 || tiers[0]?.minQuantity > 1 ? tiers : [];
}
