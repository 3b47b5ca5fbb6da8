import { VitrineError } from '@vitrine/errors';
import type { AttributeFilter, AttributeKind } from '../catalog.model';
import type { SqlParams } from './sql-params';

export const MAX_ATTRIBUTE_FILTERS = 20;
export const MAX_FILTER_VALUES = 100;
export const MAX_FILTER_VALUE_LENGTH = 200;

/** An attribute filter checked against the attribute's definition. */
export interface ResolvedFilter {
  code: string;
  type: AttributeKind;
  /** TEXT/ENUM: any of these strings; NUMBER: any of these numbers (as decimal strings). */
  values: string[] | null;
  min: number | null;
  max: number | null;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Shape checks that need no database: sizes, duplicates, each filter saying something. */
export function checkFilterShape(filters: readonly AttributeFilter[]): void {
  const bad = (message: string) => VitrineError.badInput(message, { argument: 'attributes' });
  if (filters.length > MAX_ATTRIBUTE_FILTERS)
    throw bad(
      `At most ${MAX_ATTRIBUTE_FILTERS} attribute filters per request; got ${filters.length}.`,
    );
  const seen = new Set<string>();
  for (const f of filters) {
    if (typeof f.code !== 'string' || f.code.length === 0 || f.code.length > 63)
      throw bad('Every attribute filter needs a `code` of 1 to 63 characters.');
    if (seen.has(f.code))
      throw bad(`Attribute \`${f.code}\` is filtered twice; give all its values in one filter.`);
    seen.add(f.code);
    const values = f.values ?? null;
    const hasRange = f.min != null || f.max != null;
    if (!values && !hasRange)
      throw bad(`The filter on \`${f.code}\` needs \`values\`, or \`min\`/\`max\` for a number.`);
    if (values && values.length === 0)
      throw bad(`The filter on \`${f.code}\` has an empty \`values\` list.`);
    if (values && values.length > MAX_FILTER_VALUES)
      throw bad(`The filter on \`${f.code}\` takes at most ${MAX_FILTER_VALUES} values.`);
    if (values?.some((v) => v.length > MAX_FILTER_VALUE_LENGTH))
      throw bad(`Filter values are limited to ${MAX_FILTER_VALUE_LENGTH} characters.`);
    for (const n of [f.min, f.max])
      if (n != null && !Number.isFinite(n)) throw bad(`\`min\`/\`max\` must be finite numbers.`);
    if (f.min != null && f.max != null && f.min > f.max)
      throw bad(`The filter on \`${f.code}\` has \`min\` above \`max\`.`);
  }
}

/** Checks each filter against its attribute's definition; unknown codes are a client error. */
export function resolveFilters(
  filters: readonly AttributeFilter[],
  types: ReadonlyMap<string, AttributeKind>,
): ResolvedFilter[] {
  return filters.map((f) => {
    const type = types.get(f.code);
    const bad = (message: string) =>
      VitrineError.badInput(message, { argument: 'attributes', attribute: f.code });
    if (!type) throw bad(`Unknown attribute \`${f.code}\`.`);
    const values = f.values ?? null;
    if (type !== 'NUMBER' && (f.min != null || f.max != null))
      throw bad(`\`min\`/\`max\` only apply to number attributes; \`${f.code}\` is ${type}.`);
    if (type === 'NUMBER' && values?.some((v) => !DECIMAL.test(v.trim())))
      throw bad(`Attribute \`${f.code}\` is a number; its \`values\` must be decimal numbers.`);
    return {
      code: f.code,
      type,
      values: values ? values.map((v) => (type === 'NUMBER' ? v.trim() : v)) : null,
      min: f.min ?? null,
      max: f.max ?? null,
    };
  });
}

/** The numeric value of a jsonb attribute value (a JSON number or a decimal string), else NULL. */
export function numericValue(json: string): string {
  return `(CASE jsonb_typeof(${json}) WHEN 'number' THEN (${json})::numeric
    WHEN 'string' THEN CASE WHEN (${json} #>> '{}') ~ '^-?[0-9]+(\\.[0-9]+)?$'
      THEN (${json} #>> '{}')::numeric END END)`;
}

/**
 * A condition on the variant alias `v` that holds when its value of the filtered attribute
 * passes. Scalars and arrays of strings both match; every value is a parameter.
 */
export function filterCondition(f: ResolvedFilter, p: SqlParams, alias = 'v'): string {
  const json = `${alias}.attributes -> ${p.add(f.code)}::text`;
  const parts: string[] = [];
  if (f.type === 'NUMBER') {
    const num = numericValue(json);
    if (f.values) parts.push(`${num} = ANY(${p.add(f.values)}::numeric[])`);
    if (f.min != null) parts.push(`${num} >= ${p.add(f.min)}::numeric`);
    if (f.max != null) parts.push(`${num} <= ${p.add(f.max)}::numeric`);
  } else if (f.values) {
    const values = p.add(f.values);
    parts.push(`((${json}) #>> '{}' = ANY(${values}::text[])
      OR (jsonb_typeof(${json}) = 'array' AND (${json}) ?| ${values}::text[]))`);
  }
  return parts.length ? `(${parts.join(' AND ')})` : 'true';
}

/**
 * Products (alias of tenant_product `tp`) with at least one variant of the assortment that
 * passes every filter: filters apply to one and the same variant.
 */
export function productFilterSql(filters: readonly ResolvedFilter[], p: SqlParams): string {
  if (filters.length === 0) return '';
  return `AND EXISTS (
    SELECT 1 FROM tenant_variant ftv JOIN variant fv ON fv.id = ftv.variant_id
    WHERE ftv.tenant_id = $1 AND ftv.product_id = tp.product_id
      AND ${filters.map((f) => filterCondition(f, p, 'fv')).join(' AND ')})`;
}
