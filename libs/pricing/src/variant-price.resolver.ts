import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { VariantType } from '@vitrine/catalog';
import {
  Ctx,
  loaderFor,
  RequestContext,
  type GraphQLRequestContext,
  type TenantContext,
} from '@vitrine/tenancy';
import { formatDecimal } from './money';
import { PriceService } from './price.service';
import { EMPTY_PRICING, type PricingData } from './price-resolution';
import type { TaxDecision } from './tax';
import { MoneyType, PriceSourceEnum, PriceType, TierPriceType } from './price.type';

/** Adds the price fields to the catalog's Variant type; one batched query per request. */
@Resolver(() => VariantType)
export class VariantPriceResolver {
  constructor(private readonly prices: PriceService) {}

  @ResolveField(() => PriceType, {
    nullable: true,
    description: 'Null when the viewer may not see prices (e.g. anonymous on a login-only site).',
  })
  async price(
    @Parent() variant: VariantType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
    @Args('quantity', { type: () => Int, nullable: true, defaultValue: 1 }) quantity: number | null,
  ): Promise<PriceType | null> {
    if (!this.prices.canSeePrices(ctx)) return null;
    const data = await this.data(gql, ctx, variant);
    const resolved = this.prices.resolve(ctx, data, quantity ?? 1, variant.record.categoryPath);
    if (!resolved) return null;
    return {
      unit: money(resolved.amountMinor, ctx.currency),
      source: resolved.source as PriceSourceEnum,
      ...taxFields(this.prices.tax(ctx, variant.record.taxCategory), ctx.locale),
      minQuantity: resolved.minQuantity,
    };
  }

  @ResolveField(() => [TierPriceType])
  async tierPrices(
    @Parent() variant: VariantType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
  ): Promise<TierPriceType[]> {
    if (!this.prices.canSeePrices(ctx)) return [];
    const data = await this.data(gql, ctx, variant);
    return this.prices
      .tiers(ctx, data, variant.record.categoryPath)
      .map((t) => ({ minQuantity: t.minQuantity, unit: money(t.amountMinor, ctx.currency) }));
  }

  @ResolveField(() => MoneyType, {
    nullable: true,
    description: "The seller's advisory price, when the tenant shows it.",
  })
  async listPrice(
    @Parent() variant: VariantType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
  ): Promise<MoneyType | null> {
    if (!ctx.tenant.showListPrices || !this.prices.canSeePrices(ctx)) return null;
    const data = await this.data(gql, ctx, variant);
    return data.listPriceMinor == null ? null : money(data.listPriceMinor, ctx.currency);
  }

  private data(
    gql: GraphQLRequestContext,
    ctx: TenantContext,
    variant: VariantType,
  ): Promise<PricingData> {
    const loader = loaderFor(
      gql,
      'pricing.data',
      () =>
        new DataLoader<number, PricingData>(async (ids) => {
          const found = await this.prices.pricingData(ctx, ids);
          return ids.map((id) => found.get(id) ?? EMPTY_PRICING);
        }),
    );
    return loader.load(variant.record.id);
  }
}

function taxFields(tax: TaxDecision, locale: string): Pick<PriceType, 'taxRate' | 'taxNote'> {
  const note = tax.note ? (locale.startsWith('nl') ? tax.note.nl : tax.note.en) : null;
  return { taxRate: tax.rate, taxNote: note };
}

function money(amountMinor: number, currency: string): MoneyType {
  return { amount: formatDecimal(amountMinor, currency), currency };
}
