import { Injectable } from '@nestjs/common';
import { CatalogQueryService, type VariantRecord } from '@vitrine/catalog';
import { formatMoney, PriceService } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';

export interface HomePageQuery {
  search: string | null;
  categorySlug: string | null;
  after: string | null;
}

/** Products per page of the microsite's home page. */
export const HOME_PAGE_SIZE = 20;

/**
 * The view model of a microsite's home page: the tenant's branding, its categories and one page
 * of its assortment with the viewer's prices — read through the same services as the GraphQL
 * API, so the page and the API can never disagree about what a tenant sees or pays.
 */
@Injectable()
export class HomePageService {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly prices: PriceService,
  ) {}

  async view(ctx: TenantContext, query: HomePageQuery): Promise<Record<string, unknown>> {
    // A login-only site shows anonymous visitors its name and theme, nothing of the assortment.
    if (!ctx.user && !ctx.tenant.publicBrowsing) return { signInRequired: true };
    const [page, categories] = await Promise.all([
      this.catalog.listProducts(ctx, { first: HOME_PAGE_SIZE, ...query }),
      this.catalog.categories(ctx),
    ]);
    const variants = await this.catalog.variantsOfProducts(
      ctx,
      page.products.map((p) => p.id),
    );
    const all = [...variants.values()].flat();
    const showPrices = this.prices.canSeePrices(ctx);
    const pricing = showPrices
      ? await this.prices.pricingData(
          ctx,
          all.map((v) => v.id),
        )
      : new Map();
    const money = (minor: number) => formatMoney(minor, ctx.currency, ctx.locale);
    const price = (v: VariantRecord) => {
      const data = pricing.get(v.id);
      const resolved = data ? this.prices.resolve(ctx, data, 1, v.categoryPath) : null;
      const list = data?.listPriceMinor ?? null;
      return {
        price: resolved ? money(resolved.amountMinor) : null,
        source: resolved?.source ?? null,
        listPrice:
          ctx.tenant.showListPrices && list !== null && resolved && list !== resolved.amountMinor
            ? money(list)
            : null,
      };
    };
    const link = (params: Record<string, string | null>) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
      const s = qs.toString();
      return s ? `/?${s}` : '/';
    };
    return {
      search: query.search ?? '',
      categorySlug: query.categorySlug ?? '',
      categories: categories
        .filter((c) => c.parentId === null)
        .map((c) => ({
          slug: c.slug,
          name: c.name,
          href: link({ category: c.slug }),
          active: c.slug === query.categorySlug,
        })),
      showPrices,
      totalCount: page.totalCount,
      products: page.products.map((p) => ({
        slug: p.slug,
        name: p.name,
        manufacturer: p.manufacturer,
        variants: (variants.get(p.id) ?? []).map((v) => ({
          sku: v.sku,
          name: v.name,
          gtin: v.gtin,
          inStock: v.stockOnHand > 0,
          ...price(v),
        })),
      })),
      firstHref: query.after ? link({ q: query.search, category: query.categorySlug }) : null,
      nextHref: page.hasNextPage
        ? link({
            q: query.search,
            category: query.categorySlug,
            after: page.products[page.products.length - 1].cursor,
          })
        : null,
    };
  }
}
