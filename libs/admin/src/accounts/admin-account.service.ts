import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { PasswordService } from '@vitrine/accounts';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { TenantDirectory, type AdminIdentity } from '@vitrine/tenancy';
import { AuditLog } from '../audit/audit-log.service';
import { ADMIN_ROLES, isAdminRole, type AdminRole } from './admin-policy';

export type AdminStatus = 'ACTIVE' | 'DEACTIVATED';

/** An admin account as the admin API and the CLI show it (never the password hash). */
export interface AdminAccount {
  id: string;
  email: string;
  name: string;
  roles: AdminRole[];
  status: AdminStatus;
  /** Slugs of the assigned tenants (account managers). */
  tenants: string[];
  createdAt: Date;
}

export interface CreateAdminInput {
  email: string;
  name: string;
  roles: readonly string[];
  /** Tenant slugs assigned to an ACCOUNT_MANAGER. */
  tenants?: readonly string[];
  /** Generated (and returned once) when absent. */
  password?: string | null;
}

/** A row for signing in: the hash stays inside the accounts code. */
export interface AdminCredentials {
  id: string;
  email: string;
  status: AdminStatus;
  passwordHash: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * The seller's admin accounts: create them, read the identity behind a token on every request
 * (status, roles and tenant assignments — so a deactivation or a changed assignment counts at
 * once), change status and assignments. Every change goes to the audit log in its own
 * transaction; `actor` names who made it (an admin id, or `cli:<user>` for the CLI).
 */
@Injectable()
export class AdminAccountService {
  constructor(
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly tenants: TenantDirectory,
    private readonly audit: AuditLog,
  ) {}

