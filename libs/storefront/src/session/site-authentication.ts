import type { FastifyRequest } from 'fastify';
import type { AuthUser, TenantSnapshot } from '@vitrine/tenancy';
import { SESSION_COOKIE } from './site-cookies';
import { isSitePath } from './site-paths';
import type { WebSessionService } from './web-session.service';

/**
 * Who is calling, for the tenancy hook: an Authorization header wins (API clients, tests); for
 * page requests without one, the `vitrine_session` cookie of this tenant's host. The cookie is
 * never read for /graphql or /admin — the API is not cookie-authenticated, so it needs no CSRF
 * defence. A cookie that names no live session here is ignored (anonymous) and cleared by the
 * site hook.
 */
export function siteAuthentication(
  sessions: WebSessionService,
  bearer: (authorization: string | undefined, tenant: TenantSnapshot) => Promise<AuthUser | null>,
) {
  return async (
    authorization: string | undefined,
    tenant: TenantSnapshot,
    req: FastifyRequest,
  ): Promise<AuthUser | null> => {
    if (authorization || !isSitePath(req)) return bearer(authorization, tenant);
    const token = req.cookies?.[SESSION_COOKIE];
    if (!token) return null;
    const found = await sessions.lookup(tenant, token);
    if (found.kind === 'stale') {
      req.staleSessionCookie = true;
      return null;
    }
    req.webSession = found.state;
    return found.user;
  };
}
