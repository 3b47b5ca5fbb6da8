import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The raw session token (the database keeps only its SHA-256). */
export const SESSION_COOKIE = 'vitrine_session';
/** A random id of an anonymous visitor: their CSRF token is an HMAC of it. */
export const ANON_COOKIE = 'vitrine_anon';
/** The visitor's chosen language (`?lang=xx`); wins over Accept-Language. */
export const LANG_COOKIE = 'vitrine_lang';
/** A signed one-time notice shown by the next page (after a POST-redirect). */
export const NOTICE_COOKIE = 'vitrine_notice';

/**
 * Every cookie of the site: host-only (no Domain, so one tenant's cookie is never sent to
 * another tenant's host), HttpOnly, SameSite=Lax (sent on top-level navigations, not on
 * cross-site POSTs or subresources), Secure when the request came over TLS — `req.protocol`
 * honours X-Forwarded-Proto only from TRUSTED_PROXIES.
 */
export function cookieOptions(req: FastifyRequest, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  };
}

export function clearCookie(req: FastifyRequest, reply: FastifyReply, name: string): void {
  reply.clearCookie(name, cookieOptions(req));
}

/**
 * Shows `text` once on the next page this visitor opens (the usual POST → 303 → GET): "Order
 * 2026-00042 placed". Signed, so nobody can plant a message on the site through a cookie.
 */
export function setNotice(req: FastifyRequest, reply: FastifyReply, text: string): void {
  reply.setCookie(NOTICE_COOKIE, text.slice(0, 500), { ...cookieOptions(req, 120), signed: true });
}
