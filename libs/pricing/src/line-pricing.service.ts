import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TaxCategory } from '@vitrine/catalog';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import { assertMinor } from './money';
import type { PriceSource } from './price-resolution';
import { PriceService } from './price.service';
import { lineTaxMinor, sumVat, type TaxDecision, type VatTotals } from './tax';

/** What a line needs to be priced: the variant as the catalog describes it, and a quantity. */
export interface LineToPrice {
  variant: {
    id: number;
    sku: string;
    categoryPath: readonly string[];
    taxCategory: TaxCategory;
  };
  quantity: number;
}

export interface LinePricingOptions {
  /** The instant prices and VAT rates are taken at; default now. */
  at?: Date;
  /** Country of the ship-to address (decides VAT); default the company's country. */
  shipToCountry?: string;
  /**
   * Unit prices agreed in a quote, by variant id: every line is priced from here (source QUOTE)
   * instead of by the engine; a line without one is refused like an unpriced line.
   */
  quotedUnits?: ReadonlyMap<number, number>;
  /** The unit of work the caller is in: a cache miss is read there (see PriceService.pricingData). */
  em?: EntityManager;
}

export interface PricedLine {
  sku: string;
  quantity: number;
  unitMinor: number;
  source: PriceSource;
  /** The quantity tier that applied. */
  minQuantity: number;
  /** unit × quantity, exact. */
  netMinor: number;
  tax: TaxDecision;
  /** net × rate, rounded half up once per line. */
  taxMinor: number;
}

export interface PricedLines {
  currency: string;
  lines: PricedLine[];
  totals: VatTotals;
}

/**
 * Prices cart and order lines with the same data and the same resolution as `Variant.price`,
 * so a buyer never sees one price on the product page and another in the cart. Lines are
 * priced whether or not the viewer may *see* prices: a user whose company hides prices still
 * orders at the right price. A line nothing prices is refused (NOT_FOUND with its SKU) rather
 * than priced at zero.
 */
@Injectable()
export class LinePricingService {
  constructor(private readonly prices: PriceService) {}

  async price(
    ctx: TenantContext,
    lines: readonly LineToPrice[],
    options: LinePricingOptions = {},
  ): Promise<PricedLines> {
    const at = options.at ?? new Date();
    const quoted = options.quotedUnits;
    const data = quoted
      ? new Map()
      : await this.prices.pricingData(
          ctx,
          lines.map((l) => l.variant.id),
          options.em,
        );
    const priced = lines.map((line): PricedLine => {
      const d = data.get(line.variant.id);
      const quotedUnit = quoted?.get(line.variant.id);
      const resolved =
        quotedUnit !== undefined
          ? { amountMinor: quotedUnit, source: 'QUOTE' as const, minQuantity: 1 }
          : d
            ? this.prices.resolve(ctx, d, line.quantity, line.variant.categoryPath, at)
            : null;
      if (!resolved)
        throw new VitrineError(
          'NOT_FOUND',
          `${line.variant.sku} has no price for you; ask for a quote.`,
          {
            sku: line.variant.sku,
          },
        );
      const netMinor = assertMinor(resolved.amountMinor * line.quantity);
      const tax = this.prices.tax(ctx, line.variant.taxCategory, at, options.shipToCountry);
      return {
        sku: line.variant.sku,
        quantity: line.quantity,
        unitMinor: resolved.amountMinor,
        source: resolved.source,
        minQuantity: resolved.minQuantity,
        netMinor,
        tax,
        taxMinor: lineTaxMinor(netMinor, tax.rate),
      };
    });
    return {
      currency: ctx.priceContext.currency,
      lines: priced,
      totals: sumVat(priced.map((l) => ({ netMinor: l.netMinor, rate: l.tax.rate }))),
    };
  }
}
