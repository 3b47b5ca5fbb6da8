export * from './cache-store';
export * from './memory-cache-store';
export * from './redis-cache-store';
export * from './cache.module';
export * from './cache-metrics';
export * from './cache-health';
