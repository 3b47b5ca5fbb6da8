import type { AttributeKind, FacetRecord } from '../catalog.model';
import { filterCondition, numericValue, type ResolvedFilter } from './attribute-filter';
import type { SqlParams } from './sql-params';

/** Values per facet, most frequent first. */
export const MAX_FACET_VALUES = 50;

/**
 * Facet counts over a result set. `baseSql` selects `product_id` of the products matching the
 * search and category (not the attribute filters). For each facet attribute, a product counts
 * for a value when one of its assortment variants has that value and passes every *other*
 * attribute filter — so choosing a value narrows the other facets but keeps this facet's
 * alternatives visible, and a value's count equals the totalCount you get by filtering on it.
 */
export function facetsSql(
  baseSql: string,
  filters: readonly ResolvedFilter[],
  p: SqlParams,
): string {
  const others = filters.map(
    (f) => `(fa.code = ${p.add(f.code)}::text OR ${filterCondition(f, p)})`,
  );
  const attrValue = `v.attributes -> fa.code`;
  return `
    WITH base AS (${baseSql}),
    fa AS (
      SELECT code, type, unit, position, coalesce(names->>$2::text, names->>$3::text, code) AS name
      FROM attribute WHERE facet),
    hits AS (
      SELECT fa.code, val.value, count(DISTINCT tv.product_id)::int AS count
      FROM base b
      JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.product_id = b.product_id
      JOIN variant v ON v.id = tv.variant_id
      JOIN fa ON v.attributes ? fa.code
      CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE jsonb_typeof(${attrValue}) WHEN 'array' THEN ${attrValue} ELSE jsonb_build_array(${attrValue}) END
      ) AS val(value)
      WHERE val.value IS NOT NULL ${others.length ? `AND ${others.join(' AND ')}` : ''}
      GROUP BY fa.code, val.value),
    ranked AS (
      SELECT h.code, h.value, h.count,
             row_number() OVER (PARTITION BY h.code ORDER BY h.count DESC, h.value) AS n,
             min(${numericValue('to_jsonb(h.value)')}) OVER (PARTITION BY h.code)::float8 AS min_value,
             max(${numericValue('to_jsonb(h.value)')}) OVER (PARTITION BY h.code)::float8 AS max_value
      FROM hits h)
    SELECT fa.code, fa.name, fa.type, fa.unit, r.value, r.count, r.min_value, r.max_value
    FROM ranked r JOIN fa ON fa.code = r.code
    WHERE r.n <= ${MAX_FACET_VALUES}
    ORDER BY fa.position, fa.code, r.n`;
}

export interface FacetRow {
  code: string;
  name: string;
  type: AttributeKind;
  unit: string | null;
  value: string;
  count: number;
  min_value: number | null;
  max_value: number | null;
}

/** Groups the rows of `facetsSql` (already in order) into facets. */
export function toFacets(rows: readonly FacetRow[]): FacetRecord[] {
  const facets: FacetRecord[] = [];
  for (const row of rows) {
    let facet = facets[facets.length - 1];
    if (!facet || facet.code !== row.code) {
      const numeric = row.type === 'NUMBER';
      facet = {
        code: row.code,
        name: row.name,
        type: row.type,
        unit: row.unit,
        values: [],
        min: numeric ? row.min_value : null,
        max: numeric ? row.max_value : null,
      };
      facets.push(facet);
    }
    facet.values.push({ value: row.value, count: row.count });
  }
  return facets;
}
