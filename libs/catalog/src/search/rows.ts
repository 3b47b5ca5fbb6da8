import type {
  AttributeKind,
  AttributeValueRecord,
  CategoryRecord,
  MediaRecord,
  ProductRecord,
  TaxCategory,
  VariantRecord,
} from '../catalog.model';

// In every statement below, $1 is the tenant, $2 the request locale and $3 the tenant's
// default locale (the fallback for missing texts).

export const PRODUCT_COLUMNS = `pr.id, tp.slug, pr.category_id, pr.manufacturer, pr.media,
  coalesce(pr.names->>$2, pr.names->>$3) AS name, coalesce(pr.descriptions->>$2, pr.descriptions->>$3) AS description`;

/** A variant's attribute values with their definitions, in the definitions' order. */
const ATTRIBUTE_VALUES = `CASE WHEN v.attributes = '{}'::jsonb THEN '[]'::jsonb ELSE (
    SELECT coalesce(jsonb_agg(jsonb_build_object(
             'code', a.code, 'name', coalesce(a.names->>$2, a.names->>$3, a.code),
             'type', a.type, 'unit', a.unit, 'value', v.attributes -> a.code)
           ORDER BY a.position, a.code), '[]'::jsonb)
    FROM attribute a WHERE a.code IN (SELECT jsonb_object_keys(v.attributes))) END`;

const VARIANT_SCALARS = `v.id, v.product_id, v.sku, v.gtin, v.mpn,
  coalesce(v.names->>$2, v.names->>$3) AS name, v.weight_grams, v.length_mm, v.width_mm,
  v.height_mm, v.volume_ml, v.stock_on_hand, v.unit, v.order_multiple, v.min_order_quantity,
  v.status, v.successor_sku, v.tax_category, c.path AS category_path, vcs.customer_sku`;

/** Columns of a variant row; needs `VARIANT_JOINS` after the `variant v` in FROM. */
export const VARIANT_COLUMNS = `${VARIANT_SCALARS}, ${ATTRIBUTE_VALUES} AS attributes`;

/**
 * The same without the attribute values (`attributes` is `[]`): for listings that do not show
 * them. The attribute subquery is most of a variant statement's cost (bench/README.md).
 */
export const VARIANT_COLUMNS_WITHOUT_ATTRIBUTES = `${VARIANT_SCALARS}, '[]'::jsonb AS attributes`;

/**
 * The product (for its category path) and this tenant's customer article number: one index
 * probe per variant inside the same statement, so `Variant.customerSku` costs no query of its
 * own. customer_sku is tenant-owned: the explicit tenant filter and row-level security both hold.
 */
export const VARIANT_JOINS = `JOIN product pr ON pr.id = v.product_id
  LEFT JOIN category c ON c.id = pr.category_id
  LEFT JOIN customer_sku vcs ON vcs.tenant_id = $1 AND vcs.variant_id = v.id`;

/** Category columns with the locale and fallback locale in the given placeholders. */
export const categoryColumns = (locale: string, fallback: string) =>
  `c.id, c.slug, c.parent_id, c.path, coalesce(c.names->>${locale}, c.names->>${fallback}) AS name`;

export interface ProductRow {
  id: number;
  slug: string;
  category_id: number | null;
  manufacturer: string | null;
  media: unknown;
  name: string | null;
  description: string | null;
}
export type RankedProductRow = ProductRow & {
  rank: number;
  score: number;
  /** Searched pages: the size of the whole result set. */
  total_count: number | null;
};

export interface VariantRow {
  id: number;
  product_id: number;
  sku: string;
  gtin: string | null;
  mpn: string | null;
  name: string | null;
  weight_grams: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  volume_ml: number | null;
  stock_on_hand: number;
  unit: string;
  order_multiple: number;
  min_order_quantity: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  successor_sku: string | null;
  category_path: string | null;
  tax_category: TaxCategory;
  customer_sku: string | null;
  attributes: unknown;
}

export interface CategoryRow {
  id: number;
  slug: string;
  parent_id: number | null;
  path: string;
  name: string | null;
}

export function toProduct(r: ProductRow): ProductRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name ?? r.slug,
    description: r.description,
    categoryId: r.category_id,
    manufacturer: r.manufacturer,
    media: toMedia(r.media),
  };
}

export function toVariant(r: VariantRow): VariantRecord {
  return {
    id: r.id,
    productId: r.product_id,
    sku: r.sku,
    gtin: r.gtin,
    mpn: r.mpn,
    name: r.name ?? r.sku,
    weightGrams: r.weight_grams,
    lengthMm: r.length_mm,
    widthMm: r.width_mm,
    heightMm: r.height_mm,
    volumeMl: r.volume_ml,
    stockOnHand: r.stock_on_hand,
    unit: r.unit,
    orderMultiple: r.order_multiple,
    minOrderQuantity: r.min_order_quantity,
    status: r.status,
    successorSku: r.successor_sku,
    attributes: toAttributeValues(r.attributes),
    customerSku: r.customer_sku,
    categoryPath: r.category_path ? r.category_path.split('/') : [],
    taxCategory: r.tax_category,
  };
}

export function toCategory(r: CategoryRow): CategoryRecord {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name ?? r.slug,
    parentId: r.parent_id,
    path: r.path.split('/'),
  };
}

/** media is jsonb [{kind, url, title}]; anything malformed is left out rather than failing the page. */
function toMedia(json: unknown): MediaRecord[] {
  if (!Array.isArray(json)) return [];
  const out: MediaRecord[] = [];
  for (const m of json as Array<Record<string, unknown>>) {
    if (m && typeof m.url === 'string') {
      out.push({
        kind: typeof m.kind === 'string' ? m.kind : 'image',
        url: m.url,
        title: typeof m.title === 'string' ? m.title : null,
      });
    }
  }
  return out;
}

function toAttributeValues(json: unknown): AttributeValueRecord[] {
  if (!Array.isArray(json)) return [];
  return (json as Array<Record<string, unknown>>).flatMap((a) => {
    const text = displayValue(a.value);
    if (text === null) return [];
    const type = a.type as AttributeKind;
    const n =
      type === 'NUMBER' ? Number(typeof a.value === 'string' ? a.value.trim() : a.value) : NaN;
    return [
      {
        code: String(a.code),
        name: typeof a.name === 'string' ? a.name : String(a.code),
        type,
        unit: typeof a.unit === 'string' ? a.unit : null,
        value: text,
        numberValue:
          type === 'NUMBER' && a.value !== '' && typeof a.value !== 'boolean' && Number.isFinite(n)
            ? n
            : null,
      },
    ];
  });
}

function displayValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(displayValue).filter((v): v is string => v !== null);
    return parts.length ? parts.join(', ') : null;
  }
  return JSON.stringify(value);
}
