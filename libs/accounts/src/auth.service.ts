import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CACHE_STORE, tenantKey, type CacheStore } from '@vitrine/cache';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import { AccessTokenService } from './access-token.service';
import { PasswordService } from './password.service';
import { normalizeEmail, toUser, USER_COLUMNS, type UserRecord, type UserRow } from './user.model';

/** Attempts per window before RATE_LIMITED: per account (tenant + e-mail) and per client address. */
export const LOGIN_LIMITS = { windowSeconds: 15 * 60, perAccount: 10, perIp: 50 };
const REFRESH_TTL_DAYS = 30;

export interface Session {
  accessToken: string;
  /** Opaque; only its SHA-256 is stored. Rotates on every refresh. */
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserRecord;
}

const WRONG_CREDENTIALS = 'The e-mail address or the password is not right.';

/** SHA-256 of a bearer secret, hex: what the database keeps of refresh and one-time tokens. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Sign-in for one site. Access tokens are short-lived JWTs bound to the tenant; refresh tokens
 * rotate, and presenting a rotated (or revoked) one revokes its whole family — a stolen token
 * stops working for the thief and the owner alike, and the owner signs in again. Failures never
 * tell whether the e-mail exists and take the same time either way.
 */
@Injectable()
export class AuthService {
  private readonly log = new Logger('Auth');

  constructor(
    private readonly db: TenantDb,
    private readonly passwords: PasswordService,
    private readonly tokens: AccessTokenService,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(
    ctx: TenantContext,
    email: string,
    password: string,
    clientIp: string,
  ): Promise<Session> {
    const user = await this.verifyCredentials(ctx, email, password, clientIp);
    return this.db.run(ctx, (em) => this.issue(em, ctx, user, null));
  }

  /**
   * The checks of {@link login} without issuing tokens: rate limits per account and per client
   * address, then the password (same time whether or not the e-mail exists), then the status.
   * The microsite's cookie sessions sign in through this.
   */
  async verifyCredentials(
    ctx: TenantContext,
    email: string,
    password: string,
    clientIp: string,
  ): Promise<UserRecord> {
    const normalized = normalizeEmail(email);
    await this.limit(ctx, 'account', tokenHash(normalized), LOGIN_LIMITS.perAccount);
    await this.limit(ctx, 'ip', clientIp, LOGIN_LIMITS.perIp);
    const row = await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `SELECT ${USER_COLUMNS}, password_hash FROM app_user WHERE tenant_id = $1 AND email = $2`,
        [ctx.tenantId, normalized],
      )) as Array<UserRow & { password_hash: string | null }>;
      return rows[0] ?? null;
    });
    const ok = await this.passwords.verifyOrDummy(row?.password_hash ?? null, password);
    if (!row || !ok || row.status !== 'ACTIVE') {
      this.log.warn(
        `Failed sign-in on ${ctx.tenant.slug} from ${clientIp} (account ${tokenHash(normalized).slice(0, 12)})`,
      );
      throw new VitrineError('UNAUTHENTICATED', WRONG_CREDENTIALS);
    }
    return toUser(row);
  }

  /** A new session for a refresh token; the token itself is used up. */
  async refresh(ctx: TenantContext, refreshToken: string): Promise<Session> {
    const outcome = await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `SELECT rt.id, rt.family_id, rt.expires_at < now() AS expired,
                rt.rotated_at IS NOT NULL OR rt.revoked_at IS NOT NULL AS used,
                ${USER_COLUMNS.split(', ')
                  .map((c) => `u.${c}`)
                  .join(', ')}
         FROM refresh_token rt JOIN app_user u ON u.tenant_id = rt.tenant_id AND u.id = rt.user_id
         WHERE rt.tenant_id = $1 AND rt.token_hash = $2 FOR UPDATE OF rt`,
        [ctx.tenantId, tokenHash(refreshToken)],
      )) as Array<UserRow & { family_id: string; expired: boolean; used: boolean; id: string }>;
      const found = rows[0];
      if (!found) return { error: 'The session is not known. Please sign in again.' };
      if (found.used || found.status !== 'ACTIVE') {
        await revokeFamily(em, ctx.tenantId, found.family_id);
        if (found.used)
          this.log.warn(
            `Refresh token reuse on ${ctx.tenant.slug}: session family ${found.family_id} revoked`,
          );
        return { error: 'This session has ended. Please sign in again.' };
      }
      if (found.expired) return { error: 'Your session has expired. Please sign in again.' };
      await em.query(
        `UPDATE refresh_token SET rotated_at = now() WHERE tenant_id = $1 AND token_hash = $2`,
        [ctx.tenantId, tokenHash(refreshToken)],
      );
      return { session: await this.issue(em, ctx, toUser(found), found.family_id) };
    });
    // The family revocation above must commit: the error is thrown after the unit of work.
    if ('error' in outcome) throw new VitrineError('UNAUTHENTICATED', outcome.error as string);
    return outcome.session;
  }

  /** Ends the session of this refresh token (its whole family). Unknown tokens are ignored. */
  async logout(ctx: TenantContext, refreshToken: string): Promise<void> {
    await this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `SELECT family_id FROM refresh_token WHERE tenant_id = $1 AND token_hash = $2`,
        [ctx.tenantId, tokenHash(refreshToken)],
      )) as Array<{ family_id: string }>;
      if (rows[0]) await revokeFamily(em, ctx.tenantId, rows[0].family_id);
    });
  }

  private async issue(
    em: EntityManager,
    ctx: TenantContext,
    user: UserRecord,
    familyId: string | null,
  ): Promise<Session> {
    const refreshToken = newToken();
    await em.query(
      `INSERT INTO refresh_token (tenant_id, user_id, family_id, token_hash, expires_at)
       VALUES ($1, $2, coalesce($3::uuid, gen_random_uuid()), $4, now() + make_interval(days => $5))`,
      [ctx.tenantId, user.id, familyId, tokenHash(refreshToken), REFRESH_TTL_DAYS],
    );
    const expiresIn = this.config.auth.accessTokenTtlS;
    const accessToken = await this.tokens.sign(
      {
        sub: user.id,
        tenant: ctx.tenantId,
        company: user.companyId,
        prices: user.canSeePrices,
        roles: user.roles,
      },
      expiresIn,
    );
    return { accessToken, refreshToken, expiresIn, user };
  }

  private async limit(ctx: TenantContext, kind: string, subject: string, max: number) {
    let hit: { count: number; resetInSeconds: number };
    try {
      hit = await this.cache.hit(
        tenantKey(ctx.tenantId, 'login', kind, subject),
        LOGIN_LIMITS.windowSeconds,
      );
    } catch (err) {
      // Without the shared counter there is no limit worth the name: refuse rather than allow.
      this.log.error(`Login rate limit unavailable: ${(err as Error).message}`);
      throw new VitrineError(
        'SERVICE_UNAVAILABLE',
        'Signing in is briefly unavailable. Please try again.',
      );
    }
    if (hit.count > max)
      throw new VitrineError(
        'RATE_LIMITED',
        `Too many sign-in attempts. Please wait ${Math.ceil(hit.resetInSeconds / 60)} minutes and try again.`,
        { retryAfterSeconds: hit.resetInSeconds },
      );
  }
}

async function revokeFamily(em: EntityManager, tenantId: string, familyId: string): Promise<void> {
  await em.query(
    `UPDATE refresh_token SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND family_id = $2`,
    [tenantId, familyId],
  );
}
