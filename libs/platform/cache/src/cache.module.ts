import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { meteredCacheStore } from './cache-metrics';
import { CACHE_STORE, CacheStore, DEFAULT_CACHE_PREFIX } from './cache-store';
import { MemoryBus, MemoryCacheStore } from './memory-cache-store';
import { RedisCacheStore } from './redis-cache-store';

export interface CacheModuleOptions {
  redisUrl: string | null;
  /**
   * Namespace of every key and channel in Redis. The installation's id is appended, so two
   * databases sharing one Redis (and prefix) by mistake still never share cached data.
   */
  prefix?: string;
  /** Tests: share one in-process bus between app instances that stand in for processes. */
  memoryBus?: MemoryBus;
}

/** Builds the store for the configuration: Redis when a URL is given, memory otherwise. */
export async function createCacheStore(options: CacheModuleOptions): Promise<CacheStore> {
  if (options.redisUrl) {
    const store = new RedisCacheStore(options.redisUrl, options.prefix);
    await store.ready();
    return meteredCacheStore(store);
  }
  return meteredCacheStore(new MemoryCacheStore(options.memoryBus));
}

class CacheLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CACHE_STORE) private readonly store: CacheStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class CacheModule {
  static forRoot(options: CacheModuleOptions): DynamicModule {
    return {
      module: CacheModule,
      providers: [
        {
          provide: CACHE_STORE,
          inject: [TenantDb],
          useFactory: async (db: TenantDb) =>
            createCacheStore({
              ...options,
              prefix: options.redisUrl
                ? `${options.prefix ?? DEFAULT_CACHE_PREFIX}${await db.installationId()}:`
                : options.prefix,
            }),
        },
        CacheLifecycle,
      ],
      exports: [CACHE_STORE],
    };
  }
}
