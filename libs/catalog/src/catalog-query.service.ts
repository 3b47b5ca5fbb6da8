import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import type { CategoryRecord, ProductPage, ProductRecord, VariantRecord } from './catalog.model';
import { decodeCursor, encodeCursor, type CursorKey } from './cursor';

export const MAX_SEARCH_LENGTH = 200;
export const MAX_LOOKUP_SKUS = 500;

export interface ProductQueryArgs {
  first: number;
  after?: string | null;
  search?: string | null;
  categorySlug?: string | null;
}

/**
 * Storefront reads of the catalog. Every query starts from the tenant's materialized
 * assortment (tenant_product / tenant_variant), so nothing outside it can be listed, found,
 * counted or fetched — and all of them run in the tenant's unit of work (row-level security).
 */
@Injectable()
export class CatalogQueryService {
  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One page of products, optionally searched and filtered by a category and its subtree. */
  async listProducts(ctx: TenantContext, args: ProductQueryArgs): Promise<ProductPage> {
    const first = this.checkFirst(args.first);
    const search = normalizeSearch(args.search);
    const after = args.after ? decodeCursor(args.after) : null;
    return this.db.run(ctx, async (em) => {
      const categoryIds = args.categorySlug ? await this.subtreeIds(em, args.categorySlug) : null;
      if (categoryIds && categoryIds.length === 0)
        return { products: [], totalCount: 0, hasNextPage: false };

      const rows = search
        ? await this.searchPage(em, ctx, search, categoryIds, after, first)
        : await this.browsePage(em, ctx, categoryIds, after, first);
      // Without a search nothing needs the locales: count straight from the assortment.
      const count = search
        ? searchSql(ctx, search, categoryIds, 'count(*)::int AS count')
        : categoryIds
          ? {
              sql: `SELECT count(*)::int AS count FROM tenant_product WHERE tenant_id = $1 AND category_id = ANY($2::int[])`,
              params: [ctx.tenantId, categoryIds],
            }
          : {
              sql: `SELECT count(*)::int AS count FROM tenant_product WHERE tenant_id = $1`,
              params: [ctx.tenantId],
            };
      const [{ count: totalCount }] = (await em.query(count.sql, count.params)) as Array<{
        count: number;
      }>;
      const shown = rows.slice(0, first);
      return {
        products: shown.map((row) => ({
          ...toProduct(row),
          cursor: encodeCursor({ rank: row.rank, slug: row.slug }),
        })),
        totalCount,
        hasNextPage: rows.length > first,
      };
    });
  }

