import type { FastifyInstance } from 'fastify';
import type { CacheStore } from '@vitrine/cache';
import type { AppConfig } from '@vitrine/config';
import { PersistedQueryStore } from './persisted-query-store';
import { ResponseCache } from './response-cache';
import { registerResponseCache } from './response-cache.hook';

export * from './document-policy';
export * from './persisted-query-store';
export * from './response-cache';
export { registerResponseCache } from './response-cache.hook';

/**
 * Installs the storefront's response cache on the Fastify instance (after the tenancy hook) and
 * connects the persisted-query store Apollo was given to the shared cache store. Returns the
 * cache (tests read its stats).
 */
export function installResponseCache(
  app: FastifyInstance,
  config: AppConfig,
  store: CacheStore,
  persisted: PersistedQueryStore,
): ResponseCache {
  persisted.attach(store);
  const rc = config.responseCache;
  const cache = new ResponseCache(
    {
      enabled: rc.enabled,
      shared: rc.shared,
      ttlSeconds: rc.ttlS,
      publicMaxAgeSeconds: rc.publicMaxAgeS,
      maxBytes: rc.maxBytes,
    },
    store,
  );
  registerResponseCache(app, cache, persisted);
  return cache;
}
