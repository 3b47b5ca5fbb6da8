import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AuthService,
  InvitationService,
  normalizeEmail,
  tokenHash,
  UserService,
  type OneTimeKind,
} from '@vitrine/accounts';
import { CACHE_STORE, tenantKey, type CacheStore } from '@vitrine/cache';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import { clearCookie, cookieOptions, SESSION_COOKIE } from '../session/site-cookies';
import { WEB_SESSION_LIMITS, WebSessionService } from '../session/web-session.service';

/**
 * Reset-link requests per hour: per address (nobody's inbox gets flooded) and per client
 * address. Counted whether or not the address has an account, so the limit reveals nothing.
 */
export const RESET_LIMITS = { windowSeconds: 3600, perAddress: 5, perIp: 30 };

/**
 * Signing in and out of the microsite with a cookie session. The checks are AuthService's and
 * InvitationService's (rate limits, constant-time password check, account status, single-use
 * links) — the same as for the GraphQL API; only the session differs. Every sign-in gets a new
 * session id (a session planted before sign-in is never promoted), and a new password ends
 * every other session of the user.
 */
@Injectable()
export class SiteSignIn {
  constructor(
    private readonly auth: AuthService,
    private readonly invitations: InvitationService,
    private readonly users: UserService,
    private readonly sessions: WebSessionService,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  /** Mails a reset link when the address has an active account; RATE_LIMITED past the limits. */
  async requestReset(ctx: TenantContext, req: FastifyRequest, email: string): Promise<void> {
    const address = tokenHash(normalizeEmail(email));
    for (const [kind, subject, max] of [
      ['address', address, RESET_LIMITS.perAddress],
      ['ip', req.ip, RESET_LIMITS.perIp],
    ] as const) {
      const hit = await this.cache.hit(
        tenantKey(ctx.tenantId, 'reset', kind, subject),
        RESET_LIMITS.windowSeconds,
      );
      if (hit.count > max)
        throw new VitrineError('RATE_LIMITED', 'Too many requests for a new password.', {
          retryAfterSeconds: hit.resetInSeconds,
        });
    }
    await this.invitations.requestReset(ctx, email);
  }

  /** Checks the credentials and starts a session; throws AuthService's errors. */
  async login(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    email: string,
    password: string,
  ): Promise<void> {
    const user = await this.auth.verifyCredentials(ctx, email, password, req.ip);
    await this.start(ctx, req, reply, user.id, user.name);
  }

  /** Sets the password with an invitation or reset link, ends other sessions, signs in. */
  async redeem(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    kind: OneTimeKind,
    password: string,
  ): Promise<void> {
    const userId = await this.invitations.redeem(ctx, token, kind, password);
    await this.sessions.destroyAllOf(ctx, userId);
    const user = await this.users.findOne(ctx, userId);
    await this.start(ctx, req, reply, userId, user?.name ?? '');
  }

  async logout(ctx: TenantContext, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (req.webSession) await this.sessions.destroy(ctx, req.webSession.id);
    clearCookie(req, reply, SESSION_COOKIE);
  }

  private async start(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    name: string,
  ): Promise<void> {
    if (req.webSession) await this.sessions.destroy(ctx, req.webSession.id);
    const { token } = await this.sessions.create(ctx, userId, name);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(req, WEB_SESSION_LIMITS.absoluteSeconds));
  }
}
