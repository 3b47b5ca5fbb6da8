import { Args, Info, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import { selects } from '@vitrine/graphql';
import {
  Allow,
  Ctx,
  loaderFor,
  RequestContext,
  type GraphQLRequestContext,
  type TenantContext,
} from '@vitrine/tenancy';
import { AttributeFilterInput, type FacetType } from './attribute.type';
import type { CategoryRecord, VariantColumns } from './catalog.model';
import { CatalogQueryService } from './catalog-query.service';
import { CategoryType } from './category.type';
import {
  ProductConnectionType,
  ProductType,
  SkuLookupType,
  VariantType,
  toFacetType,
  toProductType,
  toSkuMatch,
  toVariantType,
} from './product.type';

function toCategoryType(c: CategoryRecord): CategoryType {
  return { slug: c.slug, name: c.name, parentId: c.parentId };
}

function categoryLoader(
  gql: GraphQLRequestContext,
  ctx: TenantContext,
  catalog: CatalogQueryService,
) {
  return loaderFor(
    gql,
    'catalog.categoryById',
    () =>
      new DataLoader<number, CategoryRecord | null>(async (ids) => {
        const found = await catalog.categoriesByIds(ctx, ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
  );
}

/**
 * The variants of products, batched per request. Listings that do not show attribute values
 * get their own loader of cheaper rows, so one request never mixes the two.
 */
function variantsLoader(
  gql: GraphQLRequestContext,
  ctx: TenantContext,
  catalog: CatalogQueryService,
  columns: VariantColumns,
) {
  return loaderFor(
    gql,
    columns.attributes ? 'catalog.variantsByProduct' : 'catalog.variantsByProduct.lean',
    () =>
      new DataLoader<number, VariantType[]>(async (ids) => {
        const found = await catalog.variantsOfProducts(ctx, ids, columns);
        return ids.map((id) => (found.get(id) ?? []).map(toVariantType));
      }),
  );
}

@Resolver()
export class CatalogResolver {
  constructor(private readonly catalog: CatalogQueryService) {}

  @Allow('BROWSE')
  @Query(() => [CategoryType], {
    description: "Categories that contain something of this site's assortment, in tree order.",
  })
  async categories(@Ctx() ctx: TenantContext): Promise<CategoryType[]> {
    return (await this.catalog.categories(ctx)).map(toCategoryType);
  }

  @Allow('BROWSE')
  @Query(() => ProductConnectionType, {
    description:
      "Only variants in this tenant's assortment ever appear. `search` matches, best first: an exact SKU, GTIN, manufacturer part number or your own article number; a prefix of one; localized names, manufacturer and descriptions (full text, in the site's language); similar words (typos). `attributes` keeps products with a variant passing every filter.",
  })
  async products(
    @Ctx() ctx: TenantContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('categorySlug', { type: () => String, nullable: true }) categorySlug: string | null,
    @Args('attributes', { type: () => [AttributeFilterInput], nullable: true })
    attributes: AttributeFilterInput[] | null,
    @RequestContext() gql: GraphQLRequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProductConnectionType> {
    // A page that shows variants gets them in the same unit of work as the products.
    const variants = selects(info, ['edges', 'node', 'variants'])
      ? { attributes: selects(info, ['edges', 'node', 'variants', 'attributes']) }
      : null;
    const page = await this.catalog.listProducts(ctx, {
      first: first ?? 20,
      after,
      search,
      categorySlug,
      attributes,
      variants,
    });
    if (variants && page.variants) {
      const loader = variantsLoader(gql, ctx, this.catalog, variants);
      for (const p of page.products)
        loader.prime(p.id, (page.variants.get(p.id) ?? []).map(toVariantType));
    }
    const edges = page.products.map((p) => ({ cursor: p.cursor, node: toProductType(p) }));
    let facets: Promise<FacetType[]> | null = null;
    return {
      edges,
      totalCount: page.totalCount,
      pageInfo: {
        hasNextPage: page.hasNextPage,
        endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      },
      // Called only when `facets` is selected (see ProductConnectionType).
      facets: () =>
        (facets ??= this.catalog.facets(ctx, page.resolved).then((list) => list.map(toFacetType))),
    };
  }

  @Allow('BROWSE')
  @Query(() => ProductType, {
    nullable: true,
    description:
      "Null when the product is outside this tenant's assortment — never an error that reveals it exists.",
  })
  async product(
    @Ctx() ctx: TenantContext,
    @Args('slug', { type: () => String, nullable: true }) slug: string | null,
    @Args('sku', {
      type: () => String,
      nullable: true,
      description: "The seller's SKU of one of its variants, or your own article number for it.",
    })
    sku: string | null,
  ): Promise<ProductType | null> {
    const found = await this.catalog.findProduct(ctx, { slug, sku });
    return found ? toProductType(found) : null;
  }

  @Allow('BROWSE')
  @Query(() => [SkuLookupType], {
    description:
      "Quick order: resolve many article numbers at once (at most 500), in input order. Each is matched as the seller's SKU first, else as your own article number.",
  })
  async lookupSkus(
    @Ctx() ctx: TenantContext,
    @Args('skus', { type: () => [String] }) skus: string[],
  ): Promise<SkuLookupType[]> {
    const found = await this.catalog.lookupArticleNumbers(ctx, skus);
    return skus.map((sku, i) => {
      const match = found[i];
      return {
        sku,
        variant: match ? toVariantType(match.variant) : null,
        matchedBy: match ? toSkuMatch(match.matchedBy) : null,
      };
    });
  }
}

@Resolver(() => ProductType)
export class ProductResolver {
  constructor(private readonly catalog: CatalogQueryService) {}

  @ResolveField(() => [VariantType])
  async variants(
    @Parent() product: ProductType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<VariantType[]> {
    const columns = { attributes: selects(info, ['attributes']) };
    return variantsLoader(gql, ctx, this.catalog, columns).load(product.record.id);
  }

  @ResolveField(() => CategoryType, { nullable: true })
  async category(
    @Parent() product: ProductType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
  ): Promise<CategoryType | null> {
    if (product.record.categoryId == null) return null;
    const found = await categoryLoader(gql, ctx, this.catalog).load(product.record.categoryId);
    return found ? toCategoryType(found) : null;
  }
}

@Resolver(() => CategoryType)
export class CategoryResolver {
  constructor(private readonly catalog: CatalogQueryService) {}

  @ResolveField(() => CategoryType, { nullable: true })
  async parent(
    @Parent() category: CategoryType,
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
  ): Promise<CategoryType | null> {
    if (category.parentId == null) return null;
    const found = await categoryLoader(gql, ctx, this.catalog).load(category.parentId);
    return found ? toCategoryType(found) : null;
  }
}
