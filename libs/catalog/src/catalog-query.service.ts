import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import type {
  AttributeFilter,
  AttributeKind,
  CategoryRecord,
  FacetRecord,
  ProductPage,
  ProductRecord,
  ResolvedProductQuery,
  SkuLookupRecord,
  SkuMatchKind,
  VariantColumns,
  VariantRecord,
} from './catalog.model';
import { decodeCursor, encodeCursor } from './cursor';
import { checkFilterShape, resolveFilters } from './search/attribute-filter';
import { toFacets, type FacetRow } from './search/facets';
import { countStatement, facetStatement, pageStatement } from './search/product-query';
import type { SearchFeatures } from './search/ranked-search';
import {
  categoryColumns,
  PRODUCT_COLUMNS,
  toCategory,
  toProduct,
  toVariant,
  VARIANT_COLUMNS,
  VARIANT_COLUMNS_WITHOUT_ATTRIBUTES,
  VARIANT_JOINS,
  type CategoryRow,
  type ProductRow,
  type RankedProductRow,
  type VariantRow,
} from './search/rows';
export { escapeLike } from './search/sql-params';

export const MAX_SEARCH_LENGTH = 200;
export const MAX_LOOKUP_SKUS = 500;
/** Longer than any article number; a longer entry is a paste gone wrong. */
export const MAX_SKU_LENGTH = 100;

export interface ProductQueryArgs {
  first: number;
  after?: string | null;
  search?: string | null;
  categorySlug?: string | null;
  /** Attribute filters; a product matches when one of its variants passes all of them. */
  attributes?: readonly AttributeFilter[] | null;
  /**
   * Also fetch the page's variants, in the same unit of work (`ProductPage.variants`): a
   * listing that shows them saves a second transaction.
   */
  variants?: VariantColumns | null;
}

/**
 * Storefront reads of the catalog. Every query starts from the tenant's materialized
 * assortment (tenant_product / tenant_variant), so nothing outside it can be listed, found,
 * counted or fetched — and all of them run in the tenant's unit of work (row-level security).
 */
@Injectable()
export class CatalogQueryService implements OnApplicationBootstrap {
  private features: Promise<SearchFeatures> | null = null;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Learns once whether pg_trgm is installed, before the first search needs to know. */
  onApplicationBootstrap(): void {
    void this.searchFeatures();
  }

  /**
   * One page of products, optionally searched (ranked: exact article number, prefix, full
   * text, similar words), in a category subtree and filtered by attributes.
   */
  async listProducts(ctx: TenantContext, args: ProductQueryArgs): Promise<ProductPage> {
    const first = this.checkFirst(args.first);
    const search = normalizeSearch(args.search);
    const after = args.after ? decodeCursor(args.after) : null;
    const attributes = args.attributes ?? [];
    checkFilterShape(attributes);
    const features = await this.searchFeatures();
    return this.db.run(ctx, async (em) => {
      const resolved = await this.resolveQuery(em, search, args.categorySlug ?? null, attributes);
      if (resolved.categoryIds?.length === 0)
        return { products: [], totalCount: 0, hasNextPage: false, resolved };
      // A search cursor (rank > 0) lies past every browse row.
      const rows =
        !search && after && after.rank > 0
          ? []
          : await query<RankedProductRow>(em, pageStatement(ctx, resolved, features, after, first));
      const totalCount =
        rows[0]?.total_count ??
        (await query<{ count: number }>(em, countStatement(ctx, resolved, features)))[0].count;
      const products = rows.slice(0, first).map((row) => ({
        ...toProduct(row),
        cursor: encodeCursor({ rank: row.rank, score: row.score, slug: row.slug }),
      }));
      const variants =
        args.variants && products.length
          ? await this.variantRows(
              em,
              ctx,
              products.map((p) => p.id),
              args.variants,
            )
          : undefined;
      return { products, totalCount, hasNextPage: rows.length > first, resolved, variants };
    });
  }

  /**
   * Facet counts for the result set of a page (`ProductPage.resolved`): per facet attribute,
   * its most frequent values with the number of products of the result set having them.
   */
  async facets(ctx: TenantContext, resolved: ResolvedProductQuery): Promise<FacetRecord[]> {
    if (resolved.categoryIds?.length === 0) return [];
    const features = await this.searchFeatures();
    return this.db.run(ctx, async (em) =>
      toFacets(await query<FacetRow>(em, facetStatement(ctx, resolved, features))),
    );
  }

