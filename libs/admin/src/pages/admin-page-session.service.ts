import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CACHE_STORE, type CacheStore } from '@vitrine/cache';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminTokenService, type IssuedAdminToken } from '../api/admin-token.service';

/** The signed-in admin's session id (the session itself is in the shared cache). */
export const ADMIN_SESSION_COOKIE = 'vitrine_admin';
/** A random id of a visitor who is not signed in: the login form's CSRF token is its HMAC. */
export const ADMIN_ANON_COOKIE = 'vitrine_admin_anon';

const ANON_ID = /^[A-Za-z0-9_-]{43}$/;
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Who is looking at an admin page, and the token every form of theirs carries. */
export interface AdminPageVisitor {
  /** Null before sign-in. */
  readonly admin: AdminIdentity | null;
  readonly csrfToken: string;
}

/**
 * Sessions of the admin pages, server-side in the shared cache (Redis in production, so every
 * instance knows them): the cookie holds a random session id (256 bits); the cache holds, under
 * the id's SHA-256, the admin token AdminLoginService issued, until that token expires (10 h).
 * The token never reaches the browser. Each request verifies the token with
 * AdminTokenService.verify, which reads the account again: a deactivated account or changed roles
 * and tenants count at once, exactly as on /admin/graphql. Signing out deletes the entry, so a
 * copied cookie dies with the session.
 *
 * The cookies are HttpOnly, SameSite=Strict, Path=/admin, host-only (no Domain: never sent to a
 * microsite host) and Secure when the request came over TLS. CSRF: every form carries a token —
 * HMAC(pages key, session id) when signed in, HMAC(pages key, anonymous id) on the login form
 * (which prevents login CSRF) — and a POST whose Origin names another origin is refused too.
 */
@Injectable()
export class AdminPageSessions implements OnModuleInit {
  private key: Buffer | null = null;

  constructor(
    private readonly tokens: AdminTokenService,
    private readonly db: TenantDb,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A key of its own (not the buyers' or the admin tokens'), the same on every instance. */
  async onModuleInit(): Promise<void> {
    let base = this.config.auth.tokenSecret;
    if (!base) {
      const [row] = await this.db.query<{ token_secret: string }>(
        `SELECT token_secret FROM installation`,
      );
      if (!row) throw new Error('The installation row is missing; run the migrations.');
      base = row.token_secret;
    }
    this.key = createHmac('sha256', base).update('vitrine admin pages key v1').digest();
  }

  /**
   * The visitor of a page request: the admin of a valid session cookie, or an anonymous visitor
   * (a stale or revoked cookie is cleared). Issues the anonymous cookie when needed.
   */
  async visitor(req: FastifyRequest, reply: FastifyReply): Promise<AdminPageVisitor> {
    const id = req.cookies[ADMIN_SESSION_COOKIE];
    if (id) {
      const admin = SESSION_ID.test(id) ? await this.admin(id) : null;
      if (admin) return { admin, csrfToken: this.mac('session', id) };
      reply.clearCookie(ADMIN_SESSION_COOKIE, cookieOptions(req));
    }
    let anon = req.cookies[ADMIN_ANON_COOKIE];
    if (!anon || !ANON_ID.test(anon)) {
      anon = randomBytes(32).toString('base64url');
      reply.setCookie(ADMIN_ANON_COOKIE, anon, cookieOptions(req, 24 * 3600));
    }
    return { admin: null, csrfToken: this.mac('anon', anon) };
  }

  /** FORBIDDEN unless the form's `_csrf` is this visitor's token and the origin is ours. */
  requireCsrf(req: FastifyRequest, visitor: AdminPageVisitor): void {
    const origin = req.headers.origin;
    const sameOrigin = !origin || origin === 'null' || origin === `${req.protocol}://${req.host}`;
    const body = req.body;
    let given: unknown =
      body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined;
    if (Array.isArray(given)) given = given.length === 1 ? given[0] : undefined;
    const a = Buffer.from(typeof given === 'string' ? given : '');
    const b = Buffer.from(visitor.csrfToken);
    if (!sameOrigin || a.length !== b.length || !timingSafeEqual(a, b))
      throw new VitrineError(
        'FORBIDDEN',
        'The form expired or was tampered with; reload the page and try again.',
      );
  }

  /** Starts a session holding `issued` (a new id: no session fixation) until it expires. */
  async start(req: FastifyRequest, reply: FastifyReply, issued: IssuedAdminToken): Promise<void> {
    const seconds = Math.max(1, Math.floor((issued.expiresAt.getTime() - Date.now()) / 1000));
    const id = randomBytes(32).toString('base64url');
    await this.cache.set(sessionKey(id), issued.token, seconds);
    reply.setCookie(ADMIN_SESSION_COOKIE, id, cookieOptions(req, seconds));
    reply.clearCookie(ADMIN_ANON_COOKIE, cookieOptions(req));
  }

  /** Ends the session: its entry is deleted and the cookie cleared. */
  async end(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const id = req.cookies[ADMIN_SESSION_COOKIE];
    if (id && SESSION_ID.test(id)) await this.cache.del(sessionKey(id));
    reply.clearCookie(ADMIN_SESSION_COOKIE, cookieOptions(req));
  }

  private async admin(id: string): Promise<AdminIdentity | null> {
    const token = await this.cache.get(sessionKey(id));
    if (!token) return null;
    try {
      return await this.tokens.verify(token);
    } catch (err) {
      if (err instanceof VitrineError && err.code === 'UNAUTHENTICATED') return null;
      throw err;
    }
  }

  private mac(kind: string, value: string): string {
    if (!this.key) throw new Error('AdminPageSessions used before module init.');
    return createHmac('sha256', this.key).update(`${kind}|${value}`).digest('base64url');
  }
}

/** The admin pages' cookies: see {@link AdminPageSessions}. */
export function cookieOptions(req: FastifyRequest, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** Under the id's hash: whoever reads the cache cannot take over a session with its keys. */
const sessionKey = (id: string) =>
  `admin-page-session:${createHash('sha256').update(id).digest('base64url')}`;
