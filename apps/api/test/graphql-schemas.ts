import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { GRAPHQL_MODULE_OPTIONS, GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';

/**
 * The schema served at `path` (the app has two GraphQL endpoints, each with its own schema
 * host, so `app.get(GraphQLSchemaHost)` alone does not say which one it returns).
 */
export function schemaAt(app: INestApplication, path: string): GraphQLSchema {
  for (const moduleRef of app.get(ModulesContainer).values()) {
    if (moduleRef.metatype !== GraphQLModule) continue;
    const options = moduleRef.providers.get(GRAPHQL_MODULE_OPTIONS)?.instance as
      | { path?: string }
      | undefined;
    if (options?.path !== path) continue;
    const host = moduleRef.providers.get(GraphQLSchemaHost)?.instance as GraphQLSchemaHost;
    return host.schema;
  }
  throw new Error(`No GraphQL endpoint at ${path}`);
}
