import type { FastifyRequest } from 'fastify';

/**
 * Whether a path belongs to the microsite's pages (and so to the cookie session and CSRF
 * layer): everything on a tenant host except the API, the admin endpoints, theme assets and
 * health checks. Decided by path, not by Accept, so a form POST from any client is handled the
 * same way. The GraphQL API never sees the session cookie: a cookie-authenticated API would be
 * open to cross-site request forgery.
 */
export function isSitePath(req: FastifyRequest): boolean {
  const path = req.url.split('?', 1)[0];
  return !(
    path === '/graphql' ||
    path.startsWith('/graphql/') ||
    path === '/admin' ||
    path.startsWith('/admin/') ||
    path.startsWith('/theme/') ||
    path === '/healthz' ||
    path === '/readyz'
  );
}
