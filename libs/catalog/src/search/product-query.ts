import type { TenantContext } from '@vitrine/tenancy';
import type { ResolvedProductQuery } from '../catalog.model';
import type { CursorKey } from '../cursor';
import { productFilterSql } from './attribute-filter';
import { facetsSql } from './facets';
import { rankedSearchSql, type SearchFeatures } from './ranked-search';
import { PRODUCT_COLUMNS } from './rows';
import { SqlParams } from './sql-params';

export interface Statement {
  sql: string;
  params: unknown[];
}

const baseParams = (ctx: TenantContext) => [ctx.tenantId, ctx.locale, ctx.tenant.locales[0]];

/**
 * The set of products a query selects, as `FROM … WHERE …` over `tp` (tenant_product) and,
 * when searching, `r` (the ranked matches). Search, category subtree and attribute filters
 * all narrow the same set; its page, its count and its facets are three views of it.
 */
function productSet(
  query: ResolvedProductQuery,
  features: SearchFeatures,
  p: SqlParams,
  opts: { withFilters: boolean; withProduct: boolean },
): { from: string; where: string; ranked: boolean } {
  const category = query.categoryIds
    ? `AND tp.category_id = ANY(${p.add(query.categoryIds)}::int[])`
    : '';
  const product = opts.withProduct ? 'JOIN product pr ON pr.id = tp.product_id' : '';
  if (!query.search) {
    const filters = opts.withFilters ? productFilterSql(query.filters, p) : '';
    return {
      from: `FROM tenant_product tp ${product}`,
      where: `WHERE tp.tenant_id = $1 ${category} ${filters}`,
      ranked: false,
    };
  }
  const ranked = rankedSearchSql(query.search, p, features);
  const filters = opts.withFilters ? productFilterSql(query.filters, p) : '';
  return {
    from: `FROM (${ranked}) r
      JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = r.product_id ${product}`,
    where: `WHERE true ${category} ${filters}`,
    ranked: true,
  };
}

/**
 * One page: searched pages in (tier, score, slug) order, browsed pages in slug order — the
 * latter straight down the (tenant_id, slug) index, so a page costs the same whether the
 * assortment holds a hundred products or a hundred thousand. Fetches `first + 1` rows to know
 * whether there is a next page.
 *
 * Every page also carries `total_count` (the whole result set, before the cursor), so a page
 * is one round trip: a browsed page as an uncorrelated scalar subquery (computed once), a
 * searched page from the ranking it computes anyway (product rows are joined for the page
 * only). When the page comes back empty, ask `countStatement`.
 */
export function pageStatement(
  ctx: TenantContext,
  query: ResolvedProductQuery,
  features: SearchFeatures,
  after: CursorKey | null,
  first: number,
): Statement {
  const p = new SqlParams(baseParams(ctx));
  if (!query.search) {
    const counted = productSet(query, features, p, { withFilters: true, withProduct: false });
    const set = productSet(query, features, p, { withFilters: true, withProduct: true });
    const keyset = after ? `AND tp.slug > ${p.add(after.slug)}::text` : '';
    return p.statement(`SELECT 0 AS rank, 0 AS score,
      (SELECT count(*)::int ${counted.from} ${counted.where}) AS total_count, ${PRODUCT_COLUMNS}
      ${set.from} ${set.where} ${keyset}
      ORDER BY tp.slug LIMIT ${p.add(first + 1)}`);
  }
  const set = productSet(query, features, p, { withFilters: true, withProduct: false });
  const keyset = after
    ? `AND (s.rank, s.score, s.slug) > (${p.add(after.rank)}::int, ${p.add(after.score ?? 0)}::int, ${p.add(after.slug)}::text)`
    : '';
  return p.statement(`SELECT s.rank, s.score, s.total_count, ${PRODUCT_COLUMNS} FROM (
      SELECT r.product_id, r.tier AS rank, r.score, tp.slug, (count(*) OVER ())::int AS total_count
      ${set.from} ${set.where}) s
    JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = s.product_id
    JOIN product pr ON pr.id = s.product_id
    WHERE true ${keyset}
    ORDER BY s.rank, s.score, s.slug LIMIT ${p.add(first + 1)}`);
}

export function countStatement(
  ctx: TenantContext,
  query: ResolvedProductQuery,
  features: SearchFeatures,
): Statement {
  const p = new SqlParams(baseParams(ctx));
  const set = productSet(query, features, p, { withFilters: true, withProduct: false });
  return p.statement(`SELECT count(*)::int AS count ${set.from} ${set.where}`);
}

export function facetStatement(
  ctx: TenantContext,
  query: ResolvedProductQuery,
  features: SearchFeatures,
): Statement {
  const p = new SqlParams(baseParams(ctx));
  const set = productSet(query, features, p, { withFilters: false, withProduct: false });
  return p.statement(facetsSql(`SELECT tp.product_id ${set.from} ${set.where}`, query.filters, p));
}
