import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { CompanyDirectory } from '@vitrine/accounts';
import { returnedRows, TenantDb } from '@vitrine/database';
import type { AuthUser, Role, TenantContext, TenantSnapshot } from '@vitrine/tenancy';
import type { WebSessionState } from './site.hook';

/**
 * Lifetimes of a web session: it ends after `idleSeconds` without a request, and at the latest
 * `absoluteSeconds` after sign-in. A working day of idleness is tolerated (buyers leave a tab
 * open); a stolen cookie stays useful for a week at most.
 */
export const WEB_SESSION_LIMITS = {
  idleSeconds: 12 * 3600,
  absoluteSeconds: 7 * 24 * 3600,
  /** `last_seen_at` is written at most this often: a page view is a read, not a write. */
  touchSeconds: 300,
};

/** A newly created session: the raw token for the cookie (never stored) and its state. */
export interface NewWebSession {
  token: string;
  state: WebSessionState;
}

/** What a session cookie amounts to on a request. */
export type SessionLookup =
  { kind: 'user'; user: AuthUser; state: WebSessionState } | { kind: 'stale' };

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Server-side sessions of the microsite (`web_session`, migration 8). The cookie carries a
 * random token; the database keeps its SHA-256 as the id, looked up by (tenant, id) with
 * row-level security behind it, so a cookie of one site signs nobody in on another. Every
 * request reads the user row, so a deactivated user or changed roles take effect at once.
 */
@Injectable()
export class WebSessionService {
  private readonly log = new Logger('WebSession');

  constructor(
    private readonly db: TenantDb,
    private readonly companies: CompanyDirectory,
  ) {}

  /** A fresh session for a user who just proved who they are (always a new id: no fixation). */
  async create(ctx: TenantContext, userId: string, userName: string): Promise<NewWebSession> {
    const token = randomBytes(32).toString('base64url');
    const id = sessionId(token);
    const csrfToken = randomBytes(32).toString('base64url');
    await this.db.run(ctx, async (em) => {
      // Housekeeping on the way: this user's ended sessions go.
      await em.query(
        `DELETE FROM web_session WHERE tenant_id = $1 AND user_id = $2
           AND (expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $3))`,
        [ctx.tenantId, userId, WEB_SESSION_LIMITS.idleSeconds],
      );
      await em.query(
        `INSERT INTO web_session (id, tenant_id, user_id, csrf_secret, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
        [id, ctx.tenantId, userId, csrfToken, WEB_SESSION_LIMITS.absoluteSeconds],
      );
    });
    return { token, state: { id, csrfToken, userName } };
  }

  /**
   * The signed-in user of a session cookie on this tenant's host, or `stale` when the cookie
   * names no live session here (unknown, expired, another site's, user no longer active).
   */
  async lookup(tenant: TenantSnapshot, token: string): Promise<SessionLookup> {
    if (!TOKEN.test(token)) return { kind: 'stale' };
    const id = sessionId(token);
    const row = await this.db.run({ tenantId: tenant.id }, async (em) => {
      const rows = (await em.query(
        `SELECT s.csrf_secret, u.id, u.company_id, u.name, u.roles, u.can_see_prices,
                s.last_seen_at < now() - make_interval(secs => $3) AS touch
         FROM web_session s
         JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
         WHERE s.tenant_id = $1 AND s.id = $2 AND u.status = 'ACTIVE'
           AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $4)`,
        [tenant.id, id, WEB_SESSION_LIMITS.touchSeconds, WEB_SESSION_LIMITS.idleSeconds],
      )) as Array<{
        csrf_secret: string;
        id: string;
        company_id: string;
        name: string;
        roles: Role[];
        can_see_prices: boolean;
        touch: boolean;
      }>;
      const found = rows[0];
      if (found?.touch)
        await em.query(
          `UPDATE web_session SET last_seen_at = now() WHERE tenant_id = $1 AND id = $2`,
          [tenant.id, id],
        );
      return found ?? null;
    });
    if (!row) return { kind: 'stale' };
    const company = await this.companies.get(tenant, row.company_id);
    if (!company) {
      this.log.warn(`Session of user ${row.id} on ${tenant.slug} names an unknown company`);
      return { kind: 'stale' };
    }
    const user: AuthUser = Object.freeze({
      id: row.id,
      company,
      roles: Object.freeze([...row.roles]),
      canSeePrices: row.can_see_prices,
    });
    return { kind: 'user', user, state: { id, csrfToken: row.csrf_secret, userName: row.name } };
  }

  /** Ends one session (sign-out). Unknown ids are ignored. */
  async destroy(ctx: TenantContext, id: string): Promise<void> {
    await this.db.run(ctx, (em) =>
      em.query(`DELETE FROM web_session WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, id]),
    );
  }

  /** Ends every session of a user (new password: whoever had the old one is out). */
  async destroyAllOf(ctx: TenantContext, userId: string): Promise<number> {
    return this.db.run(
      ctx,
      async (em) =>
        returnedRows(
          await em.query(
            `DELETE FROM web_session WHERE tenant_id = $1 AND user_id = $2 RETURNING id`,
            [ctx.tenantId, userId],
          ),
        ).length,
    );
  }
}
