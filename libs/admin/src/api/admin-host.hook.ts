import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { errorBody, VitrineError } from '@vitrine/errors';
import { normalizeHost, type AdminIdentity } from '@vitrine/tenancy';
import { isAdminPagePath } from '../pages/admin-page-paths';
import { isAdminImportPath } from '../imports/admin-import-paths';
import type { AdminTokenService } from './admin-token.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for requests to the admin endpoint on the admin host that carry a valid admin token. */
    adminIdentity?: AdminIdentity;
    /** A token-less request to the admin endpoint, let through for `adminLogin` only. */
    adminSignIn?: boolean;
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
 * token — introspection included — or gets 401 UNAUTHENTICATED. The one exception is a POST
 * without Authorization whose operation is nothing but `adminLogin` (checked once the body is
 * parsed): that is how an admin gets a token. Register it before the tenancy hook, so a tenant
 * host is never resolved for an admin path.
 */
export function registerAdminHostHook(app: FastifyInstance, options: AdminHostOptions): void {
  const hostless = new Set(options.hostlessPaths);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?', 1)[0];
    if (hostless.has(path)) return;
    const onAdminHost = normalizeHost(req.host) === options.adminHost;
    // /admin/imports/* (uploads, reject files) are guarded exactly like the admin endpoint.
    const adminPath = path === ADMIN_GRAPHQL_PATH || isAdminImportPath(path);
    // The admin pages (libs/admin/src/pages): on the admin host only, where their controller
    // checks the admin's session cookie itself; a 404 everywhere else, before any tenant.
    if (isAdminPagePath(path)) {
      if (onAdminHost) return;
      return refuse(reply, 404, 'NOT_FOUND', `Nothing is served at ${req.method} ${path}.`);
    }
    if (!onAdminHost && !adminPath) return;
    if (!onAdminHost || !adminPath)
      return refuse(
        reply,
        404,
        'NOT_FOUND',
        `Nothing is served at ${req.method} ${path}${onAdminHost ? ' on the admin host' : ''}.`,
      );
    if (!req.headers.authorization && req.method === 'POST' && path === ADMIN_GRAPHQL_PATH) {
      req.adminSignIn = true;
      return;
    }
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
  // After body parsing: a token-less request must be a sign-in and nothing else.
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.adminSignIn || isSignInOnly(req.body)) return;
    return refuse(
      reply.header('www-authenticate', 'Bearer realm="vitrine-admin"'),
      401,
      'UNAUTHENTICATED',
      'Admin operations need an admin token: send "Authorization: Bearer <token>" (sign in with the adminLogin mutation, or `vitrine admin token` prints one).',
    );
  });
}

/** Field names a sign-in request may select besides `adminLogin`. */
const SIGN_IN_FIELDS = new Set(['adminLogin', '__typename']);

/**
 * Whether a GraphQL request body runs `adminLogin` and nothing else: one mutation (the one
 * named by operationName, if several), selecting only `adminLogin` (and `__typename`), no
 * fragments at the root. Anything unparsable is not a sign-in (401, not a GraphQL error).
 */
export function isSignInOnly(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string' || query.length > 10_000) return false;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return false;
  }
  const chosen =
    typeof operationName === 'string'
      ? operations.filter((o) => o.name?.value === operationName)
      : operations;
  if (chosen.length !== 1) return false;
  const [operation] = chosen;
  return (
    operation.operation === 'mutation' &&
    operation.selectionSet.selections.length > 0 &&
    operation.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && SIGN_IN_FIELDS.has(s.name.value),
    )
  );
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
