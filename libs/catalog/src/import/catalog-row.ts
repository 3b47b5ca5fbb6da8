import { isValidGtin } from './gtin';
import type { RowReject } from './import.types';

/**
 * Catalog rows: from a CSV record or an NDJSON object to one normalized, validated `CatalogRow`.
 * Pure: what the database knows (categories, attribute definitions) comes in as `CatalogDictionary`.
 * The field mapping is documented in docs/import.md; keep both in step.
 */

export type MediaKind = 'image' | 'datasheet' | 'safety_sheet' | 'manual';
export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'datasheet', 'safety_sheet', 'manual'];

/** Which VAT rate applies to a variant (the rate itself depends on the ship-to country). */
export const TAX_CATEGORIES = ['standard', 'reduced', 'zero'] as const;

export interface MediaLink {
  kind: MediaKind;
  url: string;
  /** NDJSON only; CSV media columns hold links without titles. */
  title?: string;
}

export interface AttributeDefinition {
  code: string;
  type: 'TEXT' | 'NUMBER' | 'ENUM';
  enumValues: readonly string[] | null;
}

/** What validation needs to know about the database, loaded once per import. */
export interface CatalogDictionary {
  /** category slug → id */
  categories: ReadonlyMap<string, number>;
  attributes: ReadonlyMap<string, AttributeDefinition>;
}

/** A valid row: one variant and the product it belongs to. */
export interface CatalogRow {
  line: number;
  sku: string;
  /** Product slug: from the `product` key, or derived from the SKU (one product per variant). */
  productSlug: string;
  /** True when the file groups variants with a `product` key. */
  grouped: boolean;
  categoryId: number;
  manufacturer: string | null;
  /** Explicit product names; empty when the file gives none (the variant names stand in). */
  productNames: Record<string, string>;
  descriptions: Record<string, string>;
  media: MediaLink[];
  gtin: string | null;
  mpn: string | null;
  names: Record<string, string>;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  volumeMl: number | null;
  stockOnHand: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  successorSku: string | null;
  /** Default `standard`. */
  taxCategory: (typeof TAX_CATEGORIES)[number];
  unit: string;
  orderMultiple: number;
  minOrderQuantity: number;
  attributes: Record<string, string | number>;
  listPrice: { currency: string; amountMinor: number } | null;
}

/** A value from the file with the name the file gave it, for error reports. */
export interface Cell {
  field: string;
  value: unknown;
}

/** Format-neutral input of one row; absent cells are undefined. */
export interface CatalogRowInput {
  sku?: Cell;
  product?: Cell;
  category?: Cell;
  manufacturer?: Cell;
  names: Cell[];
  productNames: Cell[];
  descriptions: Cell[];
  /** key of each Cell's locale, in the same order as names/productNames/descriptions */
  gtin?: Cell;
  mpn?: Cell;
  weightGrams?: Cell;
  lengthMm?: Cell;
  widthMm?: Cell;
  heightMm?: Cell;
  volumeMl?: Cell;
  stock?: Cell;
  status?: Cell;
  successorSku?: Cell;
  taxCategory?: Cell;
  unit?: Cell;
  orderMultiple?: Cell;
  minOrderQuantity?: Cell;
  listPrice?: Cell;
  currency?: Cell;
  attributes: Array<Cell & { code: string }>;
  media: Array<Cell & { kind: string; title?: unknown }>;
  /** Problems found while reading the record (unknown NDJSON fields, wrong shapes). */
  problems: Array<{ field: string; reason: string }>;
}

export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9._/-]{0,63}$/;
const LOCALE_PATTERN = /^[a-z]{2}(?:-[A-Z]{2})?$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const UNIT_PATTERN = /^[A-Z0-9]{1,3}$/;
const MAX_TEXT = 2000;

