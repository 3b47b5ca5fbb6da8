import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { InvitationService, type Invitation } from '@vitrine/accounts';
import { returnedRows } from '@vitrine/database';
import { COMPANY_ID_SQL, countryOfVatId, parseDecimal } from '@vitrine/pricing';
import type { Role, TenantSettings, TenantStatus, TenantTheme } from '@vitrine/tenancy';
import { TenantFileError, type LoadedTenant, type TenantFileAddress } from './tenant-file';

/**
 * Writes one validated tenant declaration to the database (TenantSyncService checks the whole
 * set first and decides what to write; this class only writes, in the unit of work it is given).
 */
@Injectable()
export class TenantWriter {
  private readonly log = new Logger('TenantSync');

  constructor(
    private readonly invitations: InvitationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes one tenant (created, or updated when its slug exists and `createOnly` is not set):
   * the tenant row with its settings and declaration, its domains (none while ARCHIVED), its
   * price lists and its key-account company with addresses and invited users. Runs in the
   * caller's maintenance unit of work; the assortment is the caller's.
   */
  async write(
    em: EntityManager,
    t: LoadedTenant,
    priceLists: Map<string, { id: number; currency: string }>,
    options: { existed: boolean; createOnly: boolean },
  ): Promise<{ id: string; invitations: Invitation[] }> {
    const { spec } = t;
    const priceListIds = spec.priceLists.map((code) => (priceLists.get(code) as { id: number }).id);
    const settings: TenantSettings & { sourceHash: string; sourceFields: Record<string, string> } =
      {
        assortment: spec.assortment,
        priceLists: spec.priceLists,
        priceListIds,
        discount: spec.discount ?? null,
        paymentTerms: spec.paymentTerms ?? null,
        shipping: spec.shipping,
        features: spec.features,
        erp: spec.erp
          ? {
              webhookUrl: spec.erp.webhookUrl ?? null,
              secretEnv: spec.erp.secretEnv ?? null,
              dropFolder: spec.erp.dropFolder,
            }
          : null,
        themeDir: t.themeDir ? relative(this.config.tenantsDir, t.themeDir) : null,
        sourceHash: sourceHash(t),
        sourceFields: fieldHashes(t),
      };
    const theme: TenantTheme = {
      primaryColor: t.theme.primaryColor,
      secondaryColor: t.theme.secondaryColor,
      textColor: t.theme.textColor,
      backgroundColor: t.theme.backgroundColor,
      fontFamily: t.theme.fontFamily,
      logoUrl: t.theme.logo && t.themeDir ? `/theme/${t.theme.logo}` : null,
      faviconUrl: t.theme.favicon && t.themeDir ? `/theme/${t.theme.favicon}` : null,
      contact: t.theme.contact,
    };
    const status = spec.status.toUpperCase() as TenantStatus;
    const [row] = (await em.query(
      `INSERT INTO tenant (slug, name, status, locales, currency, public_browsing, show_list_prices, theme, settings, time_zone, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, status = EXCLUDED.status, locales = EXCLUDED.locales,
         currency = EXCLUDED.currency, time_zone = EXCLUDED.time_zone, public_browsing = EXCLUDED.public_browsing, show_list_prices = EXCLUDED.show_list_prices,
         theme = EXCLUDED.theme, settings = EXCLUDED.settings, source = EXCLUDED.source, version = tenant.version + 1, updated_at = now()
         WHERE NOT $12::boolean
       RETURNING id`,
      [
        spec.slug,
        spec.name,
        status,
        spec.locales,
        spec.currency,
        spec.publicBrowsing,
        spec.showListPrices,
        JSON.stringify(theme),
        JSON.stringify(settings),
        spec.timeZone ?? DEFAULT_TIME_ZONE,
        JSON.stringify(spec),
        options.createOnly,
      ],
    )) as Array<{ id: string }>;
    // No row: createOnly met a tenant created since the plan was made (a concurrent create).
    if (!row)
      throw new TenantFileError([
        {
          file: t.file,
          path: 'slug',
          message: `a tenant with slug "${spec.slug}" exists already`,
          code: 'CONFLICT',
        },
      ]);
    const id = row.id;
    await em.query(`DELETE FROM tenant_domain WHERE tenant_id = $1`, [id]);
    // An archived tenant frees its domains for others.
    if (status !== 'ARCHIVED') {
      await em.query(
        `INSERT INTO tenant_domain (domain, tenant_id, is_primary) SELECT d, $1, ord = 1 FROM unnest($2::text[]) WITH ORDINALITY AS x(d, ord)`,
        [id, spec.domains],
      );
    }
    await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [id]);
    await em.query(`DELETE FROM tenant_price_list WHERE tenant_id = $1`, [id]);
    if (priceListIds.length) {
      await em.query(
        `INSERT INTO tenant_price_list (tenant_id, price_list_id, priority) SELECT $1, l, ord FROM unnest($2::int[]) WITH ORDINALITY AS x(l, ord)`,
        [id, priceListIds],
      );
    }
    const invitations = spec.company ? await this.writeCompany(em, id, spec) : [];
    this.log.log(
      `${options.existed ? 'Updated' : 'Created'} tenant ${spec.slug} (${spec.domains.join(', ')})`,
    );
    return { id, invitations };
  }

