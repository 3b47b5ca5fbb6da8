import { Injectable } from '@nestjs/common';
import { CatalogQueryService, type VariantRecord } from '@vitrine/catalog';
import { formatMoney, PriceService, type PricingData } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';

/** What a page shows of one variant's price for the viewer; all null when prices are hidden. */
export interface VariantPriceView {
  /** The unit price at quantity 1, formatted for the page's locale. */
  price: string | null;
  /** Where the price came from (CONTRACT, PRICE_LIST, DISCOUNT, LIST), as the API says. */
  source: string | null;
  /** The advisory list price, when the tenant shows list prices. */
  listPrice: string | null;
  /** True when the list price differs from the viewer's price (cards strike it through). */
  listPriceDiffers: boolean;
  /** Quantity breaks (`Variant.tierPrices`): empty when the price does not depend on quantity. */
  tierPrices: Array<{ minQuantity: number; price: string }>;
}

/** A variant as listing and product pages show it. */
export interface VariantView extends VariantPriceView {
  sku: string;
  name: string;
  gtin: string | null;
  inStock: boolean;
  /** Units on hand, for signed-in buyers only (prospects see in/out of stock). */
  stockQuantity: number | null;
}

/**
 * Variants of catalog products with the viewer's prices, exactly as the GraphQL API computes
 * `Variant.price(quantity: 1)`, `Variant.listPrice` and `Variant.tierPrices`: the same
 * assortment read (CatalogQueryService) and the same cached pricing data and resolution
 * (PriceService) — one statement for the variants, none for warm prices.
 */
@Injectable()
export class PricedVariants {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly prices: PriceService,
  ) {}

  /** Variants of many products (listing order kept per product), with their price views. */
  async ofProducts(
    ctx: TenantContext,
    productIds: readonly number[],
  ): Promise<Map<number, Array<{ record: VariantRecord; view: VariantView }>>> {
    const variants = await this.catalog.variantsOfProducts(ctx, productIds);
    const all = [...variants.values()].flat();
    const priced = await this.priceViews(ctx, all);
    const out = new Map<number, Array<{ record: VariantRecord; view: VariantView }>>();
    for (const [productId, list] of variants)
      out.set(
        productId,
        list.map((record) => ({ record, view: this.view(ctx, record, priced.get(record.id)) })),
      );
    return out;
  }

  /** Whether this viewer may see prices (the same rule as the API's `Variant.price`). */
  canSeePrices(ctx: TenantContext): boolean {
    return this.prices.canSeePrices(ctx);
  }

  /** The VAT rate that applies beside a variant's price for this viewer ("21.00"). */
  vatRate(ctx: TenantContext, record: VariantRecord): string {
    return this.prices.tax(ctx, record.taxCategory).rate;
  }

  private async priceViews(
    ctx: TenantContext,
    variants: readonly VariantRecord[],
  ): Promise<Map<number, VariantPriceView>> {
    const out = new Map<number, VariantPriceView>();
    if (!this.prices.canSeePrices(ctx) || variants.length === 0) return out;
    const data = await this.prices.pricingData(
      ctx,
      variants.map((v) => v.id),
    );
    for (const v of variants) out.set(v.id, this.priceView(ctx, v, data.get(v.id)));
    return out;
  }

  private priceView(
    ctx: TenantContext,
    v: VariantRecord,
    data: PricingData | undefined,
  ): VariantPriceView {
    const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
    const resolved = data ? this.prices.resolve(ctx, data, 1, v.categoryPath) : null;
    const list = ctx.tenant.showListPrices ? (data?.listPriceMinor ?? null) : null;
    return {
      price: resolved ? money(resolved.amountMinor) : null,
      source: resolved?.source ?? null,
      listPrice: list === null ? null : money(list),
      listPriceDiffers: list !== null && !!resolved && list !== resolved.amountMinor,
      tierPrices: data
        ? this.prices
            .tiers(ctx, data, v.categoryPath)
            .map((t) => ({ minQuantity: t.minQuantity, price: money(t.amountMinor) }))
        : [],
    };
  }

  private view(
    ctx: TenantContext,
    v: VariantRecord,
    price: VariantPriceView | undefined,
  ): VariantView {
    return {
      sku: v.sku,
      name: v.name,
      gtin: v.gtin,
      inStock: v.stockOnHand > 0,
      stockQuantity: ctx.user ? Math.max(0, v.stockOnHand) : null,
      ...(price ?? NO_PRICE),
    };
  }
}

const NO_PRICE: VariantPriceView = Object.freeze({
  price: null,
  source: null,
  listPrice: null,
  listPriceDiffers: false,
  tierPrices: [],
});
