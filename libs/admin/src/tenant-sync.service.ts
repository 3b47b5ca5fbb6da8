import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { InvitationService } from '@vitrine/accounts';
import { AssortmentService } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { taxFor } from '@vitrine/pricing';
import { TenantDirectory, type TenantSettings } from '@vitrine/tenancy';
import { TenantFileError, type LoadedTenant, type TenantFileProblem } from './tenant-file';
import { companyCountry, fieldHashes, sourceHash, TenantWriter } from './tenant-writer';

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
    private readonly writer: TenantWriter,
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
          const result = await this.writer.write(em, t, priceLists, {
            existed: existing.has(t.spec.slug),
            createOnly: options.createOnly === true,
          });
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

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function changedFields(
  before: Record<string, string> | undefined,
  after: Record<string, string>,
): string[] {
  if (!before) return Object.keys(after);
  return Object.keys(after).filter((k) => before[k] !== after[k]);
}
