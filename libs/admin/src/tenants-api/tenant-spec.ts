import { stringify } from 'yaml';
import type { TenantFile } from '../tenant-file';
import type { AdminTenantType, CreateTenantInput, UpdateTenantInput } from './tenant-admin.types';
import type { TenantStatusEnum } from './tenant-status';

/** tenant.yaml as plain data, before validation (what the schema and checks receive). */
export type RawTenant = Record<string, unknown>;

/** The tenant table's columns an admin view needs besides the declaration. */
export interface TenantRecord {
  id: string;
  slug: string;
  name: string;
  status: TenantStatusEnum;
  locales: string[];
  currency: string;
  time_zone: string;
  public_browsing: boolean;
  show_list_prices: boolean;
  settings: {
    assortment?: TenantFile['assortment'];
    priceLists?: string[];
    discount?: TenantFile['discount'] | null;
    paymentTerms?: TenantFile['paymentTerms'] | null;
    shipping?: TenantFile['shipping'];
    features?: Record<string, boolean>;
    themeDir?: string | null;
  };
  source: TenantFile | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  domains: string[];
}

/** Drops `undefined` and `null` values, deeply: tenant.yaml has no nulls, absent means default. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = clean(v);
  return out;
}

/** An input's fields as tenant.yaml fields: features as a mapping, nothing null. */
function fieldsOf(input: UpdateTenantInput): RawTenant {
  const raw: RawTenant = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'features' && Array.isArray(value)) {
      raw.features = Object.fromEntries(
        (value as Array<{ name: string; enabled: boolean }>).map((f) => [f.name, f.enabled]),
      );
    } else if (key === 'domains' && Array.isArray(value)) {
      // Hostnames are case-insensitive; the schema wants them lowercase.
      raw.domains = (value as string[]).map((d) => d.trim().toLowerCase());
    } else raw[key] = value;
  }
  return raw;
}

/** A new tenant as tenant.yaml data; status DRAFT unless the input says otherwise. */
export function rawForCreate(input: CreateTenantInput): RawTenant {
  const { status, ...fields } = input;
  return clean({
    ...fieldsOf(fields),
    slug: input.slug,
    status: (status ?? 'DRAFT').toLowerCase(),
  }) as RawTenant;
}

/**
 * The declaration after an update: fields given replace the declared ones, `null` removes an
 * optional field (the default applies again), the rest stays as declared.
 */
export function rawForUpdate(before: TenantFile, input: UpdateTenantInput): RawTenant {
  const raw: RawTenant = { ...before };
  for (const [key, value] of Object.entries(fieldsOf(input))) {
    if (value === null) delete raw[key];
    else raw[key] = value;
  }
  return clean(raw) as RawTenant;
}

/**
 * The declaration of a tenant; for one written before declarations were kept (no `source`), as
 * much as the tenant row holds (its company is then not declared). The status is always the
 * row's: it is the truth the directory serves.
 */
export function declarationOf(row: TenantRecord): TenantFile {
  const status = row.status.toLowerCase() as TenantFile['status'];
  if (row.source) return { ...row.source, status };
  const s = row.settings;
  return clean({
    slug: row.slug,
    name: row.name,
    status,
    domains: row.domains,
    locales: row.locales,
    currency: row.currency.trim(),
    timeZone: row.time_zone,
    publicBrowsing: row.public_browsing,
    showListPrices: row.show_list_prices,
    theme: './theme',
    assortment: s.assortment ?? {},
    priceLists: s.priceLists ?? [],
    discount: s.discount,
    paymentTerms: s.paymentTerms,
    shipping: s.shipping ?? [],
    features: s.features ?? {},
  }) as TenantFile;
}

/** The admin API's view: the declaration, with the live status and domains. */
export function toAdminTenant(row: TenantRecord): AdminTenantType {
  const spec = declarationOf(row);
  const a = spec.assortment;
  return {
    id: row.id,
    slug: row.slug,
    name: spec.name,
    status: row.status,
    domains: row.domains,
    locales: spec.locales,
    currency: spec.currency,
    timeZone: spec.timeZone ?? row.time_zone,
    publicBrowsing: spec.publicBrowsing,
    showListPrices: spec.showListPrices,
    theme: spec.theme,
    assortment: {
      includeCategories: a.includeCategories ?? [],
      includeSkus: a.includeSkus ?? [],
      excludeSkus: a.excludeSkus ?? [],
      attributeFilters: (a.attributeFilters ?? []).map((f) => ({
        attribute: f.attribute,
        in: f.in ? f.in.map(String) : null,
        min: f.min ?? null,
        max: f.max ?? null,
      })),
      discontinued: a.discontinued ?? 'untilSoldOut',
    },
    priceLists: spec.priceLists,
    discount: spec.discount
      ? { percent: spec.discount.percent, categories: spec.discount.categories ?? [] }
      : null,
    paymentTerms: spec.paymentTerms
      ? {
          method: spec.paymentTerms.method,
          netDays: spec.paymentTerms.netDays ?? 0,
          creditLimit: spec.paymentTerms.creditLimit ?? null,
        }
      : null,
    shipping: spec.shipping.map((r) => ({
      countries: r.countries,
      minWeightKg: r.minWeightKg ?? null,
      maxWeightKg: r.maxWeightKg ?? null,
      maxVolumeM3: r.maxVolumeM3 ?? null,
      minOrderValue: r.minOrderValue ?? null,
      price: r.price,
    })),
    company: spec.company
      ? {
          name: spec.company.name,
          code: spec.company.code ?? null,
          country: spec.company.country ?? null,
          vatId: spec.company.vatId ?? null,
          poNumberRequired: spec.company.poNumberRequired,
          addresses: spec.company.addresses,
          users: spec.company.users.map((u) => ({
            email: u.email,
            name: u.name,
            roles: u.roles,
            spendLimit: u.spendLimit ?? null,
          })),
        }
      : null,
    features: Object.entries(spec.features).map(([name, enabled]) => ({ name, enabled })),
    erp: spec.erp
      ? {
          webhookUrl: spec.erp.webhookUrl ?? null,
          secretEnv: spec.erp.secretEnv ?? null,
          dropFolder: spec.erp.dropFolder,
        }
      : null,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** tenant.yaml's top-level fields in the order of the schema (and of the demo tenants). */
const FIELD_ORDER = [
  'slug',
  'name',
  'status',
  'domains',
  'locales',
  'currency',
  'timeZone',
  'publicBrowsing',
  'showListPrices',
  'theme',
  'assortment',
  'priceLists',
  'discount',
  'paymentTerms',
  'shipping',
  'company',
  'features',
  'erp',
];

/** The declaration as a tenant.yaml file (what `vitrine tenants export` writes). */
export function toTenantYaml(spec: TenantFile): string {
  const record = spec as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (record[key] !== undefined) ordered[key] = record[key];
  for (const [key, value] of Object.entries(record)) if (!(key in ordered)) ordered[key] = value;
  return (
    '# yaml-language-server: $schema=../_schema/tenant.schema.json\n' +
    `# Exported by \`vitrine tenants export ${spec.slug}\`; \`vitrine tenants sync\` applies it back.\n` +
    stringify(ordered, { lineWidth: 0 })
  );
}
