import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminAccountService } from '../accounts/admin-account.service';

/** The `aud` of every admin token; storefront access tokens carry none. */
export const ADMIN_TOKEN_AUDIENCE = 'vitrine-admin';
const ISSUER = 'vitrine';
/** Longest lifetime of an admin token: they cannot be revoked one by one (rotate the secret). */
export const ADMIN_TOKEN_MAX_TTL_HOURS = 720;
const SUBJECT = /^[^\p{Cc}]{1,200}$/u;
/** The `kind` claim of a token issued to an admin account by `adminLogin`. */
const ACCOUNT_KIND = 'account';

/** A freshly signed admin token. */
export interface IssuedAdminToken {
  token: string;
  subject: string;
  expiresAt: Date;
}

/**
 * Admin tokens: JWT HS256 with `aud: vitrine-admin` and an expiry, of two kinds:
 * - account tokens (`adminLogin`): `sub` = the admin account's id, `kind: account`, `roles`. On
 *   every request the account is read again (AdminAccountService.identity): a DEACTIVATED or
 *   deleted account's tokens stop working at once, and the roles and tenant assignments that
 *   count are the current ones (the `roles` claim is informative only).
 * - bootstrap tokens (`vitrine admin token`, for development and for creating the first
 *   accounts): `sub` = a name or e-mail, no account behind them, SUPER_ADMIN.
 *
 * Both are They are signed with a key derived from the installation's token secret
 * (AUTH_TOKEN_SECRET, or the per-installation secret in the database) for this purpose only,
 * so a buyer's access token can never pass as an admin token, nor an admin token as a buyer's
 * — the signature fails both ways before any claim is read, and the audience is checked too.
 */
@Injectable()
export class AdminTokenService implements OnModuleInit {
  private key: Promise<Uint8Array> | null = null;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AdminAccountService,
  ) {}

  /** Loads the key at start, so verifying a request never waits on the database. */
  async onModuleInit(): Promise<void> {
    await this.secret();
  }

  /** A bootstrap token (SUPER_ADMIN, no account): `vitrine admin token`. */
  async sign(subject: string, ttlHours: number): Promise<IssuedAdminToken> {
    const sub = subject.trim();
    if (!SUBJECT.test(sub))
      throw VitrineError.badInput('The admin subject is a name or e-mail of 1 to 200 characters.');
    return this.issue(sub, {}, ttlHours);
  }

  /** A token for an admin account (after `adminLogin` checked its password). */
  async signAccount(
    adminId: string,
    roles: readonly string[],
    ttlHours: number,
  ): Promise<IssuedAdminToken> {
    return this.issue(adminId, { kind: ACCOUNT_KIND, roles: [...roles] }, ttlHours);
  }

  private async issue(
    sub: string,
    claims: Record<string, unknown>,
    ttlHours: number,
  ): Promise<IssuedAdminToken> {
    if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > ADMIN_TOKEN_MAX_TTL_HOURS)
      throw VitrineError.badInput(
        `The lifetime of an admin token is more than 0 and at most ${ADMIN_TOKEN_MAX_TTL_HOURS} hours.`,
      );
    const ttlSeconds = Math.max(1, Math.round(ttlHours * 3600));
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(ISSUER)
      .setAudience(ADMIN_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(await this.secret());
    return { token, subject: sub, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  /** The admin behind an `Authorization` header; UNAUTHENTICATED with the reason otherwise. */
  async authenticate(authorization: string | undefined): Promise<AdminIdentity> {
    if (!authorization)
      throw unauthenticated(
        'Admin operations need an admin token: send "Authorization: Bearer <token>" (`vitrine admin token` prints one).',
      );
    const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <admin token>".');
    return this.verify(match[1]);
  }

  async verify(token: string): Promise<AdminIdentity> {
    let payload: { sub?: unknown; kind?: unknown };
    try {
      ({ payload } = await jwtVerify(token, await this.secret(), {
        issuer: ISSUER,
        audience: ADMIN_TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['sub', 'exp', 'aud'],
      }));
    } catch (err) {
      throw unauthenticated(
        err instanceof errors.JWTExpired
          ? 'The admin token has expired. Get a new one with `vitrine admin token`.'
          : 'The bearer token is not a valid admin token of this installation.',
      );
    }
    if (typeof payload.sub !== 'string' || !SUBJECT.test(payload.sub))
      throw unauthenticated('The bearer token is not a valid admin token of this installation.');
    if (payload.kind === ACCOUNT_KIND) {
      const identity = await this.accounts.identity(payload.sub);
      if (!identity)
        throw unauthenticated(
          'This admin account is deactivated or no longer exists; its tokens no longer work.',
        );
      return identity;
    }
    if (payload.kind !== undefined)
      throw unauthenticated('The bearer token is not a valid admin token of this installation.');
    // A bootstrap token: whoever holds the installation's secret is a super admin anyway.
    return Object.freeze({ subject: payload.sub, roles: Object.freeze(['SUPER_ADMIN']) });
  }

  private secret(): Promise<Uint8Array> {
    this.key ??= (async () => {
      let base = this.config.auth.tokenSecret;
      if (!base) {
        const [row] = await this.db.query<{ token_secret: string }>(
          `SELECT token_secret FROM installation`,
        );
        if (!row) throw new Error('The installation row is missing; run the migrations.');
        base = row.token_secret;
      }
      // A key of its own: the buyers' key never verifies an admin token, nor the other way round.
      return new Uint8Array(
        createHmac('sha256', base).update('vitrine admin token key v1').digest(),
      );
    })();
    return this.key;
  }
}

function unauthenticated(message: string): VitrineError {
  return new VitrineError('UNAUTHENTICATED', message);
}
