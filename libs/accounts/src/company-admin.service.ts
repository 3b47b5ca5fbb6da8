import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { ROLES, type Role, type TenantContext } from '@vitrine/tenancy';
import { InvitationService } from './invitation.service';
import { normalizeEmail, toUser, USER_COLUMNS, type UserRecord, type UserRow } from './user.model';

export interface UserChanges {
  name?: string | null;
  roles?: Role[] | null;
  /** Minor units; null removes the limit. Undefined leaves it. */
  spendLimitMinor?: number | null;
  canSeePrices?: boolean | null;
}

export interface AddressInput {
  kind: 'BILLING' | 'SHIPPING';
  label?: string | null;
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  isDefault?: boolean | null;
}

export interface AddressRecord extends AddressInput {
  id: string;
  isDefault: boolean;
}

/**
 * What a company admin does for their own company: invite and deactivate users, set roles,
 * spend limits and price visibility, keep addresses and cost centres. Every statement is scoped
 * to (tenant, the admin's company): a user or address of another company is "not found", never
 * "forbidden", so nothing reveals what exists elsewhere. Admins cannot change or deactivate
 * themselves, so a company cannot lock itself out by accident.
 */
@Injectable()
export class CompanyAdminService {
  private readonly log = new Logger('CompanyAdmin');

  constructor(
    private readonly db: TenantDb,
    private readonly invitations: InvitationService,
  ) {}

  async users(ctx: TenantContext): Promise<UserRecord[]> {
    const companyId = companyOf(ctx);
    const rows = (await this.db.run(ctx, (em) =>
      em.query(
        `SELECT ${USER_COLUMNS} FROM app_user WHERE tenant_id = $1 AND company_id = $2 ORDER BY email`,
        [ctx.tenantId, companyId],
      ),
    )) as UserRow[];
    return rows.map(toUser);
  }

