import { Counter, Gauge, register } from 'prom-client';

/** Stores whose Redis connection is not ready right now (read by the gauge at scrape time). */
const degradedStores = new Set<object>();

function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * `vitrine_cache_degraded`: 1 while Redis is unreachable and the process serves from the
 * database (and its own memory) instead; 0 when every store is connected.
 */
export const cacheDegradedGauge = metric(
  'vitrine_cache_degraded',
  () =>
    new Gauge({
      name: 'vitrine_cache_degraded',
      help: '1 while Redis is unreachable and requests are served without the shared cache',
      collect() {
        this.set(degradedStores.size > 0 ? 1 : 0);
      },
    }),
);

/** `vitrine_cache_errors_total{op}`: Redis commands that failed and were served without it. */
export const cacheErrorsCounter = metric(
  'vitrine_cache_errors_total',
  () =>
    new Counter({
      name: 'vitrine_cache_errors_total',
      help: 'Redis commands that failed (treated as cache misses or skipped writes)',
      labelNames: ['op'] as const,
    }),
);

export function markDegraded(store: object, degraded: boolean): void {
  if (degraded) degradedStores.add(store);
  else degradedStores.delete(store);
}

/** Whether any store of this process is degraded now (tests, readiness). */
export function cacheDegraded(): boolean {
  return degradedStores.size > 0;
}
