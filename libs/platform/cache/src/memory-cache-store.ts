import { EventEmitter } from 'node:events';
import { LRUCache } from 'lru-cache';
import { CacheStore } from './cache-store';

/**
 * An in-process message bus. Each MemoryCacheStore gets its own unless one is passed in:
 * tests share one between two app instances in a process to stand in for Redis pub/sub.
 */
export class MemoryBus extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}

/** The embedded cache: a bounded LRU with per-entry TTL, plus pub/sub on a MemoryBus. */
export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory' as const;
  private readonly entries = new LRUCache<string, string>({ max: 50_000, ttlAutopurge: false });
  private readonly counters = new Map<string, number>();

  constructor(private readonly bus: MemoryBus = new MemoryBus()) {}

  async get(key: string): Promise<string | null> {
    return this.entries.get(key) ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlSeconds * 1000 });
  }

  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    return keys.map((k) => this.entries.get(k) ?? null);
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, string]>,
    ttlSeconds: number,
  ): Promise<void> {
    for (const [k, v] of entries) this.entries.set(k, v, { ttl: ttlSeconds * 1000 });
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
    this.counters.delete(key);
  }

  async incr(key: string): Promise<number> {
    const next = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, next);
    return next;
  }

  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  async hit(key: string, ttlSeconds: number): Promise<{ count: number; resetInSeconds: number }> {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      if (this.windows.size > 100_000)
        for (const [k, v] of this.windows) if (v.endsAt <= now) this.windows.delete(k);
      w = { count: 0, endsAt: now + ttlSeconds * 1000 };
      this.windows.set(key, w);
    }
    w.count++;
    return { count: w.count, resetInSeconds: Math.ceil((w.endsAt - now) / 1000) };
  }

  async publish(channel: string, message: string): Promise<void> {
    // Asynchronous like Redis: subscribers never run inside the publisher's call stack.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(
    channel: string,
    handler: (message: string) => void,
  ): Promise<() => Promise<void>> {
    this.bus.on(channel, handler);
    return async () => {
      this.bus.off(channel, handler);
    };
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}