  async invite(
    ctx: TenantContext,
    input: {
      email: string;
      name: string;
      roles: Role[];
      spendLimitMinor: number | null;
      canSeePrices: boolean;
    },
  ): Promise<UserRecord> {
    const companyId = companyOf(ctx);
    checkRoles(input.roles);
    const email = normalizeEmail(input.email);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'users.badEmail',
        { email: input.email },
        `"${input.email}" is not an e-mail address.`,
        { argument: 'email' },
      );
    const user = await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, spend_limit_minor, can_see_prices)
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7)
         ON CONFLICT (tenant_id, email) DO NOTHING
         RETURNING ${USER_COLUMNS}`,
        [
          ctx.tenantId,
          companyId,
          email,
          input.name,
          input.roles,
          input.spendLimitMinor,
          input.canSeePrices,
        ],
      )) as UserRow[];
      if (!rows[0])
        throw VitrineError.withMessage(
          'BAD_USER_INPUT',
          'users.exists',
          { email },
          `${email} already has an account on this site.`,
          { argument: 'email' },
        );
      const created = toUser(rows[0]);
      await this.invitations.issueAndMail(
        em,
        ctx.tenant,
        { id: created.id, email, name: input.name },
        'INVITATION',
      );
      return created;
    });
    this.log.log(`${ctx.user?.id} invited ${user.id} on ${ctx.tenant.slug}`);
    return user;
  }

  async update(ctx: TenantContext, email: string, changes: UserChanges): Promise<UserRecord> {
    checkUserChanges(changes);
    return this.db.run(ctx, async (em) => {
      const target = await this.target(em, ctx, email);
      const user = await updateUser(em, ctx.tenantId, target.id, changes);
      this.log.log(`${ctx.user?.id} changed user ${target.id} on ${ctx.tenant.slug}`);
      return user;
    });
  }

  async deactivate(ctx: TenantContext, email: string): Promise<UserRecord> {
    return this.db.run(ctx, async (em) => {
      const target = await this.target(em, ctx, email);
      const user = await deactivateUser(em, ctx.tenantId, target.id);
      this.log.log(`${ctx.user?.id} deactivated user ${target.id} on ${ctx.tenant.slug}`);
      return user;
    });
  }

  async addresses(ctx: TenantContext): Promise<AddressRecord[]> {
    const companyId = companyOf(ctx);
    const rows = (await this.db.run(ctx, (em) =>
      em.query(
        `SELECT id, kind, label, name, street, postal_code, city, country, is_default
         FROM company_address WHERE tenant_id = $1 AND company_id = $2 ORDER BY kind, is_default DESC, created_at`,
        [ctx.tenantId, companyId],
      ),
    )) as AddressRow[];
    return rows.map(toAddress);
  }

  async addAddress(ctx: TenantContext, input: AddressInput): Promise<AddressRecord> {
    const companyId = companyOf(ctx);
    const country = input.country.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country))
      throw VitrineError.badInput(`"${input.country}" is not a country code (e.g. NL, BE, DE).`, {
        argument: 'country',
      });
    for (const [field, value] of Object.entries({
      name: input.name,
      street: input.street,
      postalCode: input.postalCode,
      city: input.city,
    }))
      if (!value.trim() || value.length > 200)
        throw VitrineError.badInput(`The address needs a ${field} (at most 200 characters).`, {
          argument: field,
        });
    return this.db.run(ctx, async (em) => {
      if (input.isDefault)
        await em.query(
          `UPDATE company_address SET is_default = false WHERE tenant_id = $1 AND company_id = $2 AND kind = $3`,
          [ctx.tenantId, companyId, input.kind],
        );
      const rows = (await em.query(
        `INSERT INTO company_address (tenant_id, company_id, kind, label, name, street, postal_code, city, country, is_default)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING id, kind, label, name, street, postal_code, city, country, is_default`,
        [
          ctx.tenantId,
          companyId,
          input.kind,
          input.label ?? null,
          input.name.trim(),
          input.street.trim(),
          input.postalCode.trim(),
          input.city.trim(),
          country,
          !!input.isDefault,
        ],
      )) as AddressRow[];
      return toAddress(rows[0]);
    });
  }

  async removeAddress(ctx: TenantContext, id: string): Promise<void> {
    const companyId = companyOf(ctx);
    const removed = await this.db.run(ctx, async (em) =>
      returnedRows(
        await em.query(
          `DELETE FROM company_address WHERE tenant_id = $1 AND company_id = $2 AND id::text = $3 RETURNING id`,
          [ctx.tenantId, companyId, id],
        ),
      ),
    );
    if (removed.length === 0) throw VitrineError.notFound('No such address in your company.');
  }

  async costCentres(
    ctx: TenantContext,
  ): Promise<Array<{ code: string; name: string; active: boolean }>> {
    const companyId = companyOf(ctx);
    return (await this.db.run(ctx, (em) =>
      em.query(
        `SELECT code, name, active FROM cost_centre WHERE tenant_id = $1 AND company_id = $2 ORDER BY code`,
        [ctx.tenantId, companyId],
      ),
    )) as Array<{ code: string; name: string; active: boolean }>;
  }

  /** Adds a cost centre, or renames and reactivates the one with this code. */
  async saveCostCentre(
    ctx: TenantContext,
    code: string,
    name: string,
    active: boolean,
  ): Promise<{ code: string; name: string; active: boolean }> {
    const companyId = companyOf(ctx);
    const c = code.trim();
    if (!/^[^\p{Cc}]{1,64}$/u.test(c) || !name.trim() || name.length > 200)
      throw VitrineError.badInput(
        'A cost centre needs a code (1 to 64 characters) and a name (at most 200).',
        { argument: 'code' },
      );
    const rows = (await this.db.run(ctx, (em) =>
      em.query(
        `INSERT INTO cost_centre (tenant_id, company_id, code, name, active) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, company_id, code) DO UPDATE SET name = EXCLUDED.name, active = EXCLUDED.active
         RETURNING code, name, active`,
        [ctx.tenantId, companyId, c, name.trim(), active],
      ),
    )) as Array<{ code: string; name: string; active: boolean }>;
    return rows[0];
  }

  /** A user of the admin's own company, never the admin themself. */
  private async target(em: EntityManager, ctx: TenantContext, email: string): Promise<UserRow> {
    const companyId = companyOf(ctx);
    const rows = (await em.query(
      `SELECT ${USER_COLUMNS} FROM app_user WHERE tenant_id = $1 AND company_id = $2 AND email = $3 FOR UPDATE`,
      [ctx.tenantId, companyId, normalizeEmail(email)],
    )) as UserRow[];
    const target = rows[0];
    if (!target) {
      this.log.warn(`${ctx.user?.id} on ${ctx.tenant.slug} asked for a user outside their company`);
      throw VitrineError.withMessage(
        'NOT_FOUND',
        'users.notFound',
        {},
        'No such user in your company.',
      );
    }
    if (target.id === ctx.user?.id)
      throw VitrineError.withMessage(
        'FORBIDDEN',
        'users.self',
        {},
        'You cannot change or deactivate your own account; ask another administrator.',
      );
    return target;
  }
}

function companyOf(ctx: TenantContext): string {
  const id = ctx.user?.company?.id;
  if (!id) throw new VitrineError('FORBIDDEN', 'Your account belongs to no company.');
  return id;
}

/**
 * Deactivates a user in the caller's unit of work and ends every way back in: refresh tokens
 * are revoked and unused invitation or reset links are used up. Web sessions read the user's
 * status on every request, so they stop at once; an access token already out runs until its
 * short lifetime ends (it cannot be refreshed). Shared by company admins and the seller's
 * admin API so both end an account the same way.
 */
export async function deactivateUser(
  em: EntityManager,
  tenantId: string,
  userId: string,
): Promise<UserRecord> {
  const rows = returnedRows<UserRow>(
    await em.query(
      `UPDATE app_user SET status = 'DEACTIVATED', updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${USER_COLUMNS}`,
      [tenantId, userId],
    ),
  );
  await revokeSessions(em, tenantId, userId);
  await em.query(
    `UPDATE user_token SET used_at = coalesce(used_at, now()) WHERE tenant_id = $1 AND user_id = $2`,
    [tenantId, userId],
  );
  return toUser(rows[0]);
}

/** BAD_USER_INPUT for changes no user may have: unknown or no roles, a negative spend limit. */
export function checkUserChanges(changes: UserChanges): void {
  if (changes.roles) checkRoles(changes.roles);
  if (changes.spendLimitMinor != null && changes.spendLimitMinor < 0)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'users.negativeLimit',
      {},
      'A spend limit cannot be negative.',
      { argument: 'spendLimit' },
    );
}

/**
 * Changes a user (checked with {@link checkUserChanges}) in the caller's unit of work; a field
 * left undefined keeps its value (`spendLimitMinor: null` removes the limit). Roles and price
 * visibility travel in access tokens, so the user's refresh tokens are revoked: their next
 * session carries the new ones. Shared by company admins and the seller's admin API.
 */
export async function updateUser(
  em: EntityManager,
  tenantId: string,
  userId: string,
  changes: UserChanges,
): Promise<UserRecord> {
  const rows = returnedRows<UserRow>(
    await em.query(
      `UPDATE app_user SET
         name = coalesce($3, name),
         roles = coalesce($4::text[], roles),
         spend_limit_minor = CASE WHEN $5::boolean THEN $6::bigint ELSE spend_limit_minor END,
         can_see_prices = coalesce($7, can_see_prices),
         updated_at = now()
       WHERE tenant_id = $1 AND id = $2
       RETURNING ${USER_COLUMNS}`,
      [
        tenantId,
        userId,
        changes.name ?? null,
        changes.roles ?? null,
        changes.spendLimitMinor !== undefined,
        changes.spendLimitMinor ?? null,
        changes.canSeePrices ?? null,
      ],
    ),
  );
  await revokeSessions(em, tenantId, userId);
  return toUser(rows[0]);
}

/**
 * Lets a DEACTIVATED user in again, in the caller's unit of work: ACTIVE when they had set a
 * password, else INVITED (they never accepted; the caller sends a new invitation — the old
 * links were used up by the deactivation). Any other status is returned unchanged.
 */
export async function reactivateUser(
  em: EntityManager,
  tenantId: string,
  userId: string,
): Promise<UserRecord> {
  const rows = returnedRows<UserRow>(
    await em.query(
      `UPDATE app_user
          SET status = CASE WHEN password_hash IS NULL THEN 'INVITED' ELSE 'ACTIVE' END,
              updated_at = now()
        WHERE tenant_id = $1 AND id = $2 AND status = 'DEACTIVATED'
        RETURNING ${USER_COLUMNS}`,
      [tenantId, userId],
    ),
  );
  if (rows[0]) return toUser(rows[0]);
  const [current] = (await em.query(
    `SELECT ${USER_COLUMNS} FROM app_user WHERE tenant_id = $1 AND id = $2`,
    [tenantId, userId],
  )) as UserRow[];
  return toUser(current);
}

/** BAD_USER_INPUT unless `roles` names at least one role, all of them known. */
export function checkRoles(roles: readonly string[]): void {
  if (roles.length === 0)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'users.noRole',
      {},
      'A user needs at least one role.',
      { argument: 'roles' },
    );
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'users.unknownRoles',
      { roles: unknown.join(', ') },
      `Unknown role(s): ${unknown.join(', ')}.`,
      { argument: 'roles' },
    );
}

async function revokeSessions(em: EntityManager, tenantId: string, userId: string): Promise<void> {
  await em.query(
    `UPDATE refresh_token SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`,
    [tenantId, userId],
  );
}

interface AddressRow {
  id: string;
  kind: 'BILLING' | 'SHIPPING';
  label: string | null;
  name: string;
  street: string;
  postal_code: string;
  city: string;
  country: string;
  is_default: boolean;
}

function toAddress(r: AddressRow): AddressRecord {
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    name: r.name,
    street: r.street,
    postalCode: r.postal_code,
    city: r.city,
    country: r.country.trim(),
    isDefault: r.is_default,
  };
}
