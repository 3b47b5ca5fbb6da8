import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy, auditActor } from '../accounts/admin-policy';
import { AuditLog } from '../audit';
import { loadTenantSpec, TenantFileError, type TenantFile } from '../tenant-file';
import { TenantSyncService } from '../tenant-sync.service';
import type { AdminTenantType, CreateTenantInput, UpdateTenantInput } from './tenant-admin.types';
import { TenantStatusEnum } from './tenant-status';
import {
  declarationOf,
  rawForCreate,
  rawForUpdate,
  toAdminTenant,
  toTenantYaml,
  type RawTenant,
  type TenantRecord,
} from './tenant-spec';

/**
 * Status changes an admin may make. Anything else is refused: a live site is suspended before
 * it is archived, and an archived tenant (its domains released) never comes back.
 */
const TRANSITIONS: Record<TenantStatusEnum, readonly TenantStatusEnum[]> = {
  DRAFT: [TenantStatusEnum.ACTIVE, TenantStatusEnum.ARCHIVED],
  ACTIVE: [TenantStatusEnum.SUSPENDED],
  SUSPENDED: [TenantStatusEnum.ACTIVE, TenantStatusEnum.ARCHIVED],
  ARCHIVED: [],
};

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_PAGE = 200;

const SELECT = `
  SELECT t.id, t.slug, t.name, t.status, t.locales, t.currency, t.time_zone, t.public_browsing,
         t.show_list_prices, t.settings, t.source, t.version, t.created_at, t.updated_at,
         coalesce(array_agg(d.domain ORDER BY d.is_primary DESC, d.domain)
                  FILTER (WHERE d.domain IS NOT NULL), '{}') AS domains
    FROM tenant t LEFT JOIN tenant_domain d ON d.tenant_id = t.id`;

