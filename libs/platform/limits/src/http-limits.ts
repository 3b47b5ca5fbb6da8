import fastifyCors from '@fastify/cors';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import {
  CACHE_STORE,
  globalKey,
  MemoryCacheStore,
  tenantKey,
  type CacheStore,
} from '@vitrine/cache';
import type { AppConfig } from '@vitrine/config';
import { errorBody } from '@vitrine/errors';
import { normalizeHost, type AdminIdentity } from '@vitrine/tenancy';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface SecurityHeadersOptions {
  /** Strict-Transport-Security max-age in seconds; 0 sends none (plain HTTP in development). */
  hstsMaxAgeS: number;
}

/**
 * Security headers on every response (helmet), registered before any other hook so refusals
 * carry them too. The storefront's pages have an inline theme <style> and the quick order's
 * inline <script>, so the default policy only forbids what no page here does: framing by other
 * sites, <base> elsewhere, plugins. The admin pages send their own, stricter policy
 * (default-src 'none', frame-ancestors 'none'), which replaces this one. Cross-Origin-Resource-
 * Policy is left out: e-mails show the tenant's logo from its site in any mail client.
 *
 * helmet's middleware is built once here; the @fastify/helmet plugin rebuilt it (parsing the
 * policy again) on every request, some 7 % of a response-cache hit.
 */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeadersOptions,
): void {
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: helmet.contentSecurityPolicy.dangerouslyDisableDefaultSrc,
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
      },
    },
    crossOriginResourcePolicy: false,
    // The cart's "back" link reads Referer on its own site; nothing leaves for other sites.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity:
      options.hstsMaxAgeS > 0 ? { maxAge: options.hstsMaxAgeS, includeSubDomains: false } : false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
}

export interface RateLimits {
  windowS: number;
  /** Requests per window per tenant, per client address, per account; 0 turns one off. */
  perTenant: number;
  perIp: number;
  perAccount: number;
}

export interface RequestLimitsOptions {
  adminHost: string;
  /** Answered on any host without limits (health checks). */
  hostlessPaths: readonly string[];
  /** The GraphQL endpoints (both hosts): no batches, no foreign origins. */
  graphqlPaths: readonly string[];
  rateLimit: RateLimits;
  /** Redis when REDIS_URL is set, memory otherwise. */
  store: CacheStore;
  /** Browser origins must be https (production). */
  httpsOrigins: boolean;
}

/** The API's request limits from its configuration (bootstrap: one call). */
export function requestLimitsOptions(
  config: Pick<AppConfig, 'adminHost' | 'rateLimit' | 'env'>,
  app: { get(token: symbol): unknown },
  hostlessPaths: readonly string[],
): RequestLimitsOptions {
  return {
    adminHost: config.adminHost,
    hostlessPaths,
    graphqlPaths: ['/graphql', '/admin/graphql'],
    rateLimit: config.rateLimit,
    store: app.get(CACHE_STORE) as CacheStore,
    httpsOrigins: config.env === 'production',
  };
}

type Scope = 'tenant' | 'ip' | 'account';

/**
 * Rate limits, CORS and the refusal of batched GraphQL operations. Register after the admin
 * host and tenancy hooks: the tenant and the account (buyer or admin) are known by then, and
 * nothing that runs a resolver has started.
 */
export async function registerRequestLimits(
  app: FastifyInstance,
  options: RequestLimitsOptions,
): Promise<void> {
  const hostless = new Set(options.hostlessPaths);
  const graphql = new Set(options.graphqlPaths);
  const limiter = new RateLimiter(options.store, options.rateLimit);

  // CORS: only the tenant's own domains on a tenant host; on the admin host only itself.
  const allowed = (req: FastifyRequest, origin: string | undefined): boolean =>
    origin !== undefined && isOwnOrigin(req, origin, options);
  await app.register(fastifyCors, {
    hook: 'onRequest',
    delegator: (req, callback) =>
      callback(null, {
        origin: allowed(req as FastifyRequest, req.headers.origin),
        credentials: true,
        methods: ['GET', 'HEAD', 'POST'],
        maxAge: 600,
      }),
  });
  // A browser's request to a GraphQL endpoint from a foreign page is refused here, not only
  // left unreadable by the browser: the request never reaches Apollo.
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin === undefined || !graphql.has(pathOf(req)) || allowed(req, origin)) return;
    return refuse(
      reply,
      403,
      'ORIGIN_NOT_ALLOWED',
      `Requests from ${origin.slice(0, 200)} are not accepted here: only the site's own domains may call its API.`,
    );
  });

  // After CORS, so that a browser may read a 429 of an allowed origin.
  if (limiter.enabled)
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (hostless.has(pathOf(req))) return;
      const refused = await limiter.check(req);
      if (!refused) return;
      const seconds = Math.max(1, refused.resetInSeconds);
      return reply
        .code(429)
        .header('retry-after', String(seconds))
        .header('content-type', JSON_TYPE)
        .header('cache-control', 'no-store')
        .send(
          JSON.stringify({
            errors: [
              {
                message: `Too many requests ${SCOPE_TEXT[refused.scope]}. Try again in ${seconds} s.`,
                extensions: {
                  code: 'RATE_LIMITED',
                  scope: refused.scope,
                  retryAfterSeconds: seconds,
                },
              },
            ],
          }),
        );
    });

  // One operation per request: an array body is refused before Apollo (which would too, less clearly).
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!Array.isArray(req.body) || !graphql.has(pathOf(req))) return;
    return refuse(
      reply,
      400,
      'BATCHING_NOT_ALLOWED',
      'Batched operations are not accepted: send one GraphQL operation per request.',
    );
  });
}

