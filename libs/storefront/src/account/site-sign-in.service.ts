import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, InvitationService, UserService, type OneTimeKind } from '@vitrine/accounts';
import type { TenantContext } from '@vitrine/tenancy';
import { clearCookie, cookieOptions, SESSION_COOKIE } from '../session/site-cookies';
import { WEB_SESSION_LIMITS, WebSessionService } from '../session/web-session.service';

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
  ) {}

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
