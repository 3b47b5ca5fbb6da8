import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { tenantKey, type CacheStore } from '@vitrine/cache';
import type { TenantContext } from '@vitrine/tenancy';
import type { TenantSnapshot } from '@vitrine/tenancy';

/** Settings of the whole-response cache (RESPONSE_CACHE_* in the configuration). */
export interface ResponseCacheOptions {
  /** False: no lookup, no store (RESPONSE_CACHE=off). Headers are still set. */
  enabled: boolean;
  /** Also keep answers in the shared store (Redis) so instances share them. */
  shared: boolean;
  /** Seconds an answer is served at most: bounds what no version covers (stock, price dates, catalog imports). */
  ttlSeconds: number;
  /** max-age of anonymous answers of public sites (Cache-Control: public). */
  publicMaxAgeSeconds: number;
  /** Bound of the in-process store, in bytes of response bodies. */
  maxBytes: number;
}

/** One cached answer: the exact bytes and their content type. */
export interface CachedResponse {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Everything of a request that may change the answer of a cacheable operation. */
export interface ResponseKeyParts {
  readonly ctx: TenantContext;
  readonly documentId: string;
  readonly operationName: string | null;
  /** The variables as sent (raw JSON text for GET, re-serialized for POST). */
  readonly variables: string;
  /** The Accept header: Apollo picks the response's content type from it. */
  readonly accept: string;
}

const fingerprints = new WeakMap<TenantSnapshot, string>();

/**
 * A fingerprint of everything the directory knows about a tenant: its version (bumped by every
 * price and contract change) and its settings (locales, price lists, discount, public browsing,
 * list prices, theme, assortment rules). Snapshots are frozen and replaced on every change that
 * the directory publishes, so the fingerprint is computed once per snapshot.
 */
export function tenantFingerprint(tenant: TenantSnapshot): string {
  let fp = fingerprints.get(tenant);
  if (fp === undefined) {
    fp = createHash('sha256').update(JSON.stringify(tenant)).digest('base64url').slice(0, 16);
    fingerprints.set(tenant, fp);
  }
  return fp;
}

/**
 * Whose answer it is. Anonymous visitors share one; a signed-in user shares answers with the
 * users of the same company who have the same roles and price visibility, and only while the
 * company's VAT country and VAT id (which decide the tax fields) are the same.
 */
export function viewerKey(ctx: TenantContext): string {
  const user = ctx.user;
  if (!user) return 'anon';
  const company = user.company;
  const roles = [...user.roles].sort().join(',');
  return [
    'user',
    company ? `${company.id}/${company.country}/${company.vatId ?? ''}` : '-',
    user.canSeePrices ? 'prices' : 'no-prices',
    roles,
  ].join('|');
}

/** The key of an answer in process memory; the shared store uses its hash under the tenant. */
export function responseKey(p: ResponseKeyParts): string {
  return [
    p.ctx.tenantId,
    tenantFingerprint(p.ctx.tenant),
    p.ctx.locale,
    viewerKey(p.ctx),
    p.accept,
    p.documentId,
    p.operationName ?? '',
    p.variables,
  ].join('\u0001');
}

/**
 * Whole GraphQL answers by key: a size-bounded LRU in process memory, optionally backed by the
 * shared store. Entries are never invalidated one by one: a change makes their keys unreachable
 * (the tenant fingerprint moves), and the TTL bounds the rest.
 */
export class ResponseCache {
  private readonly local: LRUCache<string, CachedResponse>;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly options: ResponseCacheOptions,
    private readonly store: CacheStore | null,
  ) {
    this.local = new LRUCache<string, CachedResponse>({
      maxSize: Math.max(1, options.maxBytes),
      sizeCalculation: (v, k) => v.body.length + k.length + 64,
      ttl: options.ttlSeconds * 1000,
      ttlAutopurge: false,
    });
  }

  private get sharedStore(): CacheStore | null {
    return this.options.shared && this.store && this.store.kind !== 'memory' ? this.store : null;
  }

  /** The answer from memory only (the hook's synchronous fast path). */
  getLocal(key: string): CachedResponse | undefined {
    return this.local.get(key);
  }

  /** The answer from the shared store (after a local miss), copied into memory. */
  async getShared(tenantId: string, key: string): Promise<CachedResponse | undefined> {
    const store = this.sharedStore;
    if (!store) return undefined;
    const raw = await store.get(sharedKey(tenantId, key));
    if (raw === null) return undefined;
    const cut = raw.indexOf('\n');
    if (cut < 0) return undefined;
    const entry = { contentType: raw.slice(0, cut), body: Buffer.from(raw.slice(cut + 1)) };
    this.local.set(key, entry);
    return entry;
  }

  async set(tenantId: string, key: string, entry: CachedResponse): Promise<void> {
    this.local.set(key, entry);
    const store = this.sharedStore;
    if (store)
      await store.set(
        sharedKey(tenantId, key),
        `${entry.contentType}\n${entry.body.toString()}`,
        this.options.ttlSeconds,
      );
  }

  count(hit: boolean): void {
    if (hit) this.hits++;
    else this.misses++;
  }

  stats(): { hits: number; misses: number; entries: number; bytes: number } {
    return {
      hits: this.hits,
      misses: this.misses,
      entries: this.local.size,
      bytes: this.local.calculatedSize,
    };
  }

  clear(): void {
    this.local.clear();
  }
}

function sharedKey(tenantId: string, key: string): string {
  return tenantKey(tenantId, 'rc', createHash('sha256').update(key).digest('base64url'));
}
