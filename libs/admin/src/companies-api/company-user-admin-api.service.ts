import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  checkUserChanges,
  InvitationService,
  normalizeEmail,
  reactivateUser,
  updateUser,
  type UserChanges,
} from '@vitrine/accounts';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { minorFromDb } from '@vitrine/pricing';
import type { AdminIdentity, Role, TenantSnapshot } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { auditActor } from '../accounts/admin-policy';
import { AuditLog } from '../audit/audit-log.service';
import type { AdminCompanyUserType, UpdateCompanyUserInput } from './company-admin-api.types';
import { amount, bad, toUser, USER_SELECT, type UserRow } from './company-rules';

const AREA = 'COMPANIES';

/** A company user's settable state, as the audit log's before/after show it. */
interface UserState {
  name: string;
  roles: string[];
  spendLimitMinor: number | null;
  canSeePrices: boolean;
  status: string;
}

/**
 * Changes to a tenant's existing company users by the seller's admins (area COMPANIES:
 * SUPER_ADMIN, or the ACCOUNT_MANAGER of that tenant): name, roles, spend limit and price
 * visibility with the rules company admins and tenant.yaml use (the accounts lib's
 * checkUserChanges/updateUser: known roles, at least one, a spend limit ≥ 0 in the tenant's
 * currency; the user's sessions end so new tokens carry the change), and reactivation.
 * Another tenant's account manager is FORBIDDEN (AdminGate), a user is looked up inside the
 * named tenant only (another tenant's e-mail is NOT_FOUND), every change is logged with
 * before/after in its transaction and every refusal as REFUSED.
 */
@Injectable()
export class CompanyUserAdminApiService {
  constructor(
    private readonly db: TenantDb,
    private readonly gate: AdminGate,
    private readonly audit: AuditLog,
    private readonly invitations: InvitationService,
  ) {}

  async update(
    admin: AdminIdentity,
    slug: string,
    email: string,
    input: UpdateCompanyUserInput,
  ): Promise<AdminCompanyUserType> {
    const address = normalizeEmail(String(email ?? ''));
    return this.run(admin, slug, 'company.user.update', address, async (tenant, applied) => {
      const changes: UserChanges = {};
      if (input.name != null) {
        const name = input.name.trim();
        if (!name || name.length > 200)
          throw bad('name', 'A user needs a name (at most 200 characters).');
        changes.name = name;
      }
      if (input.roles != null) {
        const roles = [...new Set(input.roles.map((r) => r.trim().toUpperCase()))];
        try {
          checkUserChanges({ roles: roles as Role[] });
        } catch (err) {
          throw bad(
            'roles',
            `${(err as Error).message} The roles are VIEWER, REQUISITIONER, BUYER, APPROVER, COMPANY_ADMIN.`,
          );
        }
        changes.roles = roles as Role[];
      }
      if (input.spendLimit !== undefined)
        changes.spendLimitMinor = amount('spendLimit', input.spendLimit, tenant.currency);
      if (input.canSeePrices != null) changes.canSeePrices = input.canSeePrices;
      checkUserChanges(changes);
      return this.db.run({ tenantId: tenant.id }, async (em) => {
        const before = await this.user(em, tenant, address);
        const wanted: UserState = {
          name: changes.name ?? before.state.name,
          roles: changes.roles ?? before.state.roles,
          spendLimitMinor:
            changes.spendLimitMinor !== undefined
              ? changes.spendLimitMinor
              : before.state.spendLimitMinor,
          canSeePrices: changes.canSeePrices ?? before.state.canSeePrices,
          status: before.state.status,
        };
        // Nothing to change: no write, no sessions ended, no log row.
        if (JSON.stringify(wanted) === JSON.stringify(before.state)) return before.row;
        await updateUser(em, tenant.id, before.row.id, changes);
        const after = await this.user(em, tenant, address);
        await applied(em, before.state, after.state);
        return after.row;
      });
    });
  }

  /**
   * Lets a deactivated user in again: ACTIVE if they had set a password, else INVITED with a
   * new invitation mail (queued in the same transaction). Any other status: unchanged.
   */
  async reactivate(
    admin: AdminIdentity,
    slug: string,
    email: string,
  ): Promise<AdminCompanyUserType> {
    const address = normalizeEmail(String(email ?? ''));
    return this.run(admin, slug, 'company.user.reactivate', address, async (tenant, applied) => {
      return this.db.run({ tenantId: tenant.id }, async (em) => {
        const before = await this.user(em, tenant, address);
        if (before.row.status !== 'DEACTIVATED') return before.row;
        const user = await reactivateUser(em, tenant.id, before.row.id);
        if (user.status === 'INVITED')
          await this.invitations.issueAndMail(
            em,
            tenant,
            { id: user.id, email: user.email, name: user.name },
            'INVITATION',
          );
        const after = await this.user(em, tenant, address);
        await applied(em, before.state, after.state);
        return after.row;
      });
    });
  }

  // -------------------------------------------------------------------------------------------

  /**
   * One change of a user of tenant `slug`: the tenant must be in the admin's scope (AdminGate:
   * FORBIDDEN, logged), a refusal by the change itself (bad input, not found) is logged as
   * REFUSED after its transaction rolled back.
   */
  private async run(
    admin: AdminIdentity,
    slug: string,
    action: string,
    target: string,
    change: (tenant: TenantSnapshot, applied: Applied) => Promise<UserRow>,
  ): Promise<AdminCompanyUserType> {
    const tenant = await this.gate.tenant(admin, AREA, slug, action, target);
    const actor = auditActor(admin);
    try {
      const row = await change(tenant, (em, before, after) =>
        this.audit.record(em, {
          actor,
          action,
          tenantId: tenant.id,
          target,
          before,
          after,
          outcome: 'APPLIED',
        }),
      );
      return toUser(tenant, row);
    } catch (err) {
      if (err instanceof VitrineError)
        await this.audit.refused({
          actor,
          action,
          tenantId: tenant.id,
          target,
          before: null,
          after: null,
          reason: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }

  /** A user of the tenant by e-mail (locked), with its state; NOT_FOUND in any other tenant. */
  private async user(
    em: EntityManager,
    tenant: TenantSnapshot,
    email: string,
  ): Promise<{ row: UserRow; state: UserState }> {
    const [row] = (await em.query(
      `${USER_SELECT} WHERE u.tenant_id = $1 AND u.email = $2 FOR UPDATE OF u`,
      [tenant.id, email],
    )) as UserRow[];
    if (!row)
      throw VitrineError.notFound(`Tenant "${tenant.slug}" has no user ${email}.`, {
        field: 'email',
      });
    return {
      row,
      state: {
        name: row.name,
        roles: row.roles,
        spendLimitMinor: row.spend_limit_minor === null ? null : minorFromDb(row.spend_limit_minor),
        canSeePrices: row.can_see_prices,
        status: row.status,
      },
    };
  }
}

type Applied = (em: EntityManager, before: UserState, after: UserState) => Promise<void>;