  /** Creates an admin; `password` is the generated one when none was given (shown once). */
  async create(
    actor: string,
    input: CreateAdminInput,
  ): Promise<{ admin: AdminAccount; password: string | null }> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email) || email.length > 254)
      throw VitrineError.badInput(`"${input.email}" is not an e-mail address.`, {
        argument: 'email',
        field: 'email',
        problems: [{ path: 'email', message: 'is not an e-mail address' }],
      });
    const name = checkAdminName(input.name);
    const roles = checkAdminRoles(input.roles);
    const tenantIds = await this.tenantIds(roles, input.tenants ?? []);
    const generated = input.password ? null : generateAdminPassword();
    const hash = await this.passwords.hash(input.password ?? generated!);
    const id = await this.db.global(async (em) => {
      const [row] = returnedRows<{ id: string }>(
        await em.query(
          `INSERT INTO admin_user (email, name, password_hash, roles) VALUES ($1, $2, $3, $4)
           ON CONFLICT (email) DO NOTHING RETURNING id`,
          [email, name, hash, roles],
        ),
      );
      if (!row)
        throw new VitrineError('CONFLICT', `There is already an admin with the e-mail ${email}.`, {
          argument: 'email',
          field: 'email',
        });
      await assignAdminTenants(em, row.id, tenantIds);
      const admin = await loadAdmin(em, row.id);
      await this.audit.record(em, {
        actor,
        action: 'admin.create',
        tenantId: null,
        target: email,
        before: null,
        after: admin,
        outcome: 'APPLIED',
      });
      return row.id;
    });
    return { admin: (await this.find(id))!, password: generated };
  }

  /** An admin by id or e-mail, or null. */
  async find(idOrEmail: string): Promise<AdminAccount | null> {
    return this.db.global((em) => loadAdmin(em, idOrEmail.trim()));
  }

  /**
   * The identity behind an admin account's token, read on every admin request: null when the
   * account is gone or DEACTIVATED (its tokens stop working at once).
   */
  async identity(id: string): Promise<AdminIdentity | null> {
    if (!UUID.test(id)) return null;
    const [row] = await this.db.query<{
      email: string;
      roles: string[];
      status: AdminStatus;
      tenant_ids: string[];
    }>(
      `SELECT u.email, u.roles, u.status,
              ARRAY(SELECT a.tenant_id::text FROM admin_tenant a WHERE a.admin_id = u.id) AS tenant_ids
         FROM admin_user u WHERE u.id = $1::uuid`,
      [id],
    );
    if (!row || row.status !== 'ACTIVE') return null;
    return Object.freeze({
      id,
      subject: row.email,
      roles: Object.freeze([...row.roles]),
      tenantIds: Object.freeze([...row.tenant_ids]),
    });
  }

  /** What signing in needs; null for an unknown e-mail. */
  async credentials(email: string): Promise<AdminCredentials | null> {
    const [row] = await this.db.query<{
      id: string;
      email: string;
      status: AdminStatus;
      password_hash: string;
    }>(`SELECT id, email, status, password_hash FROM admin_user WHERE email = $1`, [
      email.trim().toLowerCase(),
    ]);
    return row
      ? { id: row.id, email: row.email, status: row.status, passwordHash: row.password_hash }
      : null;
  }

  /** Activates or deactivates an admin (a deactivated admin's tokens stop working at once). */
  async setStatus(actor: string, idOrEmail: string, status: AdminStatus): Promise<AdminAccount> {
    if (status !== 'ACTIVE' && status !== 'DEACTIVATED')
      throw VitrineError.badInput('An admin is ACTIVE or DEACTIVATED.', { argument: 'status' });
    return this.change(actor, idOrEmail, 'admin.status', async (em, id) => {
      await em.query(`UPDATE admin_user SET status = $2, updated_at = now() WHERE id = $1`, [
        id,
        status,
      ]);
    });
  }

  /** Replaces an admin's tenant assignments (slugs); only an ACCOUNT_MANAGER has any. */
  async setTenants(
    actor: string,
    idOrEmail: string,
    slugs: readonly string[],
  ): Promise<AdminAccount> {
    const current = await this.find(idOrEmail);
    if (!current) throw VitrineError.notFound(`There is no admin "${idOrEmail}".`);
    const tenantIds = await this.tenantIds(current.roles, slugs);
    return this.change(actor, current.id, 'admin.tenants', async (em, id) => {
      await em.query(`DELETE FROM admin_tenant WHERE admin_id = $1`, [id]);
      await assignAdminTenants(em, id, tenantIds);
    });
  }

  private async change(
    actor: string,
    idOrEmail: string,
    action: string,
    apply: (em: EntityManager, id: string) => Promise<void>,
  ): Promise<AdminAccount> {
    return this.db.global(async (em) => {
      const before = await loadAdmin(em, idOrEmail.trim(), true);
      if (!before) throw VitrineError.notFound(`There is no admin "${idOrEmail}".`);
      await apply(em, before.id);
      const after = (await loadAdmin(em, before.id))!;
      await this.audit.record(em, {
        actor,
        action,
        tenantId: null,
        target: before.email,
        before,
        after,
        outcome: 'APPLIED',
      });
      return after;
    });
  }

  /** The ids of assigned tenants, by slug; BAD_USER_INPUT for unknown slugs or a non-manager. */
  private async tenantIds(
    roles: readonly AdminRole[],
    slugs: readonly string[],
  ): Promise<string[]> {
    checkTenantsForRoles(roles, slugs);
    return this.resolveTenants(slugs);
  }

  /**
   * The ids of tenants by slug (duplicates dropped), for assignments; BAD_USER_INPUT naming
   * each unknown slug by its path (`tenants[1]`). Reads the tenant directory: call it outside
   * a unit of work.
   */
  async resolveTenants(slugs: readonly string[]): Promise<string[]> {
    const given = slugs.map((s) => s.trim().toLowerCase());
    const found = await Promise.all(given.map((slug) => this.tenants.findBySlug(slug)));
    const problems = given.flatMap((slug, i) =>
      found[i] ? [] : [{ path: `tenants[${i}]`, message: `no tenant has the slug "${slug}"` }],
    );
    if (problems.length) {
      const unknown = [...new Set(given.filter((_, i) => !found[i]))];
      throw VitrineError.badInput(
        `Unknown tenant${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
        { argument: 'tenants', unknownTenants: unknown, field: problems[0].path, problems },
      );
    }
    return [...new Set(found.map((t) => t!.id))];
  }
}

/** A fresh initial password (24 characters, 144 random bits): shown once, never stored. */
export function generateAdminPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** An admin's name, trimmed; BAD_USER_INPUT unless 1 to 200 characters. */
export function checkAdminName(input: string): string {
  const name = String(input ?? '').trim();
  if (!name || name.length > 200)
    throw VitrineError.badInput('An admin needs a name of 1 to 200 characters.', {
      argument: 'name',
      field: 'name',
      problems: [{ path: 'name', message: 'must have 1 to 200 characters' }],
    });
  return name;
}

/** Tenants are assigned to account managers only: BAD_USER_INPUT for tenants of another role. */
export function checkTenantsForRoles(roles: readonly AdminRole[], slugs: readonly string[]): void {
  if (slugs.some((s) => s.trim()) && !roles.includes('ACCOUNT_MANAGER'))
    throw VitrineError.badInput(
      'Tenants are assigned to account managers only: add the role ACCOUNT_MANAGER or leave out the tenants.',
      {
        argument: 'tenants',
        field: 'tenants',
        problems: [{ path: 'tenants', message: 'only an ACCOUNT_MANAGER has tenants' }],
      },
    );
}

/** Admin roles, upper-cased and without repeats; BAD_USER_INPUT naming each unknown one by path. */
export function checkAdminRoles(input: readonly string[]): AdminRole[] {
  const given = input.map((r) => r.trim().toUpperCase());
  const problems = given.flatMap((r, i) =>
    isAdminRole(r)
      ? []
      : [{ path: `roles[${i}]`, message: `"${input[i]}" is not one of ${ADMIN_ROLES.join(', ')}` }],
  );
  const unknown = [...new Set(given.filter((r) => !isAdminRole(r)))];
  if (unknown.length)
    throw VitrineError.badInput(
      `Unknown admin role${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; the roles are ${ADMIN_ROLES.join(', ')}.`,
      { argument: 'roles', field: problems[0].path, problems },
    );
  if (!given.length)
    throw VitrineError.badInput(`An admin needs at least one role: ${ADMIN_ROLES.join(', ')}.`, {
      argument: 'roles',
      field: 'roles',
      problems: [{ path: 'roles', message: 'must list at least one role' }],
    });
  return [...new Set(given)] as AdminRole[];
}

/** Replaces nothing: adds tenant assignments (ids) to an admin, in the caller's unit of work. */
export async function assignAdminTenants(
  em: EntityManager,
  adminId: string,
  tenantIds: readonly string[],
): Promise<void> {
  if (!tenantIds.length) return;
  await em.query(
    `INSERT INTO admin_tenant (admin_id, tenant_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
    [adminId, [...tenantIds]],
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ADMIN_SELECT = `SELECT u.id, u.email, u.name, u.roles, u.status, u.created_at,
            ARRAY(SELECT t.slug FROM admin_tenant a JOIN tenant t ON t.id = a.tenant_id
                   WHERE a.admin_id = u.id ORDER BY t.slug) AS tenants
       FROM admin_user u`;

interface AdminRow {
  id: string;
  email: string;
  name: string;
  roles: AdminRole[];
  status: AdminStatus;
  created_at: Date;
  tenants: string[];
}

/** An admin by id or e-mail in the caller's unit of work (`lock`: FOR UPDATE), or null. */
export async function loadAdmin(
  em: EntityManager,
  idOrEmail: string,
  lock = false,
): Promise<AdminAccount | null> {
  const byId = UUID.test(idOrEmail);
  const [row] = (await em.query(
    `${ADMIN_SELECT} WHERE ${byId ? 'u.id = $1::uuid' : 'u.email = lower($1)'}
       ${lock ? 'FOR UPDATE OF u' : ''}`,
    [idOrEmail],
  )) as AdminRow[];
  return row ? toAccount(row) : null;
}

/** Up to `limit` admins by e-mail, after the e-mail `after` (null: from the start). */
export async function listAdmins(
  em: EntityManager,
  after: string | null,
  limit: number,
): Promise<AdminAccount[]> {
  const rows = (await em.query(
    `${ADMIN_SELECT} WHERE ($1::text IS NULL OR u.email > $1) ORDER BY u.email LIMIT $2`,
    [after, limit],
  )) as AdminRow[];
  return rows.map(toAccount);
}

function toAccount(row: AdminRow): AdminAccount {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    status: row.status,
    tenants: row.tenants,
    createdAt: row.created_at,
  };
}
