import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { cacheErrorsCounter, markDegraded } from './cache-health';
import { CacheStore, DEFAULT_CACHE_PREFIX } from './cache-store';

/**
 * Redis-backed cache and pub/sub. Reads and writes degrade instead of failing: a cache that is
 * down must never take the storefront down, so errors are logged and treated as misses.
 * Commands fail fast (no offline queue) so a dead Redis does not add latency to every request.
 */
export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis' as const;
  private readonly log = new Logger('RedisCache');
  private readonly client: Redis;
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Set<(message: string) => void>>();
  private lastErrorLog = 0;
  /** Redis was lost since the last `ready` (logged once, metric raised). */
  private degraded = false;
  private readonly resumeListeners = new Set<() => void>();
  private subscriberLost = false;

  constructor(
    private readonly url: string,
    private readonly prefix = DEFAULT_CACHE_PREFIX,
  ) {
    this.client = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (err: Error) => this.warn('connection', err));
    // Degraded from the moment the connection drops (commands fail fast, no offline queue) until
    // it is ready again: reconnection is ioredis's, with the retry strategy above.
    this.client.on('close', () => this.setDegraded(true));
    this.client.on('ready', () => this.setDegraded(false));
  }

  /**
   * Called when the pub/sub connection is back after an outage: messages published meanwhile
   * were lost, so subscribers that cache should forget what they hold (TenantDirectory does).
   */
  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }

  private setDegraded(degraded: boolean): void {
    if (degraded === this.degraded || (degraded && this.closing)) return;
    this.degraded = degraded;
    markDegraded(this, degraded);
    if (degraded)
      this.log.warn(
        `Redis at ${redact(this.url)} is unreachable: serving from the database without the shared cache (degraded) until it is back`,
      );
    else this.log.log(`Redis at ${redact(this.url)} is back: shared cache resumed`);
  }

  private closing = false;

  /** Resolves once the connection is up (or rejects after `timeoutMs`). */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis at ${redact(this.url)} not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async get(key: string): Promise<string | null> {
    try {
      return await this.client.get(this.prefix + key);
    } catch (err) {
      this.warn('get', err);
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.client.set(this.prefix + key, value, 'EX', Math.max(1, Math.round(ttlSeconds)));
    } catch (err) {
      this.warn('set', err);
    }
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    if (keys.length === 0) return [];
    try {
      return await this.client.mget(keys.map((k) => this.prefix + k));
    } catch (err) {
      this.warn('mget', err);
      return keys.map(() => null);
    }
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, string]>,
    ttlSeconds: number,
  ): Promise<void> {
    if (entries.length === 0) return;
    const ttl = Math.max(1, Math.round(ttlSeconds));
    const pipeline = this.client.pipeline();
    for (const [k, v] of entries) pipeline.set(this.prefix + k, v, 'EX', ttl);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed) this.warn('setMany', failed[0]);
    } catch (err) {
      this.warn('setMany', err);
    }
  }

  /** PING, failing (unlike the cache calls) when Redis cannot be reached: for /readyz. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  async del(key: string): Promise<void> {
    try {
      await this.client.del(this.prefix + key);
    } catch (err) {
      this.warn('del', err);
    }
  }

  async incr(key: string): Promise<number> {
    // Not degraded: a version bump that silently failed would leave stale data everywhere.
    return this.client.incr(this.prefix + key);
  }

  async hit(key: string, ttlSeconds: number): Promise<{ count: number; resetInSeconds: number }> {
    // Not degraded to "allowed": a limiter that fails open is no limiter. Callers decide.
    const full = this.prefix + key;
    const results = await this.client
      .multi()
      .incr(full)
      .expire(full, Math.max(1, Math.round(ttlSeconds)), 'NX')
      .ttl(full)
      .exec();
    if (!results) throw new Error('Redis transaction aborted');
    const count = Number(results[0][1]);
    const ttl = Number(results[2][1]);
    return { count, resetInSeconds: ttl > 0 ? ttl : ttlSeconds };
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(this.prefix + channel, message);
  }

  async subscribe(
    channel: string,
    handler: (message: string) => void,
  ): Promise<() => Promise<void>> {
    const sub = this.subscriber ?? this.createSubscriber();
    const full = this.prefix + channel;
    let set = this.handlers.get(full);
    if (!set) {
      set = new Set();
      this.handlers.set(full, set);
      await sub.subscribe(full);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(full);
        await sub.unsubscribe(full).catch((err: unknown) => this.warn('unsubscribe', err));
      }
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    markDegraded(this, false);
    this.client.disconnect();
    this.subscriber?.disconnect();
  }

  private createSubscriber(): Redis {
    // ioredis re-subscribes by itself after a reconnect.
    const sub = new Redis(this.url, { retryStrategy: (times) => Math.min(times * 200, 2000) });
    sub.on('error', (err: Error) => this.warn('subscriber', err));
    sub.on('close', () => {
      this.subscriberLost = !this.closing;
    });
    sub.on('ready', () => {
      if (!this.subscriberLost) return;
      this.subscriberLost = false;
      for (const listener of this.resumeListeners) listener();
    });
    sub.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
    this.subscriber = sub;
    return sub;
  }

  private warn(op: string, err: unknown): void {
    cacheErrorsCounter.inc({ op });
    // At most one line per second while Redis is down: a flood of identical lines helps nobody.
    const now = Date.now();
    if (now - this.lastErrorLog < 1000) return;
    this.lastErrorLog = now;
    this.log.warn(`Redis ${op} failed (serving without cache): ${(err as Error).message}`);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@]*@/, '//***@');
}
