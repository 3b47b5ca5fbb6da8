import { Injectable } from '@nestjs/common';
import {
  CatalogQueryService,
  type AttributeFilter,
  type CategoryRecord,
  type FacetRecord,
  type ProductPage,
} from '@vitrine/catalog';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import { label } from '../site/messages';
import { listingQuery, MAX_PREFIX, MIN_PREFIX, VALUE_PREFIX } from './listing-params';
import { PricedVariants, type VariantView } from './priced-variants.service';

/** Products per listing page (category, search, home). */
export const LISTING_PAGE_SIZE = 20;

export interface ListingQuery {
  after: string | null;
  filters: AttributeFilter[];
}

/** A product as a card of a listing shows it. */
export interface ProductCardView {
  slug: string;
  name: string;
  manufacturer: string | null;
  variants: Array<VariantView & { minOrderQuantity: number; orderMultiple: number; unit: string }>;
}

/** One page of a listing: cards, count, pager links; `facets` when asked for. */
export interface ListingView {
  showPrices: boolean;
  totalCount: number;
  products: ProductCardView[];
  firstHref: string | null;
  nextHref: string | null;
  facets: FacetView[];
  filtered: boolean;
  clearHref: string;
}

export interface FacetView {
  code: string;
  name: string;
  unit: string | null;
  isNumber: boolean;
  valueParam: string;
  minParam: string;
  maxParam: string;
  values: Array<{ value: string; count: number; checked: boolean; id: string }>;
  /** NUMBER facets: the result set's range, and what the visitor chose. */
  rangeMin: number | null;
  rangeMax: number | null;
  chosenMin: number | null;
  chosenMax: number | null;
}

/**
 * Category listings and search results of the microsite: one page of the tenant's assortment
 * through `CatalogQueryService.listProducts` (the API's `products` query — same assortment,
 * ranking and keyset cursor) with facet counts from `CatalogQueryService.facets` (the API's
 * `ProductConnection.facets`) and the viewer's prices from `PricedVariants`.
 */
@Injectable()
export class ListingPageService {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly variants: PricedVariants,
  ) {}

  /**
   * The listing of a category's subtree. A category that holds nothing of this tenant's
   * assortment does not exist on this site: 404, as for an unknown slug.
   */
  async category(
    ctx: TenantContext,
    slug: string,
    query: ListingQuery,
  ): Promise<Record<string, unknown> & { title: string }> {
    const categories = await this.catalog.categories(ctx);
    const category = categories.find((c) => c.slug === slug);
    if (!category) throw VitrineError.notFound(label(ctx.locale, 'catalog.categoryNotFound'));
    const base = `/c/${encodeURIComponent(category.slug)}`;
    const listing = await this.listing(ctx, { categorySlug: category.slug }, query, base, null);
    return {
      title: category.name,
      category: { slug: category.slug, name: category.name, href: base },
      breadcrumbs: breadcrumbs(categories, category),
      subcategories: categories
        .filter((c) => c.parentId === category.id)
        .map((c) => ({ name: c.name, href: `/c/${encodeURIComponent(c.slug)}` })),
      action: base,
      ...listing,
    };
  }

  /**
   * Search results: the API's ranking — exact article number (SKU, GTIN, MPN, the customer's
   * own number) first, then prefixes, full text and similar words. An empty search shows a hint.
   */
  async search(
    ctx: TenantContext,
    q: string | null,
    query: ListingQuery,
  ): Promise<Record<string, unknown> & { title: string }> {
    const search = q?.trim() || null;
    if (!search)
      return {
        title: label(ctx.locale, 'catalog.searchHeading'),
        q: '',
        empty: true,
        action: '/search',
      };
    const listing = await this.listing(ctx, { search }, query, '/search', search);
    return {
      title: label(ctx.locale, 'catalog.searchTitle', { q: search }),
      q: search,
      empty: false,
      action: '/search',
      ...listing,
    };
  }

  /** One page of products as cards, with pager links built by `href(after)`. */
  async page(
    ctx: TenantContext,
    args: { search?: string | null; categorySlug?: string | null },
    query: ListingQuery,
    href: (after: string | null) => string,
  ): Promise<{ page: ProductPage; view: Omit<ListingView, 'facets' | 'filtered' | 'clearHref'> }> {
    const page = await this.catalog.listProducts(ctx, {
      first: LISTING_PAGE_SIZE,
      after: query.after,
      attributes: query.filters,
      ...args,
    });
    const variants = await this.variants.ofProducts(
      ctx,
      page.products.map((p) => p.id),
    );
    return {
      page,
      view: {
        showPrices: this.variants.canSeePrices(ctx),
        totalCount: page.totalCount,
        products: page.products.map((p) => ({
          slug: p.slug,
          name: p.name,
          manufacturer: p.manufacturer,
          variants: (variants.get(p.id) ?? []).map(({ record, view }) => ({
            ...view,
            minOrderQuantity: record.minOrderQuantity,
            orderMultiple: record.orderMultiple,
            unit: record.unit,
          })),
        })),
        firstHref: query.after ? href(null) : null,
        nextHref: page.hasNextPage ? href(page.products[page.products.length - 1].cursor) : null,
      },
    };
  }

  private async listing(
    ctx: TenantContext,
    args: { search?: string | null; categorySlug?: string | null },
    query: ListingQuery,
    base: string,
    q: string | null,
  ): Promise<ListingView> {
    const href = (after: string | null) =>
      base + listingQuery({ q, filters: query.filters, after });
    const { page, view } = await this.page(ctx, args, query, href);
    const facets = await this.catalog.facets(ctx, page.resolved);
    return {
      ...view,
      facets: facets.map((f) => facetView(f, query.filters)),
      filtered: query.filters.length > 0,
      clearHref: base + listingQuery({ q }),
    };
  }
}

function facetView(facet: FacetRecord, filters: readonly AttributeFilter[]): FacetView {
  const chosen = filters.find((f) => f.code === facet.code);
  const checked = new Set(chosen?.values ?? []);
  const isNumber = facet.type === 'NUMBER';
  // A chosen value the result set no longer has stays visible, so it can be unticked.
  const values = [...facet.values];
  for (const v of checked)
    if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
  return {
    code: facet.code,
    name: facet.name,
    unit: facet.unit,
    isNumber,
    valueParam: VALUE_PREFIX + facet.code,
    minParam: MIN_PREFIX + facet.code,
    maxParam: MAX_PREFIX + facet.code,
    values: values.map((v, i) => ({
      value: v.value,
      count: v.count,
      checked: checked.has(v.value),
      id: `facet-${facet.code}-${i}`,
    })),
    rangeMin: isNumber ? facet.min : null,
    rangeMax: isNumber ? facet.max : null,
    chosenMin: chosen?.min ?? null,
    chosenMax: chosen?.max ?? null,
  };
}

function breadcrumbs(all: readonly CategoryRecord[], category: CategoryRecord) {
  const bySlug = new Map(all.map((c) => [c.slug, c]));
  return category.path
    .map((slug) => bySlug.get(slug))
    .filter((c): c is CategoryRecord => !!c)
    .map((c) => ({
      name: c.name,
      href: `/c/${encodeURIComponent(c.slug)}`,
      current: c.id === category.id,
    }));
}
