import { LRUCache } from 'lru-cache';
import { globalKey, type CacheStore } from '@vitrine/cache';

/** Apollo's prefix for automatic persisted queries in the KeyValueCache it is given. */
export const APQ_PREFIX = 'apq:';
/** Seconds a registered query is kept in the shared store after its last registration. */
const SHARED_TTL_S = 7 * 24 * 3600;

/**
 * The KeyValueCache behind Apollo's automatic persisted queries (hash → query text): a bounded
 * LRU in process memory, and the shared store (Redis) when there is one, so a query registered
 * through one instance is found by every other — a CDN may send the GET to any of them.
 *
 * Query texts are not tenant data (every tenant serves the same schema), so they are kept under
 * a global key. The response cache reads the same store to learn the query behind a hash.
 */
export class PersistedQueryStore {
  private readonly local = new LRUCache<string, string>({
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (v, k) => v.length + k.length,
  });
  private store: CacheStore | null = null;

  /** The shared store; null or a memory store keeps queries in this process only. */
  attach(store: CacheStore | null): void {
    this.store = store && store.kind !== 'memory' ? store : null;
  }

  async get(key: string): Promise<string | undefined> {
    const hit = this.local.get(key);
    if (hit !== undefined || !this.store) return hit;
    const shared = await this.store.get(globalKey('apq', key));
    if (shared === null) return undefined;
    this.local.set(key, shared);
    return shared;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    this.local.set(key, value);
    const ttl = options?.ttl ?? SHARED_TTL_S;
    await this.store?.set(globalKey('apq', key), value, ttl > 0 ? ttl : SHARED_TTL_S);
  }

  async delete(key: string): Promise<boolean | void> {
    this.local.delete(key);
    await this.store?.del(globalKey('apq', key));
  }

  /** Registers a query under its SHA-256 hash (hex), as Apollo does when it runs one. */
  async register(sha256Hash: string, query: string): Promise<void> {
    if (this.local.get(APQ_PREFIX + sha256Hash) === undefined)
      await this.set(APQ_PREFIX + sha256Hash, query);
  }

  /** The query registered under a SHA-256 hash (hex), if any. */
  queryFor(sha256Hash: string): Promise<string | undefined> {
    return this.get(APQ_PREFIX + sha256Hash);
  }
}
