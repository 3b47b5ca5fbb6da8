import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { Role, TenantContext, TenantSnapshot } from '@vitrine/tenancy';
import { newToken, tokenHash } from './auth.service';
import { Mailbox } from './mailbox';
import { checkPassword, PasswordService } from './password.service';
import { normalizeEmail } from './user.model';

export type OneTimeKind = 'INVITATION' | 'PASSWORD_RESET';
const TTL_HOURS: Record<OneTimeKind, number> = { INVITATION: 7 * 24, PASSWORD_RESET: 1 };

export interface DeclaredUser {
  email: string;
  name: string;
  roles: Role[];
  spendLimitMinor: number | null;
}

/** What a mail needs to know about the site. */
export type SiteRef = Pick<TenantSnapshot, 'id' | 'name' | 'domains'>;

export interface Invitation {
  email: string;
  /** The single-use token (only its hash is stored); shown once, to be mailed. */
  token: string;
}

const USED_OR_EXPIRED = 'This link has already been used or has expired. Please ask for a new one.';

/**
 * Invitations and password resets: single-use, expiring tokens of which only the SHA-256 is
 * stored. Redeeming one sets the password (argon2id) and ends every session of the user.
 */
@Injectable()
export class InvitationService {
  private readonly log = new Logger('Accounts');

  constructor(
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly mailbox: Mailbox,
  ) {}

  /**
   * Creates or updates the declared users of a company (tenant.yaml, provisioning): new users
   * are invited; existing ones get the declared name, roles and spend limit; nobody is deleted.
   * With `demoPassword` (development only) new users are active with that password instead.
   */
  async provision(
    em: EntityManager,
    tenantId: string,
    companyId: string,
    users: readonly DeclaredUser[],
    demoPassword: string | null,
  ): Promise<Invitation[]> {
    const invitations: Invitation[] = [];
    const demoHash = demoPassword ? await this.passwords.hash(demoPassword) : null;
    for (const u of users) {
      const email = normalizeEmail(u.email);
      const [row] = (await em.query(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, spend_limit_minor, status, password_hash)
         VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8)
         ON CONFLICT (tenant_id, email) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles,
           spend_limit_minor = EXCLUDED.spend_limit_minor, updated_at = now()
         RETURNING id, (xmax = 0) AS created`,
        [
          tenantId,
          companyId,
          email,
          u.name,
          u.roles,
          u.spendLimitMinor,
          demoHash ? 'ACTIVE' : 'INVITED',
          demoHash,
        ],
      )) as Array<{ id: string; created: boolean }>;
      if (row.created && !demoHash)
        invitations.push({ email, token: await this.issue(em, tenantId, row.id, 'INVITATION') });
    }
    return invitations;
  }

  /** A new single-use token for a user; returns the plaintext (to be mailed), stores the hash. */
  async issue(
    em: EntityManager,
    tenantId: string,
    userId: string,
    kind: OneTimeKind,
  ): Promise<string> {
    const token = newToken();
    await em.query(
      `INSERT INTO user_token (token_hash, tenant_id, user_id, kind, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))`,
      [tokenHash(token), tenantId, userId, kind, TTL_HOURS[kind]],
    );
    return token;
  }

  /** The link a user follows to set a password (the page comes with the microsite issue). */
  link(tenant: SiteRef, invitation: Invitation, kind: OneTimeKind): string {
    const path = kind === 'INVITATION' ? 'invitation' : 'password-reset';
    return `https://${tenant.domains[0]}/${path}?token=${invitation.token}`;
  }

  /** Mails the link to a user of this tenant. */
  async mail(tenant: SiteRef, invitation: Invitation, kind: OneTimeKind): Promise<void> {
    await this.mailbox.send({
      tenantId: tenant.id,
      to: invitation.email,
      subject:
        kind === 'INVITATION'
          ? `Your account for ${tenant.name}`
          : `Reset your password for ${tenant.name}`,
      text: this.link(tenant, invitation, kind),
    });
  }

  /** Sets the password with a one-time token and activates the account. Single use. */
  async redeem(
    ctx: TenantContext,
    token: string,
    kind: OneTimeKind,
    password: string,
  ): Promise<void> {
    checkPassword(password);
    const hash = await this.passwords.hash(password);
    const ok = await this.db.run(ctx, async (em) => {
      const rows = returnedRows<{ user_id: string }>(
        await em.query(
          `UPDATE user_token SET used_at = now()
           WHERE tenant_id = $1 AND token_hash = $2 AND kind = $3 AND used_at IS NULL AND expires_at > now()
           RETURNING user_id`,
          [ctx.tenantId, tokenHash(token), kind],
        ),
      );
      const userId = rows[0]?.user_id;
      if (!userId) return false;
      const updated = returnedRows(
        await em.query(
          `UPDATE app_user SET password_hash = $3, status = 'ACTIVE', updated_at = now()
           WHERE tenant_id = $1 AND id = $2 AND status <> 'DEACTIVATED' RETURNING id`,
          [ctx.tenantId, userId, hash],
        ),
      );
      if (updated.length === 0) return false;
      await em.query(
        `UPDATE refresh_token SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`,
        [ctx.tenantId, userId],
      );
      return true;
    });
    if (!ok) {
      this.log.warn(`Refused ${kind.toLowerCase()} token on ${ctx.tenant.slug}`);
      throw new VitrineError('UNAUTHENTICATED', USED_OR_EXPIRED);
    }
  }

  /**
   * Starts a password reset. Always succeeds to the caller, whether or not the address has an
   * account, so the answer never tells who is a customer.
   */
  async requestReset(ctx: TenantContext, email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    const token = await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `SELECT id FROM app_user WHERE tenant_id = $1 AND email = $2 AND status = 'ACTIVE'`,
        [ctx.tenantId, normalized],
      )) as Array<{ id: string }>;
      return rows[0] ? this.issue(em, ctx.tenantId, rows[0].id, 'PASSWORD_RESET') : null;
    });
    if (token) await this.mail(ctx.tenant, { email: normalized, token }, 'PASSWORD_RESET');
  }
}
