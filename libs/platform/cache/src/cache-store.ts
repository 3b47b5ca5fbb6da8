/**
 * The cache and pub/sub seam: Redis when REDIS_URL is set, process memory otherwise.
 * Callers build keys with `tenantKey`/`globalKey` so that every tenant-owned entry starts with
 * the tenant id; invalidation is done by bumping versions that are part of keys, never by
 * scanning keys.
 */
export interface CacheStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Many keys in one round trip; null for each miss, in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<Array<string | null>>;
  /** Many entries with one TTL in one round trip. */
  setMany(entries: ReadonlyArray<readonly [string, string]>, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Atomically increments an integer and returns the new value (version counters). */
  incr(key: string): Promise<number>;
  /**
   * Counts an event in a fixed window: increments the key, starting a window of `ttlSeconds` on
   * the first event; returns the count so far and the seconds until the window ends (rate limits).
   */
  hit(key: string, ttlSeconds: number): Promise<{ count: number; resetInSeconds: number }>;
  publish(channel: string, message: string): Promise<void>;
  /** Subscribes; the returned function unsubscribes. Handlers must not throw. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** A round trip to the backing service, failing when it is down (readiness); memory: none. */
  ping?(): Promise<void>;
  /**
   * Redis only: `listener` runs when pub/sub is back after an outage, during which published
   * messages were lost; callers that cache drop what they hold. Returns an unsubscribe.
   */
  onResume?(listener: () => void): () => void;
}

/** Injection token of the process's CacheStore. */
export const CACHE_STORE = Symbol('CACHE_STORE');

/**
 * Stores put their namespace (CACHE_PREFIX, default `vitrine:`) in front of every key and
 * channel, so installations — or test databases — can share one Redis without seeing each other.
 */
export const DEFAULT_CACHE_PREFIX = 'vitrine:';

/** A key owned by one tenant: `t:<tenantId>:<parts…>`. */
export function tenantKey(tenantId: string, ...parts: Array<string | number>): string {
  if (!tenantId) throw new Error('tenantKey needs a tenant id');
  return `t:${tenantId}:${parts.join(':')}`;
}

/** A key that belongs to no tenant (e.g. the host → tenant directory). */
export function globalKey(...parts: Array<string | number>): string {
  return `g:${parts.join(':')}`;
}

/** A pub/sub channel name. */
export function channelName(name: string): string {
  return `ch:${name}`;
}
