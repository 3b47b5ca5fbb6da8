import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { AccountsModule } from '@vitrine/accounts';
import { AdminModule } from '@vitrine/admin';
import { CacheModule, type MemoryBus } from '@vitrine/cache';
import { CATALOG_ENTITIES, CatalogModule } from '@vitrine/catalog';
import { ConfigModule, type AppConfig } from '@vitrine/config';
import { DatabaseModule } from '@vitrine/database';
import { formatGraphQLError, httpStatusPlugin } from '@vitrine/errors';
import { OrderingModule } from '@vitrine/ordering';
import { NotificationsModule } from '@vitrine/notifications';
import { OutboxLoopModule, OutboxModule } from '@vitrine/outbox';
import { PRICING_ENTITIES, PricingModule } from '@vitrine/pricing';
import { StorefrontModule } from '@vitrine/storefront';
import {
  AccessGuard,
  createGraphQLRequestContext,
  TenancyModule,
  TenantDomainEntity,
  TenantEntity,
} from '@vitrine/tenancy';

export const ENTITIES = [
  TenantEntity,
  TenantDomainEntity,
  ...CATALOG_ENTITIES,
  ...PRICING_ENTITIES,
];

export interface AppOverrides {
  /** Tests: an initialized, migrated DataSource owned by the test. */
  dataSource?: DataSource;
  /** Tests: one in-process bus shared by app instances standing in for separate processes. */
  memoryBus?: MemoryBus;
}

const errorLog = new Logger('GraphQL');

/** The storefront API process: wiring only, no logic. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({
          config: config.database,
          entities: ENTITIES,
          dataSource: overrides.dataSource,
        }),
        CacheModule.forRoot({
          redisUrl: config.redisUrl,
          prefix: config.cachePrefix,
          memoryBus: overrides.memoryBus,
        }),
        OutboxModule,
        // Outbox delivery in this process unless OUTBOX_WORKER=off (then apps/worker delivers).
        NotificationsModule,
        OutboxLoopModule.forRoot(config.outbox.worker === 'inline'),
        TenancyModule,
        CatalogModule,
        PricingModule,
        AccountsModule,
        OrderingModule,
        AdminModule,
        StorefrontModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          // Built in memory; the committed schema.graphql is kept equal by apps/api/test/schema.e2e.spec.ts.
          autoSchemaFile: true,
          sortSchema: true,
          introspection: config.graphql.introspection,
          playground: false,
          graphiql: false,
          csrfPrevention: true,
          includeStacktraceInErrorResponses: false,
          hideSchemaDetailsFromClientErrors: config.env === 'production',
          context: (req: FastifyRequest) => createGraphQLRequestContext(req.tenantContext, req.ip),
          formatError: (formatted, error) =>
            formatGraphQLError(formatted, error, (e) => errorLog.error(e)),
          plugins: [httpStatusPlugin],
          // Nest would reset every response with a `data` key to 200; httpStatusPlugin decides instead.
          preserveHttpStatusForExecutionErrors: false,
        }),
      ],
      // One guard for every storefront operation: each declares its access with @Allow.
      providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
    };
  }
}
