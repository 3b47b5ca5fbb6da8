/**
 * The provisioning scenario (issue #8, scale): N tenants created through the admin API by a few
 * concurrent admin clients, then the storefront catalog page measured again beside the same page
 * measured before, and the API's resident memory with every new tenant created and then served
 * once. Not a replayed request (every createTenant differs and writes), so there is no ceiling:
 * the yardstick of the catalog page is the same page earlier in the same run. See bench/README.md.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { SignJWT } from 'jose';
import { LOOPBACK } from './http';
import type { LoadSummary } from './report';
import type { GraphQLRequest } from './scenarios';

export const PROVISION_SCENARIO = 'provisioning';

/** The seller's admin host: the API's default `ADMIN_HOST`, which the bench does not set. */
export const ADMIN_HOST = 'admin.localhost';

/** Concurrent admin clients creating tenants (and, later, buyers touching them). */
export const PROVISION_CLIENTS = 8;

/** The one category of every provisioned tenant's assortment (a category of the demo catalog). */
export const PROVISION_CATEGORY = 'gereedschap';

/** A request slower than this counts as a TIMEOUT. */
const REQUEST_TIMEOUT_MS = 60_000;

export const CREATE_TENANT_MUTATION = `mutation($i: CreateTenantInput!) {
  createTenant(input: $i) { slug status domains }
}`;

/** What a storefront asks first on every page: resolves the tenant by its Host. */
export const TENANT_NAME_QUERY = '{ tenant { name } }';

/**
 * A tag of this run for the slugs (base 36 seconds since the epoch): a reused data directory or
 * database already holds the tenants of an earlier run, and slugs are unique for life.
 */
export function provisionRunTag(nowMs: number): string {
  return Math.floor(nowMs / 1000).toString(36);
}

/** Slug of provisioned tenant `index` (1-based) of `total`: `prov-<tag>-0001`, padded to sort. */
export function provisionSlug(tag: string, index: number, total: number): string {
  if (!Number.isInteger(index) || index < 1 || index > total)
    throw new RangeError(`tenant ${index} of ${total}`);
  if (!/^[a-z0-9]+$/.test(tag)) throw new RangeError(`run tag '${tag}'`);
  const width = Math.max(4, String(total).length);
  return `prov-${tag}-${String(index).padStart(width, '0')}`;
}

/** The one domain of a provisioned tenant (`*.localhost` needs no DNS: the Host header picks it). */
export function provisionDomain(slug: string): string {
  return `${slug}.localhost`;
}

/** The createTenant request of one tenant: ACTIVE at once, one domain, a one-category assortment. */
export function createTenantRequest(slug: string): GraphQLRequest {
  return {
    query: CREATE_TENANT_MUTATION,
    variables: {
      i: {
        slug,
        name: `Bench ${slug}`,
        status: 'ACTIVE',
        domains: [provisionDomain(slug)],
        locales: ['nl', 'en'],
        currency: 'EUR',
        publicBrowsing: true,
        assortment: { includeCategories: [PROVISION_CATEGORY] },
      },
    },
  };
}

/**
 * The Authorization header of a bootstrap admin token (SUPER_ADMIN), signed as
 * AdminTokenService does: HS256 with a key derived from the API's AUTH_TOKEN_SECRET for admin
 * tokens only, issuer `vitrine`, audience `vitrine-admin`, subject only.
 */