  /**
   * The tenant's key-account company (tenant.yaml `company`), keyed by its code: created or
   * updated, never deleted (contract prices and, later, orders hang on it).
   */
  private async writeCompany(
    em: EntityManager,
    tenantId: string,
    spec: LoadedTenant['spec'],
  ): Promise<Invitation[]> {
    const company = spec.company as NonNullable<LoadedTenant['spec']['company']>;
    const [row] = (await em.query(
      `INSERT INTO company (id, tenant_id, code, name, vat_id, country, payment_terms, credit_limit_minor, po_number_required)
       VALUES (${COMPANY_ID_SQL}, $1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, code) DO UPDATE SET name = EXCLUDED.name, vat_id = EXCLUDED.vat_id,
         country = EXCLUDED.country, payment_terms = EXCLUDED.payment_terms,
         credit_limit_minor = EXCLUDED.credit_limit_minor,
         po_number_required = EXCLUDED.po_number_required, updated_at = now()
       RETURNING id`,
      [
        tenantId,
        company.code ?? spec.slug,
        company.name,
        company.vatId ?? null,
        companyCountry(company, this.config.seller.country),
        spec.paymentTerms
          ? JSON.stringify({ method: spec.paymentTerms.method, netDays: spec.paymentTerms.netDays })
          : null,
        spec.paymentTerms?.creditLimit
          ? parseDecimal(spec.paymentTerms.creditLimit, spec.currency)
          : null,
        company.poNumberRequired,
      ],
    )) as Array<{ id: string }>;
    await this.writeAddresses(em, tenantId, row.id, company.addresses);
    return this.invitations.provision(
      em,
      { id: tenantId, name: spec.name, domains: spec.domains, locales: spec.locales },
      row.id,
      company.users.map((u) => ({
        email: u.email,
        name: u.name,
        roles: u.roles as Role[],
        spendLimitMinor: u.spendLimit ? parseDecimal(u.spendLimit, spec.currency) : null,
      })),
      this.config.demo.password,
    );
  }

  /**
   * The company's declared addresses, keyed by label: new labels are added, known ones updated;
   * addresses a company admin added on the site are left alone. A declared default becomes the
   * only default of its kind.
   */
  private async writeAddresses(
    em: EntityManager,
    tenantId: string,
    companyId: string,
    addresses: TenantFileAddress[],
  ): Promise<void> {
    for (const a of addresses) {
      if (a.default)
        await em.query(
          `UPDATE company_address SET is_default = false
            WHERE tenant_id = $1 AND company_id = $2 AND kind = $3 AND label IS DISTINCT FROM $4`,
          [tenantId, companyId, a.kind, a.label],
        );
      const values = [
        tenantId,
        companyId,
        a.kind,
        a.label,
        a.name,
        a.street,
        a.postalCode,
        a.city,
        a.country,
        a.default,
      ];
      const updated = (await em.query(
        `UPDATE company_address SET kind = $3, name = $5, street = $6, postal_code = $7, city = $8,
                country = $9, is_default = $10
          WHERE tenant_id = $1 AND company_id = $2 AND label = $4 RETURNING id`,
        values,
      )) as unknown[];
      if (returnedRows(updated).length === 0)
        await em.query(
          `INSERT INTO company_address (tenant_id, company_id, kind, label, name, street, postal_code, city, country, is_default)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          values,
        );
    }
  }
}

const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

/** Declared, else the VAT id's (NL123456789B01 → NL; Greek ids start with EL), else the seller's. */
export function companyCountry(
  company: { country?: string; vatId?: string },
  sellerCountry: string,
): string {
  if (company.country) return company.country;
  return company.vatId ? countryOfVatId(company.vatId) : sellerCountry;
}

/**
 * Hash of a value's canonical JSON (keys sorted): the declaration comes back from jsonb and
 * from an exported file with its keys in another order, and must still count as unchanged.
 */
function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value ?? null, (_key, v: unknown) => sortedKeys(v)))
    .digest('base64url')
    .slice(0, 16);
}

export function sourceHash(t: LoadedTenant): string {
  return digest({ spec: t.spec, theme: t.theme, themeDir: t.themeDir });
}

export function fieldHashes(t: LoadedTenant): Record<string, string> {
  const fields: Record<string, string> = { theme: digest(t.theme) };
  for (const [key, value] of Object.entries(t.spec)) fields[key] = digest(value);
  return fields;
}

function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    ),
  );
}