  /**
   * A product by its slug or by an article number of one of its variants — the seller's SKU,
   * or else this tenant's customer article number; null outside the assortment.
   */
  async findProduct(
    ctx: TenantContext,
    by: { slug?: string | null; sku?: string | null },
  ): Promise<ProductRecord | null> {
    if (!by.slug === !by.sku) throw VitrineError.badInput('Give exactly one of `slug` or `sku`.');
    const params = [ctx.tenantId, ctx.locale, ctx.tenant.locales[0]];
    return this.db.run(ctx, async (em) => {
      const rows = (await (by.slug
        ? em.query(
            `SELECT ${PRODUCT_COLUMNS} FROM tenant_product tp JOIN product pr ON pr.id = tp.product_id
             WHERE tp.tenant_id = $1 AND tp.slug = $4`,
            [...params, by.slug],
          )
        : em.query(
            `SELECT ${PRODUCT_COLUMNS} FROM (
               SELECT v.id AS variant_id, 0 AS preference FROM variant v WHERE v.sku = $4
               UNION ALL
               SELECT cs.variant_id, 1 FROM customer_sku cs WHERE cs.tenant_id = $1 AND cs.customer_sku = $4
             ) m
             JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = m.variant_id
             JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = tv.product_id
             JOIN product pr ON pr.id = tp.product_id
             ORDER BY m.preference LIMIT 1`,
            [...params, normalizeSku(by.sku ?? '')],
          ))) as ProductRow[];
      return rows.length ? toProduct(rows[0]) : null;
    });
  }

  /**
   * The assortment's variants of many products at once (DataLoader batch), in display order.
   *
   * The product filter is on both sides of the join on purpose: the variants of the products
   * (variant_product_idx, the seller's master data) and the tenant's rows of those products
   * (tenant_variant_product_idx) are each a few dozen rows, whatever the statistics say. With
   * the filter on tenant_variant alone, the planner estimates its side from tenant_id and
   * product_id as if they were independent; once many tenants share the same products (1,000
   * provisioned tenants with one category) that estimate grows and it switched to hashing a
   * sequential scan of the whole variant table for every page — see bench/README.md,
   * "The provisioning scenario".
   */
  async variantsOfProducts(
    ctx: TenantContext,
    productIds: readonly number[],
    columns: VariantColumns = { attributes: true },
  ): Promise<Map<number, VariantRecord[]>> {
    return this.db.run(ctx, (em) => this.variantRows(em, ctx, productIds, columns));
  }

