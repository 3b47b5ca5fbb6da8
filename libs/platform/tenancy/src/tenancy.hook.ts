import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, VitrineError } from '@vitrine/errors';
import { normalizeHost } from './normalize-host';
import {
  createTenantContext,
  tenantStorage,
  type AuthUser,
  type TenantContext,
} from './tenant-context';
import type { TenantSnapshot } from './tenant-snapshot';
import type { TenantDirectory } from './tenant-directory.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the tenancy hook for every request on a tenant host. */
    tenantContext?: TenantContext;
  }
}

export interface TenancyHookOptions {
  /** Paths answered on any host (health checks); they get no tenant. */
  hostlessPaths: readonly string[];
  /** The seller's admin host: no tenant, never a microsite. */
  adminHost: string;
  /**
   * Who is calling, from the Authorization header: a user of this tenant, or null (anonymous).
   * Throws a VitrineError (UNAUTHENTICATED) for a token that is invalid here.
   */
  authenticate?: (
    authorization: string | undefined,
    tenant: TenantSnapshot,
    req: FastifyRequest,
  ) => Promise<AuthUser | null>;
  /**
   * A locale the visitor chose explicitly (the microsite's `?lang=` / language cookie): one of
   * the tenant's locales, winning over Accept-Language; undefined leaves it to Accept-Language.
   */
  localeOf?: (req: FastifyRequest, tenant: TenantSnapshot) => string | undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Resolves the tenant of every request from its Host (or, from a trusted proxy only, its
 * X-Forwarded-Host: Fastify's `trustProxy` decides which peers count as trusted) before any
 * route runs. Unknown hosts get 404 TENANT_NOT_FOUND, suspended tenants 403 TENANT_SUSPENDED;
 * there is no default tenant to fall back to.
 */
export function registerTenancyHook(
  app: FastifyInstance,
  directory: TenantDirectory,
  options: TenancyHookOptions,
): void {
  const hostless = new Set(options.hostlessPaths);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?', 1)[0];
    if (hostless.has(path)) return;
    const host = normalizeHost(req.host);
    if (host === options.adminHost) return;
    if (!host) return refuse(reply, 400, 'BAD_USER_INPUT', 'The request has no valid Host header.');
    const tenant = await directory.resolveHost(host);
    if (!tenant || tenant.status === 'ARCHIVED' || tenant.status === 'DRAFT') {
      return refuse(
        reply,
        404,
        'TENANT_NOT_FOUND',
        `No microsite is configured for host "${host}".`,
      );
    }
    if (tenant.status === 'SUSPENDED') {
      return refuse(
        reply,
        403,
        'TENANT_SUSPENDED',
        `The microsite "${tenant.name}" is suspended. Please contact your account manager.`,
      );
    }
    let user: AuthUser | null = null;
    if (options.authenticate) {
      try {
        user = await options.authenticate(req.headers.authorization, tenant, req);
      } catch (err) {
        if (err instanceof VitrineError && err.code === 'UNAUTHENTICATED')
          return refuse(reply, 401, 'UNAUTHENTICATED', err.message);
        throw err;
      }
    }
    const acceptLanguage = req.headers['accept-language'];
    const chosen = options.localeOf?.(req, tenant);
    req.tenantContext = createTenantContext(
      tenant,
      String(req.id),
      // A chosen locale is one of the tenant's, so negotiation picks exactly it.
      chosen ?? (typeof acceptLanguage === 'string' ? acceptLanguage : undefined),
      user,
    );
  });

  // Route handlers run inside the request's AsyncLocalStorage scope (for logs and deep helpers);
  // code still receives ctx explicitly.
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.tenantContext) tenantStorage.run(req.tenantContext, done);
    else done();
  });
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: 'BAD_USER_INPUT' | 'TENANT_NOT_FOUND' | 'TENANT_SUSPENDED' | 'UNAUTHENTICATED',
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .header('cache-control', 'no-store')
    .send(errorBody(code, message));
}
