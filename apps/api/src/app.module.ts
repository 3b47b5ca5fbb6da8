import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { AccountsModule } from '@vitrine/accounts';
import {
  ADMIN_GRAPHQL_PATH,
  AdminApiModule,
  AdminModule,
  createAdminGraphQLContext,
  reachableOnly,
} from '@vitrine/admin';
import { CacheModule, type MemoryBus } from '@vitrine/cache';
import { CATALOG_ENTITIES, CatalogModule } from '@vitrine/catalog';
import { ConfigModule, type AppConfig } from '@vitrine/config';
import { DatabaseModule } from '@vitrine/database';
import { formatGraphQLError, httpStatusPlugin } from '@vitrine/errors';
import { graphqlObservabilityPlugin } from '@vitrine/observability';
import { costLimitPlugin, graphqlLimitOptions } from '@vitrine/limits';
import { PersistedQueryStore } from '@vitrine/graphql';
import { OrderingModule } from '@vitrine/ordering';
import { NotificationsModule } from '@vitrine/notifications';
import { OutboxLoopModule, OutboxModule } from '@vitrine/outbox';
import { PRICING_ENTITIES, PricingModule } from '@vitrine/pricing';
import { StorefrontModule } from '@vitrine/storefront';
import {
  AccessGuard,
  createGraphQLRequestContext,
  TenancyModule,
  TenantApiModule,
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
  /** Tests: where the pino log lines go (default stdout). */
  logDestination?: DestinationStream;
}

const errorLog = new Logger('GraphQL');

/** One Apollo configuration for both endpoints: same limits, errors and status codes. */
function graphqlOptions(
  config: AppConfig,
  endpoint: {
    path: string;
    include: NonNullable<ApolloDriverConfig['include']>;
    context: (req: FastifyRequest) => unknown;
    transformSchema?: ApolloDriverConfig['transformSchema'];
    /** Automatic persisted queries' store (storefront: shared through Redis, docs/caching.md). */
    persistedQueries?: PersistedQueryStore;
  },
): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: endpoint.path,
    include: endpoint.include,
    // Built in memory; the committed schema.graphql / admin-schema.graphql are kept equal by
    // apps/api/test/schema.e2e.spec.ts and admin-schema.e2e.spec.ts.
    autoSchemaFile: true,
    sortSchema: true,
    // Introspection, suggestions, depth, aliases, tokens, batching (docs/security.md).
    ...graphqlLimitOptions(config.graphql),
    playground: false,
    graphiql: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    context: endpoint.context,
    transformSchema: endpoint.transformSchema,
    ...(endpoint.persistedQueries
      ? { persistedQueries: { cache: endpoint.persistedQueries } }
      : {}),
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, (e) => errorLog.error(e)),
    plugins: [
      // Apollo's cache-control plugin wraps every field resolver to collect hints we do not use
      // (the response cache sets Cache-Control, docs/caching.md): a tenth of an uncached page.
      ApolloServerPluginCacheControlDisabled(),
      httpStatusPlugin,
      costLimitPlugin(config.graphql.maxCost),
      graphqlObservabilityPlugin,
    ],
    // Nest would reset every response with a `data` key to 200; httpStatusPlugin decides instead.
    preserveHttpStatusForExecutionErrors: false,
  };
}

/** The storefront API process: wiring only, no logic. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    const persistedQueries = new PersistedQueryStore();
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
        TenantApiModule,
        AdminApiModule,
        // Two endpoints, two schemas: each takes in only the modules it includes (and theirs).
        // The storefront's comes last: `app.get(GraphQLSchemaHost)` answers with the last one.
        GraphQLModule.forRoot<ApolloDriverConfig>(
          graphqlOptions(config, {
            path: ADMIN_GRAPHQL_PATH,
            include: [AdminApiModule],
            context: createAdminGraphQLContext,
            transformSchema: reachableOnly,
          }),
        ),
        GraphQLModule.forRoot<ApolloDriverConfig>(
          graphqlOptions(config, {
            path: '/graphql',
            include: [
              TenantApiModule,
              CatalogModule,
              PricingModule,
              AccountsModule,
              OrderingModule,
            ],
            context: (req) => createGraphQLRequestContext(req.tenantContext, req.ip),
            persistedQueries,
          }),
        ),
      ],
      // One guard for every storefront operation: each declares its access with @Allow.
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: PersistedQueryStore, useValue: persistedQueries },
      ],
    };
  }
}
