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
}

export interface VariantRecord {
  id: number;
  productId: number;
  sku: string;
  gtin: string | null;
  mpn: string | null;
  name: string;
  weightGrams: number | null;
  stockOnHand: number;
  /** Category slugs from the root to the product's category (discount rules match on these). */
  categoryPath: string[];
}

export interface ProductPage {
  products: Array<ProductRecord & { cursor: string }>;
  totalCount: number;
  hasNextPage: boolean;
}

export interface AssortmentRules {
  includeCategories: string[];
  includeSkus: string[];
  excludeSkus: string[];
}
