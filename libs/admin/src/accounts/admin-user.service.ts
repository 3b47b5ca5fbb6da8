import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { checkPassword, PasswordService } from '@vitrine/accounts';
import { CACHE_STORE, type CacheStore } from '@vitrine/cache';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AuditLog } from '../audit/audit-log.service';
import {
  AdminAccountService,
  assignAdminTenants,
  checkAdminName,
  checkAdminRoles,
  checkTenantsForRoles,
  listAdmins,
  loadAdmin,
  type AdminAccount,
} from './admin-account.service';
import { AdminPolicy, auditActor, type AdminRole } from './admin-policy';

/** Largest page of `adminUsers`. */
const MAX_PAGE = 200;
/** Wrong current passwords an admin may try in `changeAdminPassword` per 15 minutes. */
const PASSWORD_TRIES = { windowSeconds: 15 * 60, max: 10 };

export interface AdminUserPage {
  items: Array<{ cursor: string; node: AdminAccount }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface AdminUserChanges {
  name?: string | null;
  roles?: readonly string[] | null;
  /** Replaces the assignments (ACCOUNT_MANAGER only); absent keeps them. */
  tenants?: readonly string[] | null;
}

/**
 * Admin accounts through the admin API (policy area ADMINS: SUPER_ADMIN only): list, read,
 * create (with a generated initial password, shown once — AdminAccountService.create, as the
 * CLI), change name, roles and tenants, deactivate and reactivate; and an admin's own password.
 * Every change is in the audit log with before/after (never a password or hash) in its
 * transaction; every refusal as REFUSED. Two invariants hold under concurrency (the active
 * super admins are locked while one of them loses the role or is deactivated): nobody
 * deactivates themself, and there is always at least one active SUPER_ADMIN account.
 * Tokens are checked against the account on every request (AdminTokenService), so a change
 * here counts on the very next request.
 */
@Injectable()
export class AdminUserService {
  constructor(
    private readonly db: TenantDb,
    private readonly accounts: AdminAccountService,
    private readonly passwords: PasswordService,
    private readonly audit: AuditLog,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  /** Admin accounts by e-mail. */
  async list(
    admin: AdminIdentity,
    options: { first: number; after: string | null },
  ): Promise<AdminUserPage> {
    return this.guarded(admin, 'admin.list', null, async () => {
      if (!Number.isInteger(options.first) || options.first < 1 || options.first > MAX_PAGE)
        throw VitrineError.badInput(`\`first\` is 1 to ${MAX_PAGE}.`, { field: 'first' });
      let after: string | null = null;
      if (options.after) {
        after = Buffer.from(options.after, 'base64url').toString('utf8');
        if (!after.includes('@'))
          throw VitrineError.badInput('`after` is not a cursor of this list.', { field: 'after' });
      }
      const rows = await this.db.global((em) => listAdmins(em, after, options.first + 1));
      const nodes = rows.slice(0, options.first);
      const items = nodes.map((node) => ({
        cursor: Buffer.from(node.email).toString('base64url'),
        node,
      }));
      return {
        items,
        hasNextPage: rows.length > options.first,
        endCursor: items.length ? items[items.length - 1].cursor : null,
      };
    });
  }

  /** An admin by e-mail (or id), null if none. */
  async get(admin: AdminIdentity, email: string): Promise<AdminAccount | null> {
    return this.guarded(admin, 'admin.read', email, () => this.accounts.find(email));
  }

  /** A new admin and its generated initial password (returned here once, stored as a hash). */
  async create(
    admin: AdminIdentity,
    input: {
      email: string;
      name: string;
      roles: readonly string[];
      tenants?: readonly string[] | null;
    },
  ): Promise<{ admin: AdminAccount; password: string }> {
    const target =
      String(input.email ?? '')
        .trim()
        .toLowerCase() || null;
    return this.guarded(admin, 'admin.create', target, async () => {
      const created = await this.accounts.create(auditActor(admin), {
        email: input.email,
        name: input.name,
        roles: input.roles,
        tenants: input.tenants ?? [],
        password: null,
      });
      return { admin: created.admin, password: created.password! };
    });
  }

  /**
   * Changes name, roles and/or tenants. A field left out keeps its value; `tenants` replaces
   * the assignments. Assignments lapse when the ACCOUNT_MANAGER role goes (they mean nothing
   * without it). The last active SUPER_ADMIN keeps that role (CONFLICT).
   */
  async update(
    admin: AdminIdentity,
    email: string,
    changes: AdminUserChanges,
  ): Promise<AdminAccount> {
    const address = email.trim().toLowerCase();
    return this.guarded(admin, 'admin.update', address, async () => {
      const name = changes.name == null ? null : checkAdminName(changes.name);
      const roles = changes.roles == null ? null : checkAdminRoles(changes.roles);
      // The directory is read outside the unit of work; the role rule is checked inside it.
      const tenantIds =
        changes.tenants == null ? null : await this.accounts.resolveTenants(changes.tenants);
      return this.db.global(async (em) => {
        const before = await this.locked(em, address);
        const nextRoles = roles ?? before.roles;
        if (changes.tenants != null) checkTenantsForRoles(nextRoles, changes.tenants);
        if (
          before.status === 'ACTIVE' &&
          before.roles.includes('SUPER_ADMIN') &&
          !nextRoles.includes('SUPER_ADMIN')
        )
          await this.keepASuperAdmin(em, before, 'take the SUPER_ADMIN role from');
        await em.query(
          `UPDATE admin_user SET name = $2, roles = $3::text[], updated_at = now() WHERE id = $1`,
          [before.id, name ?? before.name, nextRoles],
        );
        const assigned = nextRoles.includes('ACCOUNT_MANAGER') ? tenantIds : [];
        if (assigned !== null) {
          await em.query(`DELETE FROM admin_tenant WHERE admin_id = $1`, [before.id]);
          await assignAdminTenants(em, before.id, assigned);
        }
        return this.applied(em, admin, 'admin.update', before);
      });
    });
  }

  /** Ends an admin's access at once (its tokens stop on their next request). */
  async deactivate(admin: AdminIdentity, email: string): Promise<AdminAccount> {
    const address = email.trim().toLowerCase();
    return this.guarded(admin, 'admin.deactivate', address, () =>
      this.db.global(async (em) => {
        const before = await this.locked(em, address);
        if (before.id === admin.id)
          throw new VitrineError(
            'CONFLICT',
            'You cannot deactivate your own admin account; ask another super admin.',
            { field: 'email' },
          );
        if (before.status === 'DEACTIVATED') return before;
        if (before.roles.includes('SUPER_ADMIN'))
          await this.keepASuperAdmin(em, before, 'deactivate');
        await this.setStatus(em, before.id, 'DEACTIVATED');
        return this.applied(em, admin, 'admin.deactivate', before);
      }),
    );
  }

  /** Lets a deactivated admin sign in again (with the password they had). */
  async reactivate(admin: AdminIdentity, email: string): Promise<AdminAccount> {
    const address = email.trim().toLowerCase();
    return this.guarded(admin, 'admin.reactivate', address, () =>
      this.db.global(async (em) => {
        const before = await this.locked(em, address);
        if (before.status === 'ACTIVE') return before;
        await this.setStatus(em, before.id, 'ACTIVE');
        return this.applied(em, admin, 'admin.reactivate', before);
      }),
    );
  }

  /**
   * An admin changes their own password (account tokens only), giving the current one. Tokens
   * already issued keep working until they expire (admin tokens cannot be revoked one by one).
   */
  async changeOwnPassword(
    admin: AdminIdentity,
    current: string,
    next: string,
  ): Promise<AdminAccount> {
    const target = admin.id ? admin.subject : null;
    const actor = auditActor(admin);
    try {
      if (!admin.id)
        throw VitrineError.badInput(
          'This token belongs to no admin account (a `vitrine admin token`), so it has no password to change.',
        );
      const found = await this.accounts.credentials(admin.subject);
      if (!found || found.id !== admin.id)
        throw new VitrineError('UNAUTHENTICATED', 'This admin account no longer exists.');
      const tries = await this.cache.hit(
        `admin-password:${admin.id}`,
        PASSWORD_TRIES.windowSeconds,
      );
      if (tries.count > PASSWORD_TRIES.max)
        throw new VitrineError(
          'RATE_LIMITED',
          `Too many attempts. Please wait ${Math.ceil(tries.resetInSeconds / 60)} minutes and try again.`,
          { retryAfterSeconds: tries.resetInSeconds },
        );
      if (!(await this.passwords.verifyOrDummy(found.passwordHash, current)))
        throw VitrineError.badInput('The current password is wrong.', {
          field: 'currentPassword',
          problems: [{ path: 'currentPassword', message: 'is wrong' }],
        });
      try {
        checkPassword(next);
      } catch (err) {
        throw VitrineError.badInput((err as Error).message, {
          field: 'newPassword',
          problems: [{ path: 'newPassword', message: (err as Error).message }],
        });
      }
      if (next === current)
        throw VitrineError.badInput('The new password is the current one; choose another.', {
          field: 'newPassword',
          problems: [{ path: 'newPassword', message: 'equals the current password' }],
        });
      const hash = await this.passwords.hash(next);
      return await this.db.global(async (em) => {
        await em.query(
          `UPDATE admin_user SET password_hash = $2, updated_at = now() WHERE id = $1`,
          [admin.id, hash],
        );
        const after = (await loadAdmin(em, admin.id!))!;
        await this.audit.record(em, {
          actor,
          action: 'admin.password',
          tenantId: null,
          target: after.email,
          before: null,
          after: null,
          outcome: 'APPLIED',
          reason: 'password changed by the admin',
        });
        return after;
      });
    } catch (err) {
      if (err instanceof VitrineError)
        await this.audit.refused({
          actor,
          action: 'admin.password',
          tenantId: null,
          target,
          before: null,
          after: null,
          reason: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Runs an operation of area ADMINS: FORBIDDEN unless the admin is a SUPER_ADMIN; any refusal
   * (policy, bad input, conflict, not found) is logged as REFUSED after the work rolled back.
   */
  private async guarded<T>(
    admin: AdminIdentity,
    action: string,
    target: string | null,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      AdminPolicy.require(admin, 'ADMINS', null);
      return await run();
    } catch (err) {
      if (err instanceof VitrineError)
        await this.audit.refused({
          actor: auditActor(admin),
          action,
          tenantId: null,
          target: target?.slice(0, 254) || null,
          before: null,
          after: null,
          reason: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }

  private async locked(em: EntityManager, email: string): Promise<AdminAccount> {
    const found = await loadAdmin(em, email, true);
    if (!found) throw VitrineError.notFound(`There is no admin ${email}.`, { field: 'email' });
    return found;
  }

  /**
   * CONFLICT when `target` is the last active SUPER_ADMIN account. Locks every active super
   * admin (in id order, so two of these never deadlock): of two concurrent attempts on the
   * last two, the second sees the first's change and is refused.
   */
  private async keepASuperAdmin(
    em: EntityManager,
    target: AdminAccount,
    verb: string,
  ): Promise<void> {
    const rows = (await em.query(
      `SELECT id FROM admin_user WHERE status = 'ACTIVE' AND 'SUPER_ADMIN' = ANY(roles)
        ORDER BY id FOR UPDATE`,
    )) as Array<{ id: string }>;
    if (rows.some((r) => r.id !== target.id)) return;
    throw new VitrineError(
      'CONFLICT',
      `${target.email} is the last active SUPER_ADMIN: make another admin SUPER_ADMIN (or reactivate one) before you ${verb} this one.`,
      { field: 'email' },
    );
  }

  private async setStatus(em: EntityManager, id: string, status: 'ACTIVE' | 'DEACTIVATED') {
    await em.query(`UPDATE admin_user SET status = $2, updated_at = now() WHERE id = $1`, [
      id,
      status,
    ]);
  }

  /** The account after a change, with its APPLIED row in the same transaction. */
  private async applied(
    em: EntityManager,
    admin: AdminIdentity,
    action: string,
    before: AdminAccount,
  ): Promise<AdminAccount> {
    const after = (await loadAdmin(em, before.id))!;
    await this.audit.record(em, {
      actor: auditActor(admin),
      action,
      tenantId: null,
      target: before.email,
      before: summary(before),
      after: summary(after),
      outcome: 'APPLIED',
    });
    return after;
  }
}

/** What the audit log keeps of an account (no password, no hash: AdminAccount has neither). */
function summary(a: AdminAccount): {
  name: string;
  roles: AdminRole[];
  status: string;
  tenants: string[];
} {
  return { name: a.name, roles: a.roles, status: a.status, tenants: a.tenants };
}