/** Plain columns of a catalog CSV file, besides the prefixed ones (name_nl, attr_material, …). */
const CSV_COLUMNS: Record<string, keyof CatalogRowInput> = {
  sku: 'sku',
  product: 'product',
  category: 'category',
  manufacturer: 'manufacturer',
  gtin: 'gtin',
  mpn: 'mpn',
  weight_grams: 'weightGrams',
  length_mm: 'lengthMm',
  width_mm: 'widthMm',
  height_mm: 'heightMm',
  volume_ml: 'volumeMl',
  stock: 'stock',
  status: 'status',
  successor_sku: 'successorSku',
  tax_category: 'taxCategory',
  unit: 'unit',
  order_multiple: 'orderMultiple',
  min_order_quantity: 'minOrderQuantity',
  list_price: 'listPrice',
  currency: 'currency',
};
const CSV_PREFIXES = ['name_', 'product_name_', 'description_', 'attr_', 'media_'] as const;

/** NDJSON scalar fields are the CSV column names; maps are names/product_names/descriptions/attributes. */
const NDJSON_OBJECTS = new Set(['names', 'product_names', 'descriptions', 'attributes', 'media']);

/** Header problems of a catalog CSV file: unknown columns would silently drop data. */
export function checkCatalogCsvHeader(columns: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) problems.push(`column "${c}" appears twice`);
    seen.add(c);
    if (c in CSV_COLUMNS) continue;
    const prefix = CSV_PREFIXES.find((p) => c.startsWith(p) && c.length > p.length);
    if (!prefix) {
      problems.push(`unknown column "${c}"`);
      continue;
    }
    const rest = c.slice(prefix.length);
    if (prefix === 'media_' && !(MEDIA_KINDS as readonly string[]).includes(rest))
      problems.push(
        `unknown column "${c}" (media columns: ${MEDIA_KINDS.map((k) => `media_${k}`).join(', ')})`,
      );
    if (
      (prefix === 'name_' || prefix === 'product_name_' || prefix === 'description_') &&
      !LOCALE_PATTERN.test(rest)
    )
      problems.push(`column "${c}": "${rest}" is not a locale (nl, en, de-DE …)`);
  }
  if (!seen.has('sku')) problems.push('missing column "sku"');
  if (!seen.has('category')) problems.push('missing column "category"');
  if (!columns.some((c) => c.startsWith('name_')))
    problems.push('missing a name column (name_nl, name_en, …)');
  return problems;
}

/** A CSV record (header → cell text) as row input. Empty cells are absent. */
export function catalogInputFromCsv(record: Record<string, string>): CatalogRowInput {
  const input: CatalogRowInput = {
    names: [],
    productNames: [],
    descriptions: [],
    attributes: [],
    media: [],
    problems: [],
  };
  for (const [column, raw] of Object.entries(record)) {
    if (raw === undefined || raw.trim() === '') continue;
    const cell = { field: column, value: raw };
    const plain = CSV_COLUMNS[column];
    if (plain) (input as unknown as Record<string, Cell>)[plain] = cell;
    else if (column.startsWith('product_name_')) input.productNames.push(cell);
    else if (column.startsWith('name_')) input.names.push(cell);
    else if (column.startsWith('description_')) input.descriptions.push(cell);
    else if (column.startsWith('attr_'))
      input.attributes.push({ ...cell, code: column.slice('attr_'.length) });
    else if (column.startsWith('media_')) {
      // Several links of one kind: separated by whitespace or "|".
      for (const url of raw.split(/[\s|]+/).filter(Boolean))
        input.media.push({ field: column, value: url, kind: column.slice('media_'.length) });
    }
  }
  return input;
}

