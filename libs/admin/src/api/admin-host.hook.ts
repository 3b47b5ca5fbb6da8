import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { errorBody, VitrineError } from '@vitrine/errors';
import { normalizeHost, type AdminIdentity } from '@vitrine/tenancy';
import { auditActor } from '../accounts/admin-policy';
import type { AuditLog } from '../audit/audit-log.service';
import { isAdminPagePath } from '../pages/admin-page-paths';
import { isAdminImportPath } from '../imports/admin-import-paths';
import { ADMIN_TOKEN_AUDIENCE, type AdminTokenService } from './admin-token.service';

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
  /** Where an admin token used on another host is recorded (REFUSED). */
  audit?: AuditLog;
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
    if (!onAdminHost && req.headers.authorization) {
      const notFound = adminPath || isAdminPagePath(path);
      const refused = await refuseAdminToken(req, reply, options, path, notFound);
      if (refused) return refused;
    }
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

const ADMIN_TOKEN_ELSEWHERE =
  'An admin token is not accepted on a microsite: the admin API is /admin/graphql on the admin host. The attempt was logged.';

/**
 * A valid admin token on another host than the admin host: refused — 404 for the admin paths
 * (as without a token), 401 everywhere else — before any tenant is resolved or anything runs,
 * and the attempt is in the audit log (`admin-token.tenant-host`, REFUSED, the admin as actor,
 * host and path as target). Null (the request goes on as before) for every other token: only
 * a token whose unverified claims name the admin audience is verified, so a buyer's request
 * costs one base64 decode of the payload and a substring search (no JSON, no database). A forged or expired admin token is not
 * logged (it proves nobody) and meets the usual refusal further on.
 */
async function refuseAdminToken(
  req: FastifyRequest,
  reply: FastifyReply,
  options: AdminHostOptions,
  path: string,
  notFound: boolean,
): Promise<FastifyReply | null> {
  const authorization = req.headers.authorization;
  if (!options.audit || !authorization || !claimsAdminAudience(authorization)) return null;
  let admin: AdminIdentity;
  try {
    admin = await options.tokens.authenticate(authorization);
  } catch (err) {
    if (err instanceof VitrineError) return null;
    throw err;
  }
  const [status, code, message] = notFound
    ? ([404, 'NOT_FOUND', `Nothing is served at ${req.method} ${path}.`] as const)
    : ([401, 'UNAUTHENTICATED', ADMIN_TOKEN_ELSEWHERE] as const);
  try {
    await options.audit.refused({
      actor: auditActor(admin),
      action: 'admin-token.tenant-host',
      tenantId: null,
      target: `${normalizeHost(req.host)} ${req.method} ${path}`.slice(0, 500),
      before: null,
      after: null,
      reason: `${code}: an admin token on a host other than the admin host`,
    });
  } catch (err) {
    // The refusal matters more than its log line: refuse anyway.
    req.log.error({ err }, 'Could not write the audit row of an admin token on a tenant host');
  }
  if (status === 401) reply.header('www-authenticate', 'Bearer realm="vitrine"');
  return refuse(reply, status, code, message);
}

/**
 * Whether a bearer token's payload — decoded, NOT verified — names the admin audience. Cheap
 * (no signature, no database); only a hint of which tokens are worth verifying.
 */
export function claimsAdminAudience(authorization: string): boolean {
  if (authorization.length > 8192 || !/^bearer\s/i.test(authorization)) return false;
  const token = authorization.slice(7).trim();
  const first = token.indexOf('.');
  const second = first < 1 ? -1 : token.indexOf('.', first + 1);
  if (second < 0) return false;
  const payload = Buffer.from(token.slice(first + 1, second), 'base64url').toString('utf8');
  // Most tokens here are buyers': no JSON parse unless the audience's name is in there at all.
  if (!payload.includes(ADMIN_TOKEN_AUDIENCE)) return false;
  let claims: unknown;
  try {
    claims = JSON.parse(payload);
  } catch {
    return false;
  }
  const aud = (claims as { aud?: unknown } | null)?.aud;
  return (
    aud === ADMIN_TOKEN_AUDIENCE || (Array.isArray(aud) && aud.includes(ADMIN_TOKEN_AUDIENCE))
  );
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
