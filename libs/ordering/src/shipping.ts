import { VitrineError } from '@vitrine/errors';
import { formatDecimal, parseDecimal } from '@vitrine/pricing';

/** One rate of a tenant's shipping table (tenant.yaml `shipping[]`). Absent limits: no limit. */
export interface ShippingRule {
  countries: readonly string[];
  minWeightKg?: number;
  maxWeightKg?: number;
  maxVolumeM3?: number;
  /** Excluding VAT, in the tenant's currency, e.g. "500.00" for free shipping above 500. */
  minOrderValue?: string;
  price: string;
}

/** What is shipped: destination, the order's weight and volume, and its value excluding VAT. */
export interface Shipment {
  country: string;
  weightGrams: number;
  volumeMl: number;
  orderValueMinor: number;
  currency: string;
}

export interface ShippingQuote {
  priceMinor: number;
  /** Index of the winning rule in the table, for support and tests. */
  rule: number;
}

/**
 * The shipping cost of an order: of the rules that match (destination among `countries`, weight
 * within [minWeightKg, maxWeightKg], volume up to maxVolumeM3, value at least minOrderValue), the
 * cheapest wins; on a tie, the first declared. No matching rule is an error the buyer can act on
 * (SHIPPING_UNAVAILABLE) — never a silent zero. Weight and volume limits are inclusive; articles
 * without a known weight or volume count as 0.
 */
export function shippingCost(rules: readonly ShippingRule[], s: Shipment): ShippingQuote {
  let best: ShippingQuote | null = null;
  rules.forEach((rule, index) => {
    if (!rule.countries.includes(s.country)) return;
    if (rule.minWeightKg !== undefined && s.weightGrams < rule.minWeightKg * 1000) return;
    if (rule.maxWeightKg !== undefined && s.weightGrams > rule.maxWeightKg * 1000) return;
    if (rule.maxVolumeM3 !== undefined && s.volumeMl > rule.maxVolumeM3 * 1_000_000) return;
    if (
      rule.minOrderValue !== undefined &&
      s.orderValueMinor < parseDecimal(rule.minOrderValue, s.currency)
    )
      return;
    const priceMinor = parseDecimal(rule.price, s.currency);
    if (!best || priceMinor < best.priceMinor) best = { priceMinor, rule: index };
  });
  if (!best) {
    const kg = (s.weightGrams / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
    throw VitrineError.withMessage(
      'SHIPPING_UNAVAILABLE',
      'checkout.shippingUnavailable',
      {
        country: s.country,
        weightGrams: s.weightGrams,
        valueMinor: s.orderValueMinor,
        currency: s.currency,
      },
      `We cannot ship this order to ${s.country} (${kg} kg, ${formatDecimal(s.orderValueMinor, s.currency)} ${s.currency}) ` +
        'with the rates of this shop. Choose another address, split the order, or contact us.',
      { country: s.country, weightGrams: s.weightGrams },
    );
  }
  return best;
}

/** What shipping needs of a line: its weight and volume per unit, and the quantity. */
export interface ShippedLine {
  weightGrams: number | null;
  volumeMl: number | null;
  quantity: number;
}

/** Total weight and volume of lines; unknown weights and volumes count as 0. */
export function shipmentSize(lines: readonly ShippedLine[]): {
  weightGrams: number;
  volumeMl: number;
} {
  let weightGrams = 0;
  let volumeMl = 0;
  for (const l of lines) {
    weightGrams += (l.weightGrams ?? 0) * l.quantity;
    volumeMl += (l.volumeMl ?? 0) * l.quantity;
  }
  return { weightGrams, volumeMl };
}