/** An NDJSON object as row input; unknown fields and wrong shapes become problems. */
export function catalogInputFromJson(obj: unknown): CatalogRowInput {
  const input: CatalogRowInput = {
    names: [],
    productNames: [],
    descriptions: [],
    attributes: [],
    media: [],
    problems: [],
  };
  if (!isPlainObject(obj)) {
    input.problems.push({ field: '-', reason: 'a line must be a JSON object' });
    return input;
  }
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined || value === '') continue;
    const plain = CSV_COLUMNS[key];
    if (plain) {
      (input as unknown as Record<string, Cell>)[plain] = { field: key, value };
      continue;
    }
    if (!NDJSON_OBJECTS.has(key)) {
      input.problems.push({ field: key, reason: `unknown field "${key}"` });
      continue;
    }
    if (key === 'media') {
      if (!Array.isArray(value)) {
        input.problems.push({ field: key, reason: 'must be an array of {kind, url}' });
        continue;
      }
      value.forEach((m: unknown, i) => {
        if (!isPlainObject(m))
          input.problems.push({ field: `media[${i}]`, reason: 'must be an object {kind, url}' });
        else {
          for (const k of Object.keys(m))
            if (!['kind', 'url', 'title'].includes(k))
              input.problems.push({ field: `media[${i}].${k}`, reason: `unknown field "${k}"` });
          input.media.push({
            field: `media[${i}]`,
            value: m.url,
            kind: String(m.kind ?? ''),
            title: m.title,
          });
        }
      });
      continue;
    }
    if (!isPlainObject(value)) {
      input.problems.push({ field: key, reason: 'must be an object' });
      continue;
    }
    for (const [sub, v] of Object.entries(value)) {
      if (v === null || v === undefined || v === '') continue;
      const cell = { field: `${key}.${sub}`, value: v };
      if (key === 'attributes') input.attributes.push({ ...cell, code: sub });
      else if (!LOCALE_PATTERN.test(sub))
        input.problems.push({
          field: cell.field,
          reason: `"${sub}" is not a locale (nl, en, de-DE …)`,
        });
      else if (key === 'names') input.names.push(cell);
      else if (key === 'product_names') input.productNames.push(cell);
      else input.descriptions.push(cell);
    }
  }
  return input;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Locale of a name/description cell: after the last `_` (CSV) or `.` (NDJSON). */
function localeOf(field: string): string {
  const dot = field.lastIndexOf('.');
  if (dot >= 0) return field.slice(dot + 1);
  return field.replace(/^(product_name_|name_|description_)/, '');
}

/** Upper-cased, trimmed SKU as stored; the same normalization for references to SKUs. */
export function normalizeSku(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value).trim().toUpperCase()
    : '';
}

