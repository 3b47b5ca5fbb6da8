import { Injectable } from '@nestjs/common';
import { PriceService, sumVat, type PricedLines, type VatTotals } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { shipmentSize, shippingCost, type ShippedLine } from './shipping';

export interface OrderTotals {
  shippingMinor: number;
  weightGrams: number;
  /** Lines and shipping; VAT per line, shipping as one more line. */
  totals: VatTotals;
}

/**
 * Shipping and the totals of priced lines shipped to a country — the same computation for the
 * cart's estimate and for the order. Shipping follows the VAT of the goods it carries: the
 * standard rate of the destination. Throws SHIPPING_UNAVAILABLE when no rate applies.
 */
@Injectable()
export class OrderTotalsService {
  constructor(private readonly prices: PriceService) {}

  compute(
    ctx: TenantContext,
    lines: readonly ShippedLine[],
    priced: PricedLines,
    country: string,
    at = new Date(),
  ): OrderTotals {
    const { weightGrams, volumeMl } = shipmentSize(lines);
    const shipping = shippingCost(ctx.tenant.settings.shipping ?? [], {
      country,
      weightGrams,
      volumeMl,
      orderValueMinor: priced.totals.netMinor,
      currency: priced.currency,
    });
    const shippingRate = this.prices.tax(ctx, 'standard', at, country).rate;
    return {
      shippingMinor: shipping.priceMinor,
      weightGrams,
      totals: sumVat([
        ...priced.lines.map((l) => ({ netMinor: l.netMinor, rate: l.tax.rate })),
        { netMinor: shipping.priceMinor, rate: shippingRate },
      ]),
    };
  }
}