/** One page of tenants, by slug. */
export interface TenantPage {
  items: Array<{ cursor: string; node: AdminTenantType }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Tenants through the admin API and the CLI. Every change becomes a tenant declaration (the
 * data of a tenant.yaml), is validated exactly like a tenant.yaml, and is written by
 * TenantSyncService — the writer `vitrine tenants sync` uses — in one transaction with its audit
 * log row; then every instance is told (the directory's version bump), so the change is served
 * at once everywhere. Refused changes apply nothing and are logged as refused.
 */
@Injectable()
export class TenantAdminService {
  constructor(
    private readonly db: TenantDb,
    private readonly sync: TenantSyncService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Tenants by slug; an account manager sees their own tenants only. */
  async list(
    admin: AdminIdentity,
    options: {
      first: number;
      after: string | null;
      status: TenantStatusEnum | null;
    },
  ): Promise<TenantPage> {
    const scope = AdminPolicy.requireUse(admin, 'TENANTS');
    const first = Math.min(Math.max(options.first, 1), MAX_PAGE);
    let after: string | null = null;
    if (options.after) {
      after = Buffer.from(options.after, 'base64url').toString('utf8');
      if (!SLUG.test(after)) throw VitrineError.badInput('`after` is not a cursor of this list.');
    }
    const rows = await this.db.query<TenantRecord>(
      `${SELECT} WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.slug > $2)
          AND ($4::uuid[] IS NULL OR t.id = ANY($4::uuid[]))
        GROUP BY t.id ORDER BY t.slug LIMIT $3`,
      [options.status, after, first + 1, scope.all ? null : scope.tenantIds],
    );
    const items = rows.slice(0, first).map((r) => ({
      cursor: Buffer.from(r.slug).toString('base64url'),
      node: toAdminTenant(r),
    }));
    return {
      items,
      hasNextPage: rows.length > first,
      endCursor: items.length ? items[items.length - 1].cursor : null,
    };
  }

  /** A tenant by slug, null if none; FORBIDDEN for an account manager's other tenants. */
  async get(admin: AdminIdentity, slug: string): Promise<AdminTenantType | null> {
    AdminPolicy.requireUse(admin, 'TENANTS');
    const row = await this.find(slug);
    if (!row) return null;
    AdminPolicy.require(admin, 'TENANTS', row.id, slug);
    return toAdminTenant(row);
  }

  /** The tenant's declaration as tenant.yaml text (`vitrine tenants export`). */
  async exportYaml(admin: AdminIdentity, slug: string): Promise<string> {
    const row = await this.require(slug);
    AdminPolicy.require(admin, 'TENANTS', row.id, slug);
    return toTenantYaml(declarationOf(row));
  }

  /** Provisions a new tenant; CONFLICT when its slug or a domain is taken. */
  async create(admin: AdminIdentity, input: CreateTenantInput): Promise<AdminTenantType> {
    const slug = String(input.slug ?? '');
    return this.change(admin, 'tenant.create', slug, null, async () => {
      requireCreator(admin);
      if (input.status && ![TenantStatusEnum.DRAFT, TenantStatusEnum.ACTIVE].includes(input.status))
        throw VitrineError.badInput(
          `A tenant is created DRAFT or ACTIVE, not ${input.status}; use setTenantStatus afterwards.`,
          { problems: [{ path: 'status', message: 'must be DRAFT or ACTIVE' }], field: 'status' },
        );
      return this.write(admin, 'tenant.create', null, rawForCreate(input), true);
    });
  }

  /** Creates a tenant from tenant.yaml data (`vitrine tenant create --file`). */
  async createFromData(admin: AdminIdentity, raw: RawTenant): Promise<AdminTenantType> {
    const slug = typeof raw.slug === 'string' ? raw.slug : '';
    return this.change(admin, 'tenant.create', slug, null, () => {
      requireCreator(admin);
      return this.write(admin, 'tenant.create', null, { status: 'draft', ...raw }, true);
    });
  }

  async update(
    admin: AdminIdentity,
    slug: string,
    input: UpdateTenantInput,
  ): Promise<AdminTenantType> {
    const before = await this.changeable(admin, 'tenant.update', slug);
    return this.change(admin, 'tenant.update', slug, before, () =>
      this.write(admin, 'tenant.update', before, rawForUpdate(declarationOf(before), input)),
    );
  }

  /** Adds a hostname (as an alias; the first domain stays primary). Adding it twice is a no-op. */
  async addDomain(admin: AdminIdentity, slug: string, domain: string): Promise<AdminTenantType> {
    const before = await this.changeable(admin, 'tenant.domain.add', slug);
    const spec = declarationOf(before);
    const host = domain.trim().toLowerCase();
    if (spec.domains.includes(host)) return toAdminTenant(before);
    return this.change(admin, 'tenant.domain.add', slug, before, () =>
      this.write(admin, 'tenant.domain.add', before, { ...spec, domains: [...spec.domains, host] }),
    );
  }

  /** Removes a hostname; the last one cannot be removed (archive the tenant instead). */
  async removeDomain(admin: AdminIdentity, slug: string, domain: string): Promise<AdminTenantType> {
    const before = await this.changeable(admin, 'tenant.domain.remove', slug);
    const spec = declarationOf(before);
    const host = domain.trim().toLowerCase();
    return this.change(admin, 'tenant.domain.remove', slug, before, () => {
      if (!spec.domains.includes(host))
        throw VitrineError.badInput(`"${host}" is not a domain of tenant "${slug}".`, {
          problems: [{ path: 'domain', message: 'is not a domain of this tenant' }],
          field: 'domain',
        });
      if (spec.domains.length === 1)
        throw VitrineError.badInput(
          `"${host}" is the only domain of tenant "${slug}"; a tenant keeps at least one (archive it to release all).`,
          {
            problems: [{ path: 'domains', message: 'must list at least one entry' }],
            field: 'domains',
          },
        );
      const domains = spec.domains.filter((d) => d !== host);
      return this.write(admin, 'tenant.domain.remove', before, { ...spec, domains });
    });
  }

  /** Moves a tenant along its life cycle (see TRANSITIONS); the same status again is a no-op. */
  async setStatus(
    admin: AdminIdentity,
    slug: string,
    status: TenantStatusEnum,
  ): Promise<AdminTenantType> {
    const before = await this.changeable(admin, 'tenant.status', slug, false);
    if (before.status === status) return toAdminTenant(before);
    return this.change(admin, 'tenant.status', slug, before, () => {
      if (!TRANSITIONS[before.status].includes(status)) {
        const allowed = TRANSITIONS[before.status];
        throw new VitrineError(
          'CONFLICT',
          `Tenant "${slug}" is ${before.status} and cannot become ${status}` +
            (allowed.length ? `; it can become ${allowed.join(' or ')}.` : '; archiving is final.'),
          { field: 'status', from: before.status, to: status },
        );
      }
      const spec: TenantFile = {
        ...declarationOf(before),
        status: status.toLowerCase() as TenantFile['status'],
      };
      return this.write(admin, 'tenant.status', before, spec as unknown as RawTenant);
    });
  }

  // -------------------------------------------------------------------------------------------

  /** Validates and writes one declaration through the sync's writer, with its audit row. */
  private async write(
    admin: AdminIdentity,
    action: string,
    before: TenantRecord | null,
    raw: RawTenant,
    createOnly = false,
  ): Promise<AdminTenantType> {
    const slug = typeof raw.slug === 'string' ? raw.slug : '';
    // The declaration lives at tenants/<slug>/tenant.yaml as far as its theme path is concerned
    // (an invalid slug must not steer where the theme is looked for).
    const folder = SLUG.test(slug) ? slug : '_invalid-slug';
    const loaded = loadTenantSpec(raw, join(this.config.tenantsDir, folder, 'tenant.yaml'));
    try {
      await this.sync.sync([loaded], {
        createOnly,
        inTransaction: async (em, written) => {
          for (const w of written)
            await this.audit.record(em, {
              actor: auditActor(admin),
              action,
              tenantId: w.id,
              target: w.slug,
              before: before ? declarationOf(before) : null,
              after: loaded.spec,
              outcome: 'APPLIED',
            });
        },
      });
    } catch (err) {
      throw uniqueViolation(err)
        ? new VitrineError(
            'CONFLICT',
            `A domain or the slug of "${slug}" was taken by another tenant at the same time; nothing was applied.`,
          )
        : err;
    }
    return toAdminTenant(await this.require(slug));
  }

  /** Runs a change; a refusal is mapped to the API's error and written to the audit log. */
  private async change<T>(
    admin: AdminIdentity,
    action: string,
    slug: string,
    before: TenantRecord | null,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const error =
        err instanceof TenantFileError
          ? fromFileError(err, AdminPolicy.scope(admin, 'TENANTS').all)
          : err;
      if (error instanceof VitrineError)
        await this.audit.refused({
          actor: auditActor(admin),
          action,
          tenantId: before?.id ?? null,
          target: slug || null,
          before: before ? declarationOf(before) : null,
          after: null,
          reason: error.message,
        });
      throw error;
    }
  }

  /**
   * The tenant, if the admin may change it (FORBIDDEN otherwise, logged as refused) and, with
   * `notArchived`, it is not archived (archiving is final: nothing of it changes any more).
   */
  private async changeable(
    admin: AdminIdentity,
    action: string,
    slug: string,
    notArchived = true,
  ): Promise<TenantRecord> {
    const row = await this.require(slug);
    return this.change(admin, action, slug, row, () => {
      AdminPolicy.require(admin, 'TENANTS', row.id, slug);
      if (notArchived && row.status === TenantStatusEnum.ARCHIVED)
        throw new VitrineError(
          'CONFLICT',
          `Tenant "${slug}" is archived and can no longer be changed.`,
          {
            field: 'status',
          },
        );
      return Promise.resolve(row);
    });
  }

  private async require(slug: string): Promise<TenantRecord> {
    const row = await this.find(slug);
    if (!row) throw VitrineError.notFound(`There is no tenant "${slug}".`);
    return row;
  }

  private async find(slug: string): Promise<TenantRecord | null> {
    const [row] = await this.db.query<TenantRecord>(`${SELECT} WHERE t.slug = $1 GROUP BY t.id`, [
      slug,
    ]);
    return row ?? null;
  }
}

/**
 * A tenant.yaml problem as the API's error: CONFLICT when the declaration is valid but clashes
 * with another tenant (slug, domain), BAD_USER_INPUT otherwise; every problem with its path.
 */
function fromFileError(err: TenantFileError, seesAllTenants: boolean): VitrineError {
  // Only an admin who may see every tenant learns which one owns a domain.
  const problems = err.problems.map((p) => ({
    path: p.path,
    message: seesAllTenants
      ? p.message
      : p.message.replace(/already belongs to tenant "[^"]*"/, 'already belongs to another tenant'),
  }));
  const conflict = err.problems.every((p) => p.code === 'CONFLICT');
  const text = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
  return new VitrineError(
    conflict ? 'CONFLICT' : 'BAD_USER_INPUT',
    `Invalid tenant, nothing was applied: ${text}`,
    { problems, field: problems[0]?.path ?? null },
  );
}

function uniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

/**
 * Opening a new site is for SUPER_ADMIN: an account manager works on the tenants assigned to
 * them, and a new tenant is assigned to nobody yet.
 */
function requireCreator(admin: AdminIdentity): void {
  if (!AdminPolicy.scope(admin, 'TENANTS').all)
    throw new VitrineError(
      'FORBIDDEN',
      'Creating a tenant needs the SUPER_ADMIN role; an account manager works on the tenants assigned to them.',
      { area: 'TENANTS' },
    );
}