export async function adminAuthorization(
  secret: string,
  subject = 'bench-provisioning',
  ttlHours = 6,
): Promise<string> {
  const key = createHmac('sha256', secret).update('vitrine admin token key v1').digest();
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer('vitrine')
    .setAudience('vitrine-admin')
    .setIssuedAt(now)
    .setExpirationTime(now + ttlHours * 3600)
    .sign(new Uint8Array(key));
  return `Bearer ${token}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a GraphQL response is not the expected success, as an error code, or null: the first
 * error's `extensions.code`, HTTP_<status>, INVALID_JSON, or UNEXPECTED_RESPONSE when `ok`
 * rejects the data.
 */
export function responseProblem(
  status: number,
  body: string,
  ok: (data: Record<string, unknown>) => boolean,
): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return status === 200 ? 'INVALID_JSON' : `HTTP_${status}`;
  }
  if (isRecord(parsed) && Array.isArray(parsed['errors'])) {
    const first: unknown = parsed['errors'][0];
    const code =
      isRecord(first) && isRecord(first['extensions']) ? first['extensions']['code'] : undefined;
    return typeof code === 'string' && code.length > 0 ? code : 'GRAPHQL_ERROR';
  }
  if (status !== 200) return `HTTP_${status}`;
  const data = isRecord(parsed) && isRecord(parsed['data']) ? parsed['data'] : null;
  return data !== null && ok(data) ? null : 'UNEXPECTED_RESPONSE';
}

/** The created tenant is ACTIVE under the slug asked for. */
export function createdOk(slug: string): (data: Record<string, unknown>) => boolean {
  return (data) => {
    const t = data['createTenant'];
    return isRecord(t) && t['slug'] === slug && t['status'] === 'ACTIVE';
  };
}

/** The tenant answered with the name it was created with. */
export function servedOk(slug: string): (data: Record<string, unknown>) => boolean {
  return (data) => isRecord(data['tenant']) && data['tenant']['name'] === `Bench ${slug}`;
}

/** Latency percentiles in milliseconds (nearest rank, so every value is one measured). */
export interface LatencyStats {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Nearest-rank percentile `p` (0 < p ≤ 100) of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of nothing');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p}`);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** {@link LatencyStats} of some durations in milliseconds; all zero for none. */
export function latencyStats(ms: readonly number[]): LatencyStats {
  if (ms.length === 0) return { count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    count: sorted.length,
    meanMs: round1(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    p50Ms: round1(percentile(sorted, 50)),
    p99Ms: round1(percentile(sorted, 99)),
    maxMs: round1(sorted[sorted.length - 1]),
  };
}

/** `after ÷ before` to three decimals; null when there is no before. */
export function relativeChange(after: number, before: number): number | null {
  return before > 0 ? Math.round((after / before) * 1000) / 1000 : null;
}

/** One batch of requests (create every tenant, or touch every tenant). */
export interface BatchSummary {
  /** Requests that succeeded. */
  ok: number;
  /** Wall time of the whole batch, seconds. */
  seconds: number;
  /** Successful requests per second of wall time. */
  perSec: number;
  /** Latency of each successful request. */
  latency: LatencyStats;
  /** Failed requests by error code (see {@link responseProblem}); empty when all went well. */
  errors: Record<string, number>;
}

/** One load of the catalog page against the API (no ceiling: see the file's comment). */
export type PageLoad = LoadSummary;

/** The provisioning scenario's part of the report. */
export interface ProvisioningResult {
  /** Tenants asked for (`--provision`). */
  tenants: number;
  clients: number;
  /** First and last slug created. */
  slugs: { first: string; last: string };
  create: BatchSummary;
  /** `{ tenant { name } }` on every new tenant's domain, once. */
  touch: BatchSummary | null;
  /** The `catalog-page` request (buyer of a demo tenant), before and after provisioning. */
  catalogPage: { host: string; before: PageLoad; after: PageLoad; ratio: number | null };
  /** VmRSS of the API process, kilobytes. */
  rssKb: { before: number | null; afterCreate: number | null; afterTouch: number | null };
}

/** A keep-alive HTTP client for the loopback API: node:http, as fetch drops the Host header. */
export class LoopbackClient {
  private readonly agent: Agent;

  constructor(
    private readonly port: number,
    sockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  }

  /** POSTs a GraphQL request to /graphql (or /admin/graphql) with the given Host. */
  post(
    path: string,
    host: string,
    body: GraphQLRequest,
    authorization?: string,
  ): Promise<{ status: number; body: string }> {
    const text = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const r = request(
        {
          host: LOOPBACK,
          port: this.port,
          method: 'POST',
          path,
          agent: this.agent,
          headers: {
            host,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
            ...(authorization ? { authorization } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      r.setTimeout(REQUEST_TIMEOUT_MS, () => r.destroy(new Error('TIMEOUT')));
      r.on('error', reject);
      r.end(text);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What one request of a batch is: where it goes and what counts as success. */
export interface BatchItem {
  path: string;
  host: string;
  body: GraphQLRequest;
  authorization?: string;
  ok: (data: Record<string, unknown>) => boolean;
}

/**
 * Sends `count` requests, `item(i)` for i = 0…count-1, from `clients` concurrent workers (each
 * takes the next index when its request is answered); every failure is counted by code, none
 * stops the batch.
 */
export async function runBatch(
  client: LoopbackClient,
  count: number,
  clients: number,
  item: (i: number) => BatchItem,
): Promise<BatchSummary> {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const fail = (code: string) => errors.set(code, (errors.get(code) ?? 0) + 1);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const it = item(i);
      const t0 = process.hrtime.bigint();
      try {
        const res = await client.post(it.path, it.host, it.body, it.authorization);
        const problem = responseProblem(res.status, res.body, it.ok);
        if (problem !== null) fail(problem);
        else latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (e) {
        fail((e as Error).message === 'TIMEOUT' ? 'TIMEOUT' : 'CONNECTION_ERROR');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(clients, count)) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    ok: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    perSec: seconds > 0 ? round1(latencies.length / seconds) : 0,
    latency: latencyStats(latencies),
    errors: Object.fromEntries([...errors].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The errors of a batch as `CODE×n, …`, or an empty string. */
export function describeBatchErrors(s: BatchSummary): string {
  return Object.entries(s.errors)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
}

/** One line on a batch for the progress log. */
export function describeBatch(s: BatchSummary, unit: string): string {
  const errors = describeBatchErrors(s);
  return (
    `${s.ok} ${unit} in ${s.seconds} s = ${s.perSec}/s, p50 ${s.latency.p50Ms} ms p99 ${s.latency.p99Ms} ms` +
    (errors ? `; errors: ${errors}` : '')
  );
}

/**
 * req/s with p50 and p99, and the timeouts when there were any: under overload a page's req/s
 * hides requests that never finished (autocannon gives up after 10 s), which the ratio cannot show.
 */
const pageLoad = (l: LoadSummary): string =>
  `${l.reqPerSec.toFixed(1)} req/s p50 ${l.p50Ms} ms p99 ${l.p99Ms} ms` +
  (l.timeouts > 0 ? ` (${l.timeouts} timeouts)` : '');

const mb = (kb: number | null): string => (kb === null ? 'unknown' : `${Math.round(kb / 1024)} MB`);

/** The scenario's summary for people. */
export function formatProvisioning(r: ProvisioningResult): string {
  const page = r.catalogPage;
  const lines = [
    `${PROVISION_SCENARIO}: ${r.tenants} tenants (${r.slugs.first} … ${r.slugs.last}), ${r.clients} admin clients`,
    `  createTenant: ${describeBatch(r.create, 'created')}`,
    ...(r.touch ? [`  first request per tenant: ${describeBatch(r.touch, 'served')}`] : []),
    `  catalog-page (${page.host}): before ${pageLoad(page.before)}, after ${pageLoad(page.after)}, ` +
      `after ÷ before ${page.ratio ?? 'n/a'}`,
    `  API RSS: before ${mb(r.rssKb.before)}, after creating ${mb(r.rssKb.afterCreate)}, after serving each ${mb(r.rssKb.afterTouch)}`,
  ];
  return lines.join('\n');
}
