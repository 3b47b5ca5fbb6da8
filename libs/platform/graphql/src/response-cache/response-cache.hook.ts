import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, register } from 'prom-client';
import type { TenantContext } from '@vitrine/tenancy';
import { DocumentPolicies } from './document-policy';
import type { PersistedQueryStore } from './persisted-query-store';
import { responseKey, type ResponseCache } from './response-cache';

const GRAPHQL_PATH = '/graphql';
/** Apollo's csrfPrevention: these headers (or a non-simple content type) prove a preflight. */
const PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'] as const;
const SIMPLE_CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
];
/** Everything in the key that comes from a request header (Host selects the tenant). */
const VARY = ['Accept', 'Accept-Language', 'Authorization'];

type Outcome = 'hit' | 'miss' | 'bypass';

const requests =
  (register.getSingleMetric('vitrine_response_cache_requests_total') as Counter<'result'>) ??
  new Counter({
    name: 'vitrine_response_cache_requests_total',
    help: 'Storefront GraphQL requests by response cache outcome: hit, miss (cacheable, executed), bypass (not cacheable or cache off).',
    labelNames: ['result'],
  });

/** What the preHandler decided for one request, read back in onSend. */
interface Decision {
  ctx: TenantContext;
  /** Null: not cacheable (mutation, user data, unknown persisted query, CSRF-suspect). */
  key: string | null;
  hit: boolean;
  /** The first miss of a key computes it; this lets the requests waiting for it go on. */
  release?: () => void;
}

/** How long a request waits for an identical one in progress before computing its own. */
const COALESCE_WAIT_MS = 5_000;

interface GraphQLParams {
  query: string | undefined;
  operationName: string | null;
  variables: string;
  hash: string | undefined;
}

/**
 * The whole-response cache of the storefront API, in front of Apollo: a `preHandler` hook on
 * `/graphql` (GET and POST, after tenancy and authentication) answers cacheable queries from the
 * cache without running Apollo; an `onSend` hook stores the answers of misses and sets
 * `Cache-Control` / `Vary` on every `/graphql` answer. Register after the tenancy hook.
 */
export function registerResponseCache(
  app: FastifyInstance,
  cache: ResponseCache,
  persisted: PersistedQueryStore,
): void {
  const policies = new DocumentPolicies();
  const decisions = new WeakMap<FastifyRequest, Decision>();
  const options = cache.options;
  /** Keys being computed by a request of this process, and when they are done. */
  const inflight = new Map<string, Promise<void>>();
  const lead = (key: string): (() => void) => {
    let done!: () => void;
    inflight.set(key, new Promise<void>((resolve) => (done = resolve)));
    return () => {
      inflight.delete(key);
      done();
    };
  };
  const release = (req: FastifyRequest) => {
    const decision = decisions.get(req);
    decision?.release?.();
    if (decision) decision.release = undefined;
  };

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url;
    if (!url.startsWith(GRAPHQL_PATH) || (url.length > 8 && url[8] !== '?')) return;
    const ctx = req.tenantContext;
    if (!ctx || (req.method !== 'GET' && req.method !== 'POST')) return;
    const decision: Decision = { ctx, key: null, hit: false };
    decisions.set(req, decision);
    const params = graphqlParams(req);
    if (!params || mayBeCsrf(req)) return;
    let query = params.query;
    if (query === undefined && params.hash !== undefined)
      query = await persisted.queryFor(params.hash);
    // Unknown hash: Apollo answers PERSISTED_QUERY_NOT_FOUND.
    if (query === undefined) return;
    const policy = policies.of(query, params.operationName);
    if (!policy.cacheable) return;
    const accept = req.headers.accept;
    decision.key = responseKey({
      ctx,
      documentId: policy.id,
      operationName: params.operationName,
      variables: params.variables,
      accept: typeof accept === 'string' ? accept : '',
    });
    if (!options.enabled) return;
    const key = decision.key;
    let found = cache.getLocal(key) ?? (await cache.getShared(ctx.tenantId, key));
    if (!found) {
      // Coalescing: when an entry expires (or a version bump retires it) under load, the
      // identical requests arriving meanwhile wait for the first one instead of all running
      // the same resolvers. An answer that is not stored (errors) lets the next one compute.
      const pending = inflight.get(key);
      if (pending) {
        await waitAtMost(pending, COALESCE_WAIT_MS);
        found = cache.getLocal(key);
      }
      if (!found) {
        if (!inflight.has(key)) decision.release = lead(key);
        return;
      }
    }
    decision.hit = true;
    // Apollo registers a persisted query when it runs one sent with its text; on a hit it does
    // not run, so the hook registers it (the document id is the text's SHA-256).
    if (params.query !== undefined && params.hash === policy.id)
      await persisted.register(policy.id, params.query);
    return reply.code(200).header('content-type', found.contentType).send(found.body);
  });

  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const decision = decisions.get(req);
    if (!decision) return payload;
    const { ctx, key, hit } = decision;
    setHeaders(reply, ctx, key !== null, options.publicMaxAgeSeconds);
    let outcome: Outcome = 'bypass';
    if (hit) outcome = 'hit';
    else if (key !== null && options.enabled) {
      outcome = 'miss';
      if (reply.statusCode === 200 && typeof payload === 'string' && !hasErrors(payload)) {
        const contentType = String(reply.getHeader('content-type') ?? 'application/json');
        await cache.set(ctx.tenantId, key, { body: Buffer.from(payload), contentType });
      }
      release(req);
    }
    if (options.enabled) {
      cache.count(outcome === 'hit');
      reply.header('x-vitrine-cache', outcome.toUpperCase());
    }
    requests.inc({ result: outcome });
    return payload;
  });
  // Whatever happened to a leading request (an error, a client gone), its waiters go on.
  app.addHook('onResponse', async (req: FastifyRequest) => release(req));
  app.addHook('onRequestAbort', async (req: FastifyRequest) => release(req));
}