  /** A product by its slug or by the SKU of one of its variants; null outside the assortment. */
  async findProduct(
    ctx: TenantContext,
    by: { slug?: string | null; sku?: string | null },
  ): Promise<ProductRecord | null> {
    if (!by.slug === !by.sku) throw VitrineError.badInput('Give exactly one of `slug` or `sku`.');
    return this.db.run(ctx, async (em) => {
      const rows = (await (by.slug
        ? em.query(
            `SELECT ${PRODUCT_COLUMNS} FROM tenant_product tp JOIN product pr ON pr.id = tp.product_id
             WHERE tp.tenant_id = $1 AND tp.slug = $4`,
            [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], by.slug],
          )
        : em.query(
            `SELECT ${PRODUCT_COLUMNS} FROM variant v
             JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
             JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = tv.product_id
             JOIN product pr ON pr.id = tp.product_id
             WHERE v.sku = $4`,
            [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], normalizeSku(by.sku ?? '')],
          ))) as ProductRow[];
      return rows.length ? toProduct(rows[0]) : null;
    });
  }

  /** The assortment's variants of many products at once (DataLoader batch), in display order. */
  async variantsOfProducts(
    ctx: TenantContext,
    productIds: readonly number[],
  ): Promise<Map<number, VariantRecord[]>> {
    const rows = await this.db.run(ctx, (em) =>
      em.query(
        `SELECT ${VARIANT_COLUMNS} FROM tenant_variant tv
         JOIN variant v ON v.id = tv.variant_id
         JOIN product pr ON pr.id = v.product_id
         LEFT JOIN category c ON c.id = pr.category_id
         WHERE tv.tenant_id = $1 AND tv.product_id = ANY($4::int[])
         ORDER BY v.product_id, v.position, v.id`,
        [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], productIds],
      ),
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
    if (skus.length > MAX_LOOKUP_SKUS) {
      throw VitrineError.badInput(
        `lookupSkus takes at most ${MAX_LOOKUP_SKUS} article numbers per call; got ${skus.length}.`,
        {
          argument: 'skus',
        },
      );
    }
    const wanted = skus.map(normalizeSku);
    const rows = await this.db.run(ctx, (em) =>
      em.query(
        `SELECT ${VARIANT_COLUMNS} FROM variant v
         JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
         JOIN product pr ON pr.id = v.product_id
         LEFT JOIN category c ON c.id = pr.category_id
         WHERE v.sku = ANY($4::text[])`,
        [ctx.tenantId, ctx.locale, ctx.tenant.locales[0], [...new Set(wanted)]],
      ),
    );
    const bySku = new Map((rows as VariantRow[]).map((r) => [r.sku, toVariant(r)]));
    return wanted.map((sku) => bySku.get(sku) ?? null);
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

  /**
   * Browsing without a search: straight down the (tenant_id, slug) index, so a page costs the
   * same whether the assortment holds a hundred products or a hundred thousand.
   */
  private async browsePage(
    em: EntityManager,
    ctx: TenantContext,
    categoryIds: number[] | null,
    after: CursorKey | null,
    first: number,
  ): Promise<RankedProductRow[]> {
    // Browse cursors carry rank 0; a cursor of a search page (rank > 0) lies past every browse row.
    if (after && after.rank > 0) return [];
    const params: unknown[] = [ctx.tenantId, ctx.locale, ctx.tenant.locales[0]];
    const p = (v: unknown) => `$${params.push(v)}`;
    const categoryFilter = categoryIds ? `AND tp.category_id = ANY(${p(categoryIds)}::int[])` : '';
    const keyset = after ? `AND tp.slug > ${p(after.slug)}::text` : '';
    return (await em.query(
      `SELECT 0 AS rank, ${PRODUCT_COLUMNS} FROM tenant_product tp
       JOIN product pr ON pr.id = tp.product_id
       WHERE tp.tenant_id = $1 ${categoryFilter} ${keyset}
       ORDER BY tp.slug LIMIT ${p(first + 1)}`,
      params,
    )) as RankedProductRow[];
  }

  /** A search page: ranked matches (see `rankedSearch`), keyset on (rank, slug). */
  private async searchPage(
    em: EntityManager,
    ctx: TenantContext,
    search: string,
    categoryIds: number[] | null,
    after: CursorKey | null,
    first: number,
  ): Promise<RankedProductRow[]> {
    const page = searchSql(ctx, search, categoryIds, `r.rank, ${PRODUCT_COLUMNS}`);
    const keyset = after
      ? `AND (r.rank, tp.slug) > (${page.p(after.rank)}::int, ${page.p(after.slug)}::text)`
      : '';
    return (await em.query(
      `${page.sql} ${keyset} ORDER BY r.rank, tp.slug LIMIT ${page.p(first + 1)}`,
      page.params,
    )) as RankedProductRow[];
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
  const trimmed = search.trim().replace(/\s+/g, ' ');
  return trimmed.length ? trimmed : null;
}

/** Escapes LIKE metacharacters so user input matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The ranked search as a statement selecting `columns`, with its own numbered parameters
 * (PostgreSQL wants exactly the parameters a statement references). $1 is the tenant, $2/$3 the
 * locales; `p` appends more.
 */
function searchSql(
  ctx: TenantContext,
  search: string,
  categoryIds: number[] | null,
  columns: string,
): { sql: string; params: unknown[]; p: (v: unknown) => string } {
  const params: unknown[] = [ctx.tenantId, ctx.locale, ctx.tenant.locales[0]];
  const p = (v: unknown) => `$${params.push(v)}`;
  const ranked = rankedSearch(search, p);
  const categoryFilter = categoryIds ? `AND tp.category_id = ANY(${p(categoryIds)}::int[])` : '';
  const sql = `
    WITH ranked AS (${ranked})
    SELECT ${columns} FROM ranked r
    JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = r.product_id
    JOIN product pr ON pr.id = tp.product_id
    WHERE true ${categoryFilter}`;
  return { sql, params, p };
}

/**
 * Products matching a search, each with its best rank: 0 an exact article number (SKU, GTIN,
 * manufacturer part number), 1 a prefix of one, 2 a name or description containing the text.
 * Full-text ranking replaces rank 2 in the catalog issue; the order of the tiers stays.
 */
function rankedSearch(search: string, p: (v: unknown) => string): string {
  const upper = search.toUpperCase();
  const exact = p(upper);
  const prefix = p(`${escapeLike(upper)}%`);
  const contains = p(`%${escapeLike(search)}%`);
  return `
    SELECT product_id, min(rank) AS rank FROM (
      SELECT tv.product_id,
             CASE WHEN v.sku = ${exact} OR v.gtin = ${exact} OR upper(v.mpn) = ${exact} THEN 0
                  WHEN v.sku LIKE ${prefix} OR v.gtin LIKE ${prefix} OR upper(v.mpn) LIKE ${prefix} THEN 1
                  ELSE 2 END AS rank
      FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
      WHERE tv.tenant_id = $1
        AND (v.sku LIKE ${prefix} OR v.gtin LIKE ${prefix} OR upper(v.mpn) LIKE ${prefix}
             OR coalesce(v.names->>$2, v.names->>$3) ILIKE ${contains})
      UNION ALL
      SELECT tp.product_id, 2 FROM tenant_product tp JOIN product p ON p.id = tp.product_id
      WHERE tp.tenant_id = $1
        AND (coalesce(p.names->>$2, p.names->>$3) ILIKE ${contains}
             OR coalesce(p.descriptions->>$2, p.descriptions->>$3) ILIKE ${contains})
    ) m GROUP BY product_id`;
}

// $2 is the request locale, $3 the tenant's default locale (fallback for missing texts).
const PRODUCT_COLUMNS = `pr.id, tp.slug, pr.category_id, pr.manufacturer,
  coalesce(pr.names->>$2, pr.names->>$3) AS name, coalesce(pr.descriptions->>$2, pr.descriptions->>$3) AS description`;
const VARIANT_COLUMNS = `v.id, v.product_id, v.sku, v.gtin, v.mpn, coalesce(v.names->>$2, v.names->>$3) AS name,
  v.weight_grams, v.stock_on_hand, c.path AS category_path`;
/** Category columns with the locale and fallback locale in the given placeholders. */
const categoryColumns = (locale: string, fallback: string) =>
  `c.id, c.slug, c.parent_id, c.path, coalesce(c.names->>${locale}, c.names->>${fallback}) AS name`;

type RankedProductRow = ProductRow & { rank: number };
interface ProductRow {
  id: number;
  slug: string;
  category_id: number | null;
  manufacturer: string | null;
  name: string | null;
  description: string | null;
}
interface VariantRow {
  id: number;
  product_id: number;
  sku: string;
  gtin: string | null;
  mpn: string | null;
  name: string | null;
  weight_grams: number | null;
  stock_on_hand: number;
  category_path: string | null;
}
interface CategoryRow {
  id: number;
  slug: string;
  parent_id: number | null;
  path: string;
  name: string | null;
}

function toProduct(r: ProductRow): ProductRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name ?? r.slug,
    description: r.description,
    categoryId: r.category_id,
    manufacturer: r.manufacturer,
  };
}
function toVariant(r: VariantRow): VariantRecord {
  return {
    id: r.id,
    productId: r.product_id,
    sku: r.sku,
    gtin: r.gtin,
    mpn: r.mpn,
    name: r.name ?? r.sku,
    weightGrams: r.weight_grams,
    stockOnHand: r.stock_on_hand,
    categoryPath: r.category_path ? r.category_path.split('/') : [],
  };
}
function toCategory(r: CategoryRow): CategoryRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name ?? r.slug,
    parentId: r.parent_id,
    path: r.path.split('/'),
  };
}