/** The product slug of a `product` key: lower-case, ASCII, hyphens. */
export function productSlug(key: string): string {
  return key
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** "12.50" → 1250. Money never passes through a float. At most two decimals. */
export function parseAmountMinor(text: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export type RowValidation = { ok: true; row: CatalogRow } | { ok: false; rejects: RowReject[] };

/** Validates one row completely (every problem of the row is reported, not only the first). */
export function validateCatalogRow(
  input: CatalogRowInput,
  line: number,
  dict: CatalogDictionary,
): RowValidation {
  const skuText = input.sku ? normalizeSku(input.sku.value) : '';
  const rejects: RowReject[] = [];
  const reject = (field: string, reason: string) =>
    rejects.push({ line, sku: skuText, column: field, reason });
  for (const p of input.problems) reject(p.field, p.reason);

  if (!input.sku || skuText === '') reject(input.sku?.field ?? 'sku', 'SKU is required');
  else if (!SKU_PATTERN.test(skuText))
    reject(
      input.sku.field,
      `"${skuText}" is not a valid SKU (letters, digits and . _ / -, starting with a letter or digit, at most 64)`,
    );

  const text = (cell: Cell | undefined, max = MAX_TEXT): string | null => {
    if (!cell) return null;
    if (typeof cell.value !== 'string' && typeof cell.value !== 'number') {
      reject(cell.field, 'must be text');
      return null;
    }
    const s = String(cell.value).trim();
    if (s.length > max) {
      reject(cell.field, `longer than ${max} characters`);
      return null;
    }
    return s === '' ? null : s;
  };
  const localized = (cells: Cell[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const c of cells) {
      const s = text(c);
      if (s !== null) out[localeOf(c.field)] = s;
    }
    return out;
  };
  const whole = (cell: Cell | undefined, min: number): number | null => {
    if (!cell) return null;
    const s =
      typeof cell.value === 'number'
        ? String(cell.value)
        : typeof cell.value === 'string'
          ? cell.value.trim()
          : '';
    if (!/^-?\d+$/.test(s)) {
      reject(cell.field, `"${String(cell.value)}" is not a whole number`);
      return null;
    }
    const n = Number(s);
    if (n < min) {
      reject(
        cell.field,
        min === 0 ? `must not be negative (got ${n})` : `must be at least ${min} (got ${n})`,
      );
      return null;
    }
    if (n > 2_147_483_647) {
      reject(cell.field, `too large (got ${n})`);
      return null;
    }
    return n;
  };

  // Product.
  let slug = '';
  const productKey = text(input.product, 200);
  if (productKey !== null) {
    slug = productSlug(productKey);
    if (slug === '')
      reject(
        input.product!.field,
        `"${productKey}" has no letters or digits to make a product key from`,
      );
  } else if (SKU_PATTERN.test(skuText)) {
    slug = productSlug(skuText);
  }
  let categoryId = 0;
  const category = text(input.category, 200);
  if (category === null) reject(input.category?.field ?? 'category', 'category is required');
  else {
    const id = dict.categories.get(category);
    if (id === undefined) reject(input.category!.field, `unknown category "${category}"`);
    else categoryId = id;
  }
  const manufacturer = text(input.manufacturer, 200);
  const productNames = localized(input.productNames);
  const descriptions = localized(input.descriptions);
  const media: MediaLink[] = [];
  for (const m of input.media) {
    if (!(MEDIA_KINDS as readonly string[]).includes(m.kind)) {
      reject(m.field, `unknown media kind "${m.kind}" (${MEDIA_KINDS.join(', ')})`);
      continue;
    }
    const url = typeof m.value === 'string' ? m.value.trim() : '';
    if (!isHttpUrl(url)) {
      reject(m.field, `"${String(m.value ?? '')}" is not an http(s) URL`);
      continue;
    }
    const link: MediaLink = { kind: m.kind as MediaKind, url };
    if (m.title !== undefined && m.title !== null && m.title !== '') {
      if (typeof m.title !== 'string' || m.title.length > 200) {
        reject(`${m.field}.title`, 'must be text of at most 200 characters');
        continue;
      }
      link.title = m.title.trim();
    }
    media.push(link);
  }

  // Variant.
  const names = localized(input.names);
  if (Object.keys(names).length === 0)
    reject(input.names[0]?.field ?? 'name_<locale>', 'a name in at least one locale is required');
  let gtin = text(input.gtin, 14);
  if (gtin !== null && !isValidGtin(gtin)) {
    reject(
      input.gtin!.field,
      /^\d+$/.test(gtin) && [8, 12, 13, 14].includes(gtin.length)
        ? `"${gtin}" has a wrong check digit`
        : `"${gtin}" is not a GTIN (EAN-8, UPC-12, EAN-13 or GTIN-14 digits)`,
    );
    gtin = null;
  }
  const mpn = text(input.mpn, 100);
  const weightGrams = whole(input.weightGrams, 0);
  const lengthMm = whole(input.lengthMm, 0);
  const widthMm = whole(input.widthMm, 0);
  const heightMm = whole(input.heightMm, 0);
  const volumeMl = whole(input.volumeMl, 0);
  const stock = whole(input.stock, 0);
  const orderMultiple = whole(input.orderMultiple, 1);
  const minOrderQuantity = whole(input.minOrderQuantity, 1);

  let status: CatalogRow['status'] = 'ACTIVE';
  const statusText = text(input.status, 20);
  if (statusText !== null) {
    const s = statusText.toUpperCase();
    if (s === 'ACTIVE' || s === 'DISCONTINUED') status = s;
    else reject(input.status!.field, `"${statusText}" is not a status (active, discontinued)`);
  }
  let successorSku: string | null = null;
  if (input.successorSku) {
    successorSku = normalizeSku(input.successorSku.value);
    if (!SKU_PATTERN.test(successorSku))
      reject(input.successorSku.field, `"${successorSku}" is not a valid SKU`);
    else if (successorSku === skuText)
      reject(input.successorSku.field, 'an article cannot be its own successor');
  }
  let taxCategory: CatalogRow['taxCategory'] = 'standard';
  const taxText = text(input.taxCategory, 20);
  if (taxText !== null) {
    const t = taxText.toLowerCase();
    const known = TAX_CATEGORIES.find((c) => c === t);
    if (known) taxCategory = known;
    else
      reject(
        input.taxCategory!.field,
        `"${taxText}" is not a tax category (${TAX_CATEGORIES.join(', ')})`,
      );
  }
  let unit = 'PCE';
  const unitText = text(input.unit, 10);
  if (unitText !== null) {
    unit = unitText.toUpperCase();
    if (!UNIT_PATTERN.test(unit))
      reject(
        input.unit!.field,
        `"${unitText}" is not a UN/ECE unit code (PCE, BX, M, KGM …: 1–3 letters or digits)`,
      );
  }

  let listPrice: CatalogRow['listPrice'] = null;
  const currency = (text(input.currency, 3) ?? 'EUR').toUpperCase();
  if (input.currency && !CURRENCY_PATTERN.test(currency))
    reject(input.currency.field, `"${currency}" is not an ISO 4217 currency code`);
  if (input.listPrice) {
    const raw = input.listPrice.value;
    const amount =
      typeof raw === 'string' || typeof raw === 'number' ? parseAmountMinor(String(raw)) : null;
    if (amount === null)
      reject(
        input.listPrice.field,
        `"${String(raw)}" is not an amount (digits with "." and at most two decimals, not negative)`,
      );
    else listPrice = { currency, amountMinor: amount };
  }

  const attributes: Record<string, string | number> = {};
  for (const a of input.attributes) {
    const def = dict.attributes.get(a.code);
    if (!def) {
      reject(a.field, `unknown attribute "${a.code}"`);
      continue;
    }
    const value = attributeValue(def, a.value);
    if (typeof value === 'object') reject(a.field, value.error);
    else attributes[a.code] = value;
  }

  if (rejects.length > 0) return { ok: false, rejects };
  return {
    ok: true,
    row: {
      line,
      sku: skuText,
      productSlug: slug,
      grouped: productKey !== null,
      categoryId,
      manufacturer,
      productNames,
      descriptions,
      media,
      gtin,
      mpn,
      names,
      weightGrams,
      lengthMm,
      widthMm,
      heightMm,
      volumeMl,
      stockOnHand: stock ?? 0,
      status,
      successorSku,
      taxCategory,
      unit,
      orderMultiple: orderMultiple ?? 1,
      minOrderQuantity: minOrderQuantity ?? 1,
      attributes,
      listPrice,
    },
  };
}

function attributeValue(
  def: AttributeDefinition,
  raw: unknown,
): string | number | { error: string } {
  if (def.type === 'NUMBER') {
    const n =
      typeof raw === 'number'
        ? raw
        : typeof raw === 'string' && /^-?\d+(?:\.\d+)?$/.test(raw.trim())
          ? Number(raw.trim())
          : NaN;
    return Number.isFinite(n)
      ? n
      : { error: `"${String(raw)}" is not a number (use "." as the decimal separator)` };
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return { error: 'must be text' };
  const s = String(raw).trim();
  if (def.type === 'ENUM' && !(def.enumValues ?? []).includes(s))
    return { error: `"${s}" is not one of ${(def.enumValues ?? []).join(', ')}` };
  return s;
}

function isHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The product fields a row states explicitly. Rows of one product must not contradict each
 * other: a file is either consistent or its later rows are rejected (otherwise the last row
 * would win, and an import of the same file could flip-flop between batches).
 */
export function productFieldsOf(row: CatalogRow): string {
  return JSON.stringify([
    row.categoryId,
    row.manufacturer,
    sortKeys(row.productNames),
    sortKeys(row.descriptions),
    row.media,
  ]);
}

export function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}
