export type TenantStatus = 'DRAFT' | 'ACTIVE' | 'SUSPENDED' | 'ARCHIVED';

export interface TenantTheme {
  primaryColor: string;
  secondaryColor?: string;
  textColor?: string;
  backgroundColor?: string;
  fontFamily?: string;
  /** Public URL path of the logo, served from the theme's assets. */
  logoUrl?: string | null;
  faviconUrl?: string | null;
  contact?: { phone?: string; email?: string; address?: string };
}

/** Business settings of a tenant, written by provisioning, read per request from the snapshot. */
export interface TenantSettings {
  assortment?: { includeCategories: string[]; includeSkus: string[]; excludeSkus: string[] };
  /** Price list codes in priority order, as declared. */
  priceLists?: string[];
  /** The same lists as ids, resolved at provisioning time so requests need no lookup. */
  priceListIds?: number[];
  discount?: { percent: number; categories: string[] } | null;
  paymentTerms?: { method: string; netDays: number; creditLimit?: string } | null;
  shipping?: Array<{
    countries: string[];
    minWeightKg?: number;
    maxWeightKg?: number;
    maxVolumeM3?: number;
    minOrderValue?: string;
    price: string;
  }>;
  features?: Record<string, boolean>;
  /** Folder of the theme relative to the tenants folder (for assets and, later, partials). */
  themeDir?: string | null;
  /**
   * ERP export of placed orders: a signed webhook to `webhookUrl` (HMAC key in the environment
   * variable named by `secretEnv`, never stored here) and/or a JSON file per order in the drop
   * folder (`dropFolder`, default true). Absent: drop folder only.
   */
  erp?: { webhookUrl: string | null; secretEnv: string | null; dropFolder: boolean } | null;
}

/**
 * The immutable view of a tenant that request handling uses: loaded once per change and held
 * in memory on every instance. Frozen so no request can alter what the next one sees.
 */
export interface TenantSnapshot {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: TenantStatus;
  readonly locales: readonly string[];
  readonly currency: string;
  /** IANA time zone in which the tenant's dates begin at midnight (e.g. price validity). */
  readonly timeZone: string;
  readonly publicBrowsing: boolean;
  readonly showListPrices: boolean;
  readonly theme: Readonly<TenantTheme>;
  readonly settings: Readonly<TenantSettings>;
  readonly version: number;
  readonly domains: readonly string[];
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
