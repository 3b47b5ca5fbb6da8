import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { InvitationService, type Invitation } from '@vitrine/accounts';
import { AssortmentService } from '@vitrine/catalog';
import { returnedRows, TenantDb } from '@vitrine/database';
import { COMPANY_ID_SQL, countryOfVatId, parseDecimal, taxFor } from '@vitrine/pricing';
import {
  TenantDirectory,
  type Role,
  type TenantSettings,
  type TenantStatus,
  type TenantTheme,
} from '@vitrine/tenancy';
import {
  TenantFileError,
  type LoadedTenant,
  type TenantFileAddress,
  type TenantFileProblem,
} from './tenant-file';

export type PlanAction = 'create' | 'update' | 'unchanged';

export interface TenantPlan {
  slug: string;
  action: PlanAction;
  /** Top-level fields that differ from what the database holds (empty for create/unchanged). */
  changes: string[];
  warnings: string[];
  assortment?: { variants: number; products: number };
  /**
   * Users invited by this sync (new users of tenant.yaml's company), with their one-time link.
   * The links are also mailed; the CLI prints them outside production so the demo can be tried.
   */
  invitations?: Array<{ email: string; link: string }>;
}

export interface SyncOptions {
  dryRun?: boolean;
  /** Rebuild assortments even of unchanged tenants (after a catalog change). */
  rematerialize?: boolean;
  /** Refuse (CONFLICT, nothing applied) a tenant whose slug exists already: creation only. */
  createOnly?: boolean;
  /**
   * Runs inside the sync's transaction after every tenant is written (the audit log's row of
   * the change): it commits or rolls back with the change.
   */
  inTransaction?: (
    em: EntityManager,
    written: Array<{ slug: string; id: string }>,
  ) => Promise<void>;
  /** Called after each tenant is checked, then after each is written (the CLI's progress bar). */
  onProgress?: (phase: 'check' | 'write', done: number, total: number) => void;
}

interface ExistingTenant {
  id: string;
  slug: string;
  settings: TenantSettings & { sourceHash?: string; sourceFields?: Record<string, string> };
  version: number;
  /** The declared tenant (tenant.source); null for tenants written before it was kept. */
  source: unknown;
}

/**
 * Applies declarative tenants (tenants/<slug>/tenant.yaml, or generated specs) to the database:
 * creates what is new, updates what changed, never deletes. Everything is checked first and
 * written in one transaction, so an invalid set changes nothing; afterwards every instance is
 * told to forget what it cached about the changed tenants.
 */
@Injectable()
export class TenantSyncService {
  private readonly log = new Logger('TenantSync');

