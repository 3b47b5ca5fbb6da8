import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { TenantSnapshot } from '@vitrine/tenancy';
import {
  ANON_COOKIE,
  clearCookie,
  cookieOptions,
  LANG_COOKIE,
  NOTICE_COOKIE,
  SESSION_COOKIE,
} from './site-cookies';
import { isSitePath } from './site-paths';
import type { SiteKeys } from './site-keys.service';

/** What the session layer knows about a signed-in page request (set while authenticating). */
export interface WebSessionState {
  /** SHA-256 of the cookie's token: the session row's id. */
  readonly id: string;
  /** The token every form of this session carries. */
  readonly csrfToken: string;
  readonly userName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The web session of a signed-in page request. */
    webSession?: WebSessionState;
    /** The request brought a session cookie that is unknown, expired or another site's. */
    staleSessionCookie?: boolean;
  }
}

const ANON_ID = /^[A-Za-z0-9_-]{43}$/;
const YEAR_S = 365 * 24 * 3600;

/**
 * Anonymous visitors get CSRF protection too (the login form needs it): a random id in the
 * `vitrine_anon` cookie (HttpOnly, SameSite=Lax, host-only), and their token is
 * HMAC(site key, tenant, id). No database row per visitor; an attacker knows neither the
 * cookie nor the key. Signing in replaces it with the session's own token.
 */
export function anonymousCsrfToken(keys: SiteKeys, tenantId: string, anonId: string): string {
  return keys.mac('anon-csrf', tenantId, anonId);
}

/**
 * The language a visitor chose: `?lang=xx` on any page, else the `vitrine_lang` cookie — one of
 * the tenant's locales, or nothing (then Accept-Language decides).
 */
export function chosenLocale(req: FastifyRequest, tenant: TenantSnapshot): string | undefined {
  if (!isSitePath(req)) return undefined;
  const query = req.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.lang === 'string' ? query.lang : undefined;
  for (const wanted of [fromQuery, req.cookies?.[LANG_COOKIE]]) {
    const hit = wanted && tenant.locales.find((l) => l.toLowerCase() === wanted.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Sets `req.site` (CSRF token, user name, one-time notice) on every page request, after the
 * tenancy hook has resolved tenant, user and web session: issues the anonymous cookie, clears a
 * stale session cookie, remembers `?lang=`. Register after the tenancy hook.
 */
export function registerSiteHook(app: FastifyInstance, keys: SiteKeys): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = req.tenantContext;
    if (!ctx || !isSitePath(req)) return;
    if (req.staleSessionCookie) clearCookie(req, reply, SESSION_COOKIE);

    let csrfToken: string;
    if (req.webSession) {
      csrfToken = req.webSession.csrfToken;
    } else {
      let anon = req.cookies[ANON_COOKIE];
      if (!anon || !ANON_ID.test(anon)) {
        anon = randomBytes(32).toString('base64url');
        reply.setCookie(ANON_COOKIE, anon, cookieOptions(req, YEAR_S));
      }
      csrfToken = anonymousCsrfToken(keys, ctx.tenantId, anon);
    }

    let notice: string | null = null;
    const rawNotice = req.cookies[NOTICE_COOKIE];
    if (rawNotice && req.method === 'GET') {
      const unsigned = req.unsignCookie(rawNotice);
      notice = unsigned.valid ? unsigned.value : null;
      clearCookie(req, reply, NOTICE_COOKIE);
    }

    const query = req.query as Record<string, unknown> | undefined;
    const lang = typeof query?.lang === 'string' ? query.lang.toLowerCase() : null;
    const chosen = lang && ctx.tenant.locales.find((l) => l.toLowerCase() === lang);
    if (chosen) reply.setCookie(LANG_COOKIE, chosen, cookieOptions(req, YEAR_S));

    // Only the page's own inline <style> and <script> run: a nonce per response, no
    // 'unsafe-inline'. Replaces the API-wide policy of the security headers (docs/security.md).
    const cspNonce = randomBytes(16).toString('base64url');
    reply.header('content-security-policy', sitePolicy(cspNonce));
    req.site = { csrfToken, userName: req.webSession?.userName ?? null, notice, cspNonce };
  });
}

/**
 * The microsite pages' Content-Security-Policy. Images and fonts may come from anywhere
 * (product media and theme logos live on the seller's CDN); scripts and styles only as the
 * page's own nonce-carrying elements; forms post to the site itself.
 */
export function sitePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src * data:',
    'font-src * data:',
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}