const SCOPE_TEXT: Record<Scope, string> = {
  tenant: 'to this site',
  ip: 'from your address',
  account: 'from your account',
};

function pathOf(req: FastifyRequest): string {
  return req.url.split('?', 1)[0];
}

function refuse(
  reply: FastifyReply,
  status: number,
  code: 'ORIGIN_NOT_ALLOWED' | 'BATCHING_NOT_ALLOWED',
  message: string,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', JSON_TYPE)
    .header('cache-control', 'no-store')
    .send(errorBody(code, message));
}

/** Whether `origin` is one of the request host's own: a domain of its tenant, or the admin host. */
export function isOwnOrigin(
  req: FastifyRequest,
  origin: string,
  options: Pick<RequestLimitsOptions, 'adminHost' | 'httpsOrigins'>,
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && (options.httpsOrigins || url.protocol !== 'http:')) return false;
  const host = url.hostname.toLowerCase();
  if (req.tenantContext) return req.tenantContext.tenant.domains.includes(host);
  return normalizeHost(req.host) === options.adminHost && host === options.adminHost;
}

const log = new Logger('RateLimit');

/**
 * Fixed-window counters (CacheStore.hit: Redis when configured, shared by every instance;
 * memory otherwise). If Redis fails, counting goes on in this process's memory — degraded
 * (per instance), logged — rather than refusing or letting everything through.
 */
export class RateLimiter {
  private readonly fallback = new MemoryCacheStore();
  private lastWarning = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly limits: RateLimits,
  ) {}

  get enabled(): boolean {
    return this.limits.perTenant > 0 || this.limits.perIp > 0 || this.limits.perAccount > 0;
  }

  /** The first exceeded limit of the request (counting it), or null. */
  async check(req: FastifyRequest): Promise<{ scope: Scope; resetInSeconds: number } | null> {
    const counted: Array<[Scope, string, number]> = [];
    const tenantId = req.tenantContext?.tenantId;
    if (tenantId && this.limits.perTenant > 0)
      counted.push(['tenant', tenantKey(tenantId, 'rl', 'tenant'), this.limits.perTenant]);
    if (this.limits.perIp > 0)
      counted.push(['ip', globalKey('rl', 'ip', req.ip), this.limits.perIp]);
    const account = accountKey(req);
    if (account && this.limits.perAccount > 0)
      counted.push(['account', account, this.limits.perAccount]);
    const hits = await Promise.all(counted.map(([, key]) => this.hit(key)));
    for (let i = 0; i < counted.length; i++)
      if (hits[i].count > counted[i][2])
        return { scope: counted[i][0], resetInSeconds: hits[i].resetInSeconds };
    return null;
  }

  private async hit(key: string): Promise<{ count: number; resetInSeconds: number }> {
    try {
      return await this.store.hit(key, this.limits.windowS);
    } catch (err) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        log.warn(`Rate limits counted in this process only: ${(err as Error).message}`);
      }
      return this.fallback.hit(key, this.limits.windowS);
    }
  }
}

/** The signed-in buyer (per tenant) or admin of a request; null when anonymous. */
function accountKey(req: FastifyRequest): string | null {
  const user = req.tenantContext?.user;
  if (user) return tenantKey(req.tenantContext!.tenantId, 'rl', 'user', user.id);
  // Set by the admin host hook (libs/admin) for requests with a valid admin token.
  const admin = (req as { adminIdentity?: AdminIdentity }).adminIdentity;
  return admin ? globalKey('rl', 'admin', admin.id ?? admin.subject) : null;
}
