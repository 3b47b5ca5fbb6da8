import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, siteOrigin, type AppConfig } from '@vitrine/config';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox } from '@vitrine/outbox';
import type { Role, TenantContext, TenantSnapshot } from '@vitrine/tenancy';
import { newToken, tokenHash } from './auth.service';
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

/** What a mail needs to know about the site: links go to its primary domain, text in its first locale. */
export type SiteRef = Pick<TenantSnapshot, 'id' | 'name' | 'domains' | 'locales'>;

/** Who gets a one-time link. */
export interface Recipient {
  id: string;
  email: string;
  name: string;
}

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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Creates or updates the declared users of a company (tenant.yaml, provisioning): new users
   * are invited; existing ones get the declared name, roles and spend limit; nobody is deleted.
   * With `demoPassword` (development only) new users are active with that password instead.
   * Invitation mails are queued in the same unit of work (see {@link issueAndMail}).
   */
  async provision(
    em: EntityManager,
    site: SiteRef,
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
          site.id,
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
        invitations.push({
          email,
          token: await this.issueAndMail(
            em,
            site,
            { id: row.id, email, name: u.name },
            'INVITATION',
          ),
        });
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
    return (await this.insertToken(em, tenantId, userId, kind)).token;
  }

  /**
   * Issues a token and queues the mail that carries its link, in the caller's unit of work: the
   * mail exists if and only if the token does, and the outbox delivers it at least once (its
   * dedupe key is per token, so a redelivery is the same message).
   */
  async issueAndMail(
    em: EntityManager,
    site: SiteRef,
    user: Recipient,
    kind: OneTimeKind,
    locale = site.locales[0] ?? 'en',
  ): Promise<string> {
    const { token, expiresAt } = await this.insertToken(em, site.id, user.id, kind);
    const template = kind === 'INVITATION' ? 'invitation' : 'password-reset';
    await this.outbox.enqueue(em, site.id, [
      {
        topic: 'mail',
        dedupeKey: `${template}/${user.id}/${tokenHash(token).slice(0, 16)}`,
        payload: {
          kind: 'mail',
          template,
          to: [user.email],
          locale,
          data: {
            name: user.name,
            token,
            expiresAt,
            link: this.link(site, { email: user.email, token }, kind),
          },
        },
      },
    ]);
    return token;
  }

  private async insertToken(
    em: EntityManager,
    tenantId: string,
    userId: string,
    kind: OneTimeKind,
  ): Promise<{ token: string; expiresAt: string }> {
    const token = newToken();
    const [row] = (await em.query(
      `INSERT INTO user_token (token_hash, tenant_id, user_id, kind, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5)) RETURNING expires_at`,
      [tokenHash(token), tenantId, userId, kind, TTL_HOURS[kind]],
    )) as Array<{ expires_at: Date | string }>;
    return { token, expiresAt: new Date(row.expires_at).toISOString() };
  }

  /** The link a user follows to set a password (on the site's public origin, PUBLIC_BASE_URL). */
  link(tenant: Pick<SiteRef, 'domains'>, invitation: Invitation, kind: OneTimeKind): string {
    const path = kind === 'INVITATION' ? 'invitation' : 'password-reset';
    return `${siteOrigin(this.config, tenant.domains[0])}/${path}?token=${invitation.token}`;
  }

  /**
   * Sets the password with a one-time token and activates the account. Single use. Returns the
   * user's id (the microsite signs them in with it).
   */
  async redeem(
    ctx: TenantContext,
    token: string,
    kind: OneTimeKind,
    password: string,
  ): Promise<string> {
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
      if (!userId) return null;
      const updated = returnedRows(
        await em.query(
          `UPDATE app_user SET password_hash = $3, status = 'ACTIVE', updated_at = now()
           WHERE tenant_id = $1 AND id = $2 AND status <> 'DEACTIVATED' RETURNING id`,
          [ctx.tenantId, userId, hash],
        ),
      );
      if (updated.length === 0) return null;
      await em.query(
        `UPDATE refresh_token SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND user_id = $2`,
        [ctx.tenantId, userId],
      );
      return userId;
    });
    if (!ok) {
      this.log.warn(`Refused ${kind.toLowerCase()} token on ${ctx.tenant.slug}`);
      throw new VitrineError('UNAUTHENTICATED', USED_OR_EXPIRED);
    }
    return ok;
  }

  /**
   * Starts a password reset. Always succeeds to the caller, whether or not the address has an
   * account, so the answer never tells who is a customer.
   */
  async requestReset(ctx: TenantContext, email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `SELECT id, name FROM app_user WHERE tenant_id = $1 AND email = $2 AND status = 'ACTIVE'`,
        [ctx.tenantId, normalized],
      )) as Array<{ id: string; name: string }>;
      if (rows[0])
        await this.issueAndMail(
          em,
          ctx.tenant,
          { id: rows[0].id, email: normalized, name: rows[0].name },
          'PASSWORD_RESET',
          ctx.locale,
        );
    });
  }
}