  private async variantRows(
    em: EntityManager,
    ctx: TenantContext,
    productIds: readonly number[],
    columns: VariantColumns,
  ): Promise<Map<number, VariantRecord[]>> {
    const rows = await em.query(
      `SELECT ${columns.attributes ? VARIANT_COLUMNS : VARIANT_COLUMNS_WITHOUT_ATTRIBUTES} FROM variant v
       JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
       ${VARIANT_JOINS}
       WHERE v.product_id = ANY($4::int[]) AND tv.product_id = ANY($4::int[])
       ORDER BY v.product_id, v.position, v.id`,
      [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], productIds],
    );
    const byProduct = new Map<number, VariantRecord[]>();
    for (const row of rows as VariantRow[]) {
      const list = byProduct.get(row.product_id) ?? [];
      list.push(toVariant(row));
      byProduct.set(row.product_id, list);
    }
    return byProduct;
  }

  /** Quick order: each input article number resolved to a variant of the assortment, or null, in input order. */
  async lookupSkus(
    ctx: TenantContext,
    skus: readonly string[],
  ): Promise<Array<VariantRecord | null>> {
    return (await this.lookupArticleNumbers(ctx, skus)).map((m) => m?.variant ?? null);
  }

  /**
   * Quick order and CSV paste: each input resolved in one statement, in input order — as the
   * seller's SKU first, else as this tenant's customer article number; null when neither names
   * a variant of the assortment. Case and surrounding blanks do not matter.
   */
  async lookupArticleNumbers(
    ctx: TenantContext,
    codes: readonly string[],
  ): Promise<Array<SkuLookupRecord | null>> {
    if (codes.length > MAX_LOOKUP_SKUS) {
      throw VitrineError.badInput(
        `lookupSkus takes at most ${MAX_LOOKUP_SKUS} article numbers per call; got ${codes.length}. Split the list.`,
        { argument: 'skus' },
      );
    }
    const tooLong = codes.findIndex((c) => c.length > MAX_SKU_LENGTH);
    if (tooLong >= 0) {
      throw VitrineError.badInput(
        `Article number ${tooLong + 1} is longer than ${MAX_SKU_LENGTH} characters.`,
        { argument: 'skus', index: tooLong },
      );
    }
    const wanted = codes.map(normalizeSku);
    const unique = [...new Set(wanted)].filter((c) => c.length > 0);
    if (unique.length === 0) return wanted.map(() => null);
    const rows = (await this.db.run(ctx, (em) =>
      em.query(
        `SELECT m.input, m.matched_by, ${VARIANT_COLUMNS} FROM (
           SELECT sv.sku AS input, 'SKU' AS matched_by, sv.id AS variant_id
           FROM variant sv WHERE sv.sku = ANY($4::text[])
           UNION ALL
           SELECT cs.customer_sku, 'CUSTOMER_SKU', cs.variant_id
           FROM customer_sku cs WHERE cs.tenant_id = $1 AND cs.customer_sku = ANY($4::text[])
         ) m
         JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = m.variant_id
         JOIN variant v ON v.id = m.variant_id
         ${VARIANT_JOINS}`,
        [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], unique],
      ),
    )) as Array<VariantRow & { input: string; matched_by: SkuMatchKind }>;
    const bySku = new Map<string, SkuLookupRecord>();
    const byCustomerSku = new Map<string, SkuLookupRecord>();
    for (const row of rows) {
      (row.matched_by === 'SKU' ? bySku : byCustomerSku).set(row.input, {
        variant: toVariant(row),
        matchedBy: row.matched_by,
      });
    }
    return wanted.map((code) => bySku.get(code) ?? byCustomerSku.get(code) ?? null);
  }

  /** Categories that contain something of the tenant's assortment, with their ancestors, tree order. */
  async categories(ctx: TenantContext): Promise<CategoryRecord[]> {
    const rows = await this.db.run(ctx, (em) =>
      em.query(
        `WITH used AS (
           SELECT DISTINCT c.path FROM (SELECT DISTINCT category_id FROM tenant_product WHERE tenant_id = $1) tp
           JOIN category c ON c.id = tp.category_id)
         SELECT ${categoryColumns('$2', '$3')} FROM category c
         WHERE EXISTS (SELECT 1 FROM used u WHERE u.path = c.path OR u.path LIKE c.path || '/%')
         ORDER BY c.path`,
        [ctx.tenantId, ctx.locale, ctx.tenant.locales[0]],
      ),
    );
    return (rows as CategoryRow[]).map(toCategory);
  }

  /** Categories by id (DataLoader batch for Product.category and Category.parent). */
  async categoriesByIds(
    ctx: TenantContext,
    ids: readonly number[],
  ): Promise<Map<number, CategoryRecord>> {
    const rows = await this.db.query<CategoryRow>(
      `SELECT ${categoryColumns('$1', '$2')} FROM category c WHERE c.id = ANY($3::int[])`,
      [ctx.locale, ctx.tenant.locales[0], ids],
    );
    return new Map(rows.map((r) => [r.id, toCategory(r)]));
  }

  /** Whether pg_trgm is installed, asked once per process (the answer changes only with a migration). */
  private searchFeatures(): Promise<SearchFeatures> {
    this.features ??= this.db
      .query<{ available: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS available`,
      )
      .then(([row]) => ({ trigram: row?.available === true }))
      .catch(() => {
        this.features = null; // ask again next time
        return { trigram: false };
      });
    return this.features;
  }

  /** Category subtree and attribute definitions: at most two small statements, only when asked for. */
  private async resolveQuery(
    em: EntityManager,
    search: string | null,
    categorySlug: string | null,
    attributes: readonly AttributeFilter[],
  ): Promise<ResolvedProductQuery> {
    const categoryIds = categorySlug ? await this.subtreeIds(em, categorySlug) : null;
    if (attributes.length === 0) return { search, categoryIds, filters: [] };
    const defs = (await em.query(`SELECT code, type FROM attribute WHERE code = ANY($1::text[])`, [
      attributes.map((a) => a.code),
    ])) as Array<{ code: string; type: AttributeKind }>;
    const types = new Map(defs.map((d) => [d.code, d.type]));
    return { search, categoryIds, filters: resolveFilters(attributes, types) };
  }

  private checkFirst(first: number): number {
    const max = this.config.graphql.maxFirst;
    if (!Number.isInteger(first) || first < 0 || first > max) {
      throw VitrineError.badInput(`\`first\` must be between 0 and ${max}; got ${first}.`, {
        argument: 'first',
      });
    }
    return first;
  }

  private async subtreeIds(em: EntityManager, slug: string): Promise<number[]> {
    const rows = (await em.query(
      `SELECT c.id FROM category c, (SELECT path FROM category WHERE slug = $1) root
       WHERE c.path = root.path OR c.path LIKE root.path || '/%'`,
      [slug],
    )) as Array<{ id: number }>;
    return rows.map((r) => r.id);
  }
}

async function query<T>(
  em: EntityManager,
  statement: { sql: string; params: unknown[] },
): Promise<T[]> {
  return (await em.query(statement.sql, statement.params)) as T[];
}

/** Article numbers are stored upper-case; buyers type them any way. */
export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

function normalizeSearch(search: string | null | undefined): string | null {
  if (search == null) return null;
  if (search.length > MAX_SEARCH_LENGTH) {
    throw VitrineError.badInput(
      `\`search\` is limited to ${MAX_SEARCH_LENGTH} characters; got ${search.length}.`,
      { argument: 'search' },
    );
  }
  // Control characters carry no meaning in a search and only confuse the parsers downstream.
  const trimmed = search
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  return trimmed.length ? trimmed : null;
}
