import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, VitrineError } from '@vitrine/errors';
import { normalizeHost, type AdminIdentity } from '@vitrine/tenancy';
import type { AdminTokenService } from './admin-token.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for requests to the admin endpoint on the admin host that carry a valid admin token. */
    adminIdentity?: AdminIdentity;
  }
}

/** Where the admin GraphQL API is served (on the admin host only). */
export const ADMIN_GRAPHQL_PATH = '/admin/graphql';

export interface AdminHostOptions {
  /** The seller's admin host (config `adminHost`), already normalized. */
  adminHost: string;
  /** Paths answered on any host (health checks). */
  hostlessPaths: readonly string[];
  tokens: AdminTokenService;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Keeps the admin API and the microsites apart, before any route runs: the admin endpoint
 * answers 404 on every host but the admin host, the admin host serves nothing but the admin
 * endpoint (and health checks), and every request to the admin endpoint needs a valid admin
 * token — introspection included — or gets 401 UNAUTHENTICATED. Register it before the
 * tenancy hook, so a tenant host is never resolved for an admin path.
 */
export function registerAdminHostHook(app: FastifyInstance, options: AdminHostOptions): void {
  const hostless = new Set(options.hostlessPaths);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?', 1)[0];
    if (hostless.has(path)) return;
    const onAdminHost = normalizeHost(req.host) === options.adminHost;
    const adminPath = path === ADMIN_GRAPHQL_PATH;
    if (!onAdminHost && !adminPath) return;
    if (!onAdminHost || !adminPath)
      return refuse(
        reply,
        404,
        'NOT_FOUND',
        `Nothing is served at ${req.method} ${path}${onAdminHost ? ' on the admin host' : ''}.`,
      );
    try {
      req.adminIdentity = await options.tokens.authenticate(req.headers.authorization);
    } catch (err) {
      if (err instanceof VitrineError && err.code === 'UNAUTHENTICATED')
        return refuse(
          reply.header('www-authenticate', 'Bearer realm="vitrine-admin"'),
          401,
          err.code,
          err.message,
        );
      throw err;
    }
  });
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: 'NOT_FOUND' | 'UNAUTHENTICATED',
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .header('cache-control', 'no-store')
    .send(errorBody(code, message));
}