/** Resolves when `promise` does or after `ms`, whichever comes first. */
async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/**
 * `no-store` unless the operation is cacheable and answered without errors; cacheable answers
 * are `public` (with max-age, for shared caches and CDNs) only for anonymous visitors of a
 * public site, and `private, no-cache` for anyone signed in: never stored by a shared cache,
 * never shown from a browser's cache without asking again.
 */
function setHeaders(
  reply: FastifyReply,
  ctx: TenantContext,
  cacheable: boolean,
  publicMaxAge: number,
): void {
  if (!cacheable || reply.statusCode !== 200) {
    reply.header('cache-control', 'no-store');
    return;
  }
  const vary = reply.getHeader('vary');
  const have = typeof vary === 'string' ? vary.toLowerCase().split(/\s*,\s*/) : [];
  const add = VARY.filter((h) => !have.includes(h.toLowerCase()));
  if (add.length)
    reply.header('vary', [typeof vary === 'string' ? vary : '', ...add].filter(Boolean).join(', '));
  if (!ctx.user && ctx.tenant.publicBrowsing && publicMaxAge > 0)
    reply.header('cache-control', `public, max-age=${publicMaxAge}`);
  else reply.header('cache-control', 'private, no-cache');
}

/** An answer with a top-level `errors` member (GraphQL errors come with a 200 too). */
function hasErrors(payload: string): boolean {
  return payload.includes('"errors":');
}

/**
 * Would Apollo's csrfPrevention block this request? Then it must not be answered from the
 * cache either: Apollo refuses it with 400.
 */
function mayBeCsrf(req: FastifyRequest): boolean {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) {
    const essence = contentType.split(';', 1)[0].trim().toLowerCase();
    if (!SIMPLE_CONTENT_TYPES.includes(essence)) return false;
  }
  for (const h of PREFLIGHT_HEADERS) {
    const v = req.headers[h];
    if (typeof v === 'string' && v.length > 0) return false;
  }
  return true;
}

/** query, operationName, variables and persisted-query hash of a GET or a single POST. */
function graphqlParams(req: FastifyRequest): GraphQLParams | null {
  if (req.method === 'GET') {
    const q = req.query as Record<string, unknown> | undefined;
    if (!q) return null;
    const query = typeof q['query'] === 'string' ? q['query'] : undefined;
    const operationName = typeof q['operationName'] === 'string' ? q['operationName'] : null;
    const variables = typeof q['variables'] === 'string' ? q['variables'] : '';
    let hash: string | undefined;
    if (typeof q['extensions'] === 'string' && q['extensions'].includes('persistedQuery')) {
      try {
        hash = persistedHash(JSON.parse(q['extensions']));
      } catch {
        return null;
      }
    }
    return { query, operationName, variables, hash };
  }
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const query = typeof b['query'] === 'string' ? b['query'] : undefined;
  const operationName = typeof b['operationName'] === 'string' ? b['operationName'] : null;
  const variables = b['variables'] == null ? '' : JSON.stringify(b['variables']);
  return { query, operationName, variables, hash: persistedHash(b['extensions']) };
}

function persistedHash(extensions: unknown): string | undefined {
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const pq = (extensions as Record<string, unknown>)['persistedQuery'];
  if (typeof pq !== 'object' || pq === null) return undefined;
  const hash = (pq as Record<string, unknown>)['sha256Hash'];
  return typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash) ? hash : undefined;
}
