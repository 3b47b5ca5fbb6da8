import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '@vitrine/tenancy';

/**
 * Catalog pages of a login-only site are for signed-in users: an anonymous visitor is sent to
 * the sign-in page (303), which brings them back to `next` — the page they asked for, always a
 * path on this host. Returns the reply when it redirected, null when the page may render.
 * (The same rule as the API's BROWSE access: anonymous only on a public site.)
 */
export function redirectToSignIn(
  ctx: TenantContext,
  req: FastifyRequest,
  reply: FastifyReply,
): FastifyReply | null {
  if (ctx.user || ctx.tenant.publicBrowsing) return null;
  const next = req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : '/';
  return reply
    .code(303)
    .header('location', `/login?next=${encodeURIComponent(next)}`)
    .header('cache-control', 'private, no-store')
    .send();
}
