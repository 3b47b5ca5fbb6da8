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

const LABELS = {
  nl: {
    search: 'Zoek op artikelnummer, EAN of naam',
    searchButton: 'Zoeken',
    allCategories: 'Alle categorieën',
    results: 'artikelen',
    next: 'Volgende pagina',
    first: 'Eerste pagina',
    exVat: 'Prijzen excl. btw',
    inStock: 'Op voorraad',
    outOfStock: 'Niet op voorraad',
    noResults: 'Geen artikelen gevonden.',
    sku: 'Art.nr.',
    listPrice: 'Adviesprijs',
    noPrice: 'Prijs op aanvraag',
    signInForPrices: 'Log in voor uw prijzen',
    signInTitle: 'Welkom',
    signInText:
      'Deze webshop is voor klanten met een account. Log in om het assortiment en uw prijzen te zien.',
  },
  en: {
    search: 'Search by article number, EAN or name',
    searchButton: 'Search',
    allCategories: 'All categories',
    results: 'articles',
    next: 'Next page',
    first: 'First page',
    exVat: 'Prices excl. VAT',
    inStock: 'In stock',
    outOfStock: 'Out of stock',
    noResults: 'No articles found.',
    sku: 'SKU',
    listPrice: 'List price',
    noPrice: 'Price on request',
    signInForPrices: 'Sign in to see your prices',
    signInTitle: 'Welcome',
    signInText:
      'This shop is for customers with an account. Sign in to see the assortment and your prices.',
  },
} as const;

/**
 * Theme values go into a <style> element, where HTML escaping does not apply. The tenant schema
 * already restricts them; these checks keep a page safe even if a value got past it.
 */
export function cssColor(value: string | undefined, fallback: string): string {
  return value && /^#[0-9a-fA-F]{6}$/.test(value) ? value : fallback;
}
export function cssFontFamily(value: string | undefined): string {
  return value && /^[\w\s,'"-]{1,200}$/.test(value) ? value : 'system-ui, sans-serif';
}

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
    if (!ctx.user && !ctx.tenant.publicBrowsing)
      return { ...this.shell(ctx), signInRequired: true };
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
      ...this.shell(ctx),
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

  /** What every page shows: language, labels, the tenant's name, theme and contact details. */
  private shell(ctx: TenantContext) {
    const theme = ctx.tenant.theme;
    return {
      lang: ctx.locale,
      labels: LABELS[ctx.locale === 'nl' ? 'nl' : 'en'],
      tenant: { name: ctx.tenant.name, slug: ctx.tenant.slug },
      theme: {
        primaryColor: cssColor(theme.primaryColor, '#1c7ed6'),
        secondaryColor: cssColor(theme.secondaryColor, '#343a40'),
        textColor: cssColor(theme.textColor, '#212529'),
        backgroundColor: cssColor(theme.backgroundColor, '#ffffff'),
        fontFamily: cssFontFamily(theme.fontFamily),
        logoUrl: theme.logoUrl ?? null,
      },
      contact: {
        phone: theme.contact?.phone ?? null,
        email: theme.contact?.email ?? null,
      },
    };
  }
}