  constructor(
    private readonly db: TenantDb,
    private readonly assortment: AssortmentService,
    private readonly directory: TenantDirectory,
    private readonly invitations: InvitationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sync(tenants: LoadedTenant[], options: SyncOptions = {}): Promise<TenantPlan[]> {
    const existing = await this.existing(tenants.map((t) => t.spec.slug));
    const priceLists = await this.priceLists();
    const problems: TenantFileProblem[] = [];
    const plans: TenantPlan[] = [];

    for (const t of tenants) {
      const { spec } = t;
      const problem = (path: string, message: string) =>
        problems.push({ file: t.file, path, message });
      spec.priceLists.forEach((code, i) => {
        const list = priceLists.get(code);
        if (!list) problem(`priceLists[${i}]`, `unknown price list "${code}"`);
        else if (list.currency !== spec.currency)
          problem(
            `priceLists[${i}]`,
            `price list "${code}" is in ${list.currency}, the tenant sells in ${spec.currency}`,
          );
      });
      if (spec.timeZone && !isTimeZone(spec.timeZone))
        problem(
          'timeZone',
          `unknown time zone "${spec.timeZone}" (an IANA name such as Europe/Amsterdam)`,
        );
      if (spec.company) {
        // Every price shown to the company carries its VAT: a country whose VAT cannot be
        // decided must stop the sync here, not break every price on the site later.
        try {
          taxFor({
            sellerCountry: this.config.seller.country,
            shipToCountry: companyCountry(spec.company, this.config.seller.country),
            category: 'standard',
            buyerVatId: spec.company.vatId ?? null,
            at: new Date(),
          });
        } catch (err) {
          problem(
            spec.company.country ? 'company.country' : 'company.vatId',
            (err as Error).message,
          );
        }
      }
      const check = await this.assortment.check(spec.assortment);
      for (const e of check.errors) problem(`assortment.${e.path}`, e.message);
      const owners = await this.db.query<{ domain: string; slug: string }>(
        `SELECT d.domain, t.slug FROM tenant_domain d JOIN tenant t ON t.id = d.tenant_id WHERE d.domain = ANY($1::text[]) AND t.slug <> $2`,
        [spec.domains, spec.slug],
      );
      for (const o of owners) {
        if (
          !tenants.some(
            (other) => other.spec.slug === o.slug && !other.spec.domains.includes(o.domain),
          )
        ) {
          problems.push({
            file: t.file,
            path: `domains[${spec.domains.indexOf(o.domain)}]`,
            message: `domain "${o.domain}" already belongs to tenant "${o.slug}"`,
            code: 'CONFLICT',
          });
        }
      }
      const before = existing.get(spec.slug);
      if (before && options.createOnly)
        problems.push({
          file: t.file,
          path: 'slug',
          message: `a tenant with slug "${spec.slug}" exists already`,
          code: 'CONFLICT',
        });
      const hash = sourceHash(t);
      // A tenant written before its declaration was kept is rewritten once, to keep it.
      const action: PlanAction = !before
        ? 'create'
        : before.settings.sourceHash === hash && before.source
          ? 'unchanged'
          : 'update';
      plans.push({
        slug: spec.slug,
        action,
        changes:
          action === 'update' ? changedFields(before?.settings.sourceFields, fieldHashes(t)) : [],
        warnings: check.warnings.map((w) => `assortment.${w.path}: ${w.message}`),
      });
      options.onProgress?.('check', plans.length, tenants.length);
    }
    if (problems.length) throw new TenantFileError(problems);
    if (options.dryRun) return plans;

    const changedIds: string[] = [];
    const written: Array<{ slug: string; id: string }> = [];
    await this.db.maintenance(async (em) => {
      // Release the domains of every tenant about to be rewritten first, so that two tenants
      // can swap or move domains within one sync regardless of their order.
      const rewritten = plans
        .filter((p) => p.action === 'update')
        .map((p) => (existing.get(p.slug) as ExistingTenant).id);
      if (rewritten.length)
        await em.query(`DELETE FROM tenant_domain WHERE tenant_id = ANY($1::uuid[])`, [rewritten]);
      for (const [i, t] of tenants.entries()) {
        const plan = plans[i];
        options.onProgress?.('write', i, tenants.length);
        if (plan.action === 'unchanged' && !options.rematerialize) continue;
        let id: string;
        if (plan.action === 'unchanged') id = (existing.get(t.spec.slug) as ExistingTenant).id;
        else {
          const result = await this.write(em, t, existing.get(t.spec.slug), priceLists, options);
          id = result.id;
          written.push({ slug: t.spec.slug, id });
          const site = { id, name: t.spec.name, domains: t.spec.domains };
          plan.invitations = result.invitations.map((inv) => ({
            email: inv.email,
            link: this.invitations.link(site, inv, 'INVITATION'),
          }));
        }
        plan.assortment = await this.assortment.materialize(id, t.spec.assortment, em);
        changedIds.push(id);
      }
      options.onProgress?.('write', tenants.length, tenants.length);
      await options.inTransaction?.(em, written);
    });
    if (changedIds.length) {
      await this.db.refreshStatistics([
        'tenant',
        'tenant_domain',
        'tenant_product',
        'tenant_variant',
      ]);
      await this.directory.invalidate(changedIds);
    }
    for (const p of plans) for (const w of p.warnings) this.log.warn(`${p.slug}: ${w}`);
    return plans;
  }

  private async write(
    em: EntityManager,
    t: LoadedTenant,
    before: ExistingTenant | undefined,
    priceLists: Map<string, { id: number; currency: string }>,
    options: SyncOptions,
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
        options.createOnly === true,
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
      `${before ? 'Updated' : 'Created'} tenant ${spec.slug} (${spec.domains.join(', ')})`,
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

  private async existing(slugs: string[]): Promise<Map<string, ExistingTenant>> {
    const rows = await this.db.query<ExistingTenant>(
      `SELECT id, slug, settings, version, source FROM tenant WHERE slug = ANY($1::text[])`,
      [slugs],
    );
    return new Map(rows.map((r) => [r.slug, r]));
  }

  private async priceLists(): Promise<Map<string, { id: number; currency: string }>> {
    const rows = await this.db.query<{ id: number; code: string; currency: string }>(
      `SELECT id, code, currency FROM price_list`,
    );
    return new Map(rows.map((r) => [r.code, { id: r.id, currency: r.currency.trim() }]));
  }
}

const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Declared, else the VAT id's (NL123456789B01 → NL; Greek ids start with EL), else the seller's. */
function companyCountry(
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

function sourceHash(t: LoadedTenant): string {
  return digest({ spec: t.spec, theme: t.theme, themeDir: t.themeDir });
}

function fieldHashes(t: LoadedTenant): Record<string, string> {
  const fields: Record<string, string> = { theme: digest(t.theme) };
  for (const [key, value] of Object.entries(t.spec)) fields[key] = digest(value);
  return fields;
}

function changedFields(
  before: Record<string, string> | undefined,
  after: Record<string, string>,
): string[] {
  if (!before) return Object.keys(after);
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}

function sortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
