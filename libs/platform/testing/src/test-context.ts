import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CacheModule } from '@vitrine/cache';
import { ConfigModule, loadConfig } from '@vitrine/config';
import { DatabaseModule } from '@vitrine/database';
import { TenancyModule } from '@vitrine/tenancy';
import type { TestDatabase } from './test-database';

/**
 * A Nest application context for an integration test: configuration (quiet, test mode, plus
 * `env`), the given database, an in-memory cache and tenancy — the platform every domain module
 * needs — and the domain modules under test. No HTTP server.
 */
export async function createTestContext(
  db: TestDatabase,
  modules: Array<Type<unknown> | DynamicModule>,
  env: Record<string, string> = {},
): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env })),
      DatabaseModule.forRoot({ config: db.config, dataSource: db.dataSource }),
      CacheModule.forRoot({ redisUrl: null }),
      TenancyModule,
      ...modules,
    ],
  })
    .setLogger(false as never)
    .compile();
  return moduleRef.init();
}
