import type { ResolvedFilter } from './search/attribute-filter';

/** Catalog records as services return them: already localized for the request's locale. */
export interface CategoryRecord {
  id: number;
  slug: string;
  name: string;
  parentId: number | null;
  /** Slugs from the root down to this category. */
  path: string[];
}

export interface ProductRecord {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  categoryId: number | null;
  manufacturer: string | null;
  /** Images and documents, in display order. */
  media: MediaRecord[];
}

export interface MediaRecord {
  kind: string;
  url: string;
  title: string | null;
}

export type AttributeKind = 'TEXT' | 'NUMBER' | 'ENUM';

/** One typed attribute value of a variant, with its definition localized. */
export interface AttributeValueRecord {
  code: string;
  name: string;
  type: AttributeKind;
  unit: string | null;
  /** The value as the buyer reads it (numbers as decimals, lists joined with ", "). */
  value: string;
  /** NUMBER attributes: the value as a number. */
  numberValue: number | null;
}

export interface VariantRecord {
  id: number;
  productId: number;
  sku: string;
  gtin: string | null;
  mpn: string | null;
  name: string;
  weightGrams: number | null;
  lengthMm: number | null;
  widthMm: number | null;
  heightMm: number | null;
  volumeMl: number | null;
  stockOnHand: number;
  /** Unit of measure (UN/ECE rec. 20 style code, e.g. PCE, BX, MTR). */
  unit: string;
  orderMultiple: number;
  minOrderQuantity: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  successorSku: string | null;
  attributes: AttributeValueRecord[];
  /** This tenant's own article number for the variant (customer_sku), if it has one. */
  customerSku: string | null;
  /** Category slugs from the root to the product's category (discount rules match on these). */
  categoryPath: string[];
  /** Which VAT rate applies (the rate itself depends on the ship-to country). */
  taxCategory: TaxCategory;
}

export type TaxCategory = 'standard' | 'reduced' | 'zero';

/** How an article number given to `lookupSkus` matched. */
export type SkuMatchKind = 'SKU' | 'CUSTOMER_SKU';

export interface SkuLookupRecord {
  variant: VariantRecord;
  matchedBy: SkuMatchKind;
}

/** A storefront filter on a typed attribute: `values` for TEXT/ENUM (or exact numbers), min/max for NUMBER. */
export interface AttributeFilter {
  code: string;
  values?: string[] | null;
  min?: number | null;
  max?: number | null;
}

export interface FacetValueRecord {
  value: string;
  /** Products of the current result set (ignoring this attribute's own filter) with this value. */
  count: number;
}

export interface FacetRecord {
  code: string;
  name: string;
  type: AttributeKind;
  unit: string | null;
  values: FacetValueRecord[];
  /** NUMBER facets: the smallest and largest value in the result set. */
  min: number | null;
  max: number | null;
}

/** A product query with its input checked and resolved against the catalog. */
export interface ResolvedProductQuery {
  /** Normalized search text, or null when browsing. */
  search: string | null;
  /** The category subtree's ids; null without a category filter. */
  categoryIds: number[] | null;
  filters: ResolvedFilter[];
}

export interface ProductPage {
  products: Array<ProductRecord & { cursor: string }>;
  totalCount: number;
  hasNextPage: boolean;
  /** What the page was selected by: pass it to `facets` for the same result set. */
  resolved: ResolvedProductQuery;
  /** The page's variants by product id, when asked for (`ProductQueryArgs.variants`). */
  variants?: Map<number, VariantRecord[]>;
}

/** Which variant columns a caller needs: `attributes` costs most of a variant statement. */
export interface VariantColumns {
  attributes: boolean;
}

export interface AssortmentRules {
  includeCategories: string[];
  includeSkus: string[];
  excludeSkus: string[];
}
