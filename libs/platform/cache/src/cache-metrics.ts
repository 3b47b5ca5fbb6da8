import { Counter, register } from 'prom-client';
import type { CacheStore } from './cache-store';

const NAME = 'vitrine_cache_lookups_total';

/** Cache lookups by area (the key's first part after the tenant) and result: the hit ratio. */
export const cacheLookups =
  (register.getSingleMetric(NAME) as Counter<'area' | 'result'> | undefined) ??
  new Counter({
    name: NAME,
    help: 'Cache lookups (get/getMany keys) by area — the key part after t:<tenant>: or g: (e.g. px, tenant-host) — and result (hit, miss). Hit ratio: hit / (hit + miss).',
    labelNames: ['area', 'result'] as const,
  });

const MAX_AREAS = 40;
const areas = new Set<string>();
const AREA = /^[a-z][a-z0-9_-]{0,31}$/;

/** The area of a key: `t:<tenant>:px:…` → `px`, `g:tenant-host:…` → `tenant-host`; bounded. */
export function cacheArea(key: string): string {
  const parts = key.split(':', 3);
  const area = parts[0] === 't' ? parts[2] : parts[0] === 'g' ? parts[1] : undefined;
  if (!area || !AREA.test(area)) return 'other';
  if (areas.has(area)) return area;
  if (areas.size >= MAX_AREAS) return 'other';
  areas.add(area);
  return area;
}

/** Counts one lookup's outcome (also for caches outside the store, e.g. in-process ones). */
export function countCacheLookup(area: string, hit: boolean): void {
  cacheLookups.inc({ area, result: hit ? 'hit' : 'miss' });
}

/**
 * The store with its reads counted. Everything else passes straight through (whatever methods
 * the store has), so the seam stays one object and one interface.
 */
export function meteredCacheStore(store: CacheStore): CacheStore {
  const get: CacheStore['get'] = async (key) => {
    const value = await store.get(key);
    countCacheLookup(cacheArea(key), value !== null);
    return value;
  };
  const getMany: CacheStore['getMany'] = async (keys) => {
    const values = await store.getMany(keys);
    for (let i = 0; i < keys.length; i++) countCacheLookup(cacheArea(keys[i]), values[i] !== null);
    return values;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'get') return get;
      if (prop === 'getMany') return getMany;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
