import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type DataLoader from 'dataloader';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from './tenant-context';

/** The seller's admin behind a request on the admin endpoint (verified admin token). */
export interface AdminIdentity {
  /**
   * Who it is, readable: the admin account's e-mail, or the `sub` of a bootstrap token
   * (`vitrine admin token`). Recorded as `changedBy` in status logs.
   */
  readonly subject: string;
  /** The admin account's id; absent for a bootstrap token (no account behind it). */
  readonly id?: string;
  /**
   * The admin's roles (SUPER_ADMIN, ACCOUNT_MANAGER, CATALOG_MANAGER), read per request; a
   * bootstrap token is SUPER_ADMIN. Missing means none: admin policies fail closed.
   */
  readonly roles?: readonly string[];
  /** The tenants assigned to the admin (ids, for ACCOUNT_MANAGERs), read per request. */
  readonly tenantIds?: readonly string[];
}

/** What every storefront resolver finds in the GraphQL context. */
export interface GraphQLRequestContext {
  ctx: TenantContext | undefined;
  /** Set on the admin endpoint only, never together with `ctx`. */
  admin?: AdminIdentity;
  /** True on the admin endpoint (with or without an admin: `adminLogin` comes without). */
  adminEndpoint?: boolean;
  /** The client's address (Fastify's `req.ip`: X-Forwarded-For only from trusted proxies). */
  clientIp: string;
  /** DataLoaders of this request, created on first use (see `loaderFor`). */
  loaders: Map<string, DataLoader<unknown, unknown>>;
}

export function createGraphQLRequestContext(
  ctx: TenantContext | undefined,
  clientIp = 'unknown',
): GraphQLRequestContext {
  return { ctx, clientIp, loaders: new Map() };
}

/** The request's TenantContext as a resolver parameter: `products(@Ctx() ctx: TenantContext)`. */
export const Ctx = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): TenantContext => {
    const gql = GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>();
    if (!gql.ctx)
      throw new VitrineError(
        'TENANT_NOT_FOUND',
        'This operation is only served on a microsite host.',
      );
    return gql.ctx;
  },
);

/** The whole GraphQL request context (for DataLoaders). */
export const RequestContext = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): GraphQLRequestContext =>
    GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>(),
);

/**
 * The request's DataLoader under `name`, created by `create` on first use. Loaders live for one
 * request only and their keys are always inside the request's tenant, so nothing batched or
 * memoized can cross tenants or requests.
 */
export function loaderFor<K, V>(
  context: GraphQLRequestContext,
  name: string,
  create: () => DataLoader<K, V>,
): DataLoader<K, V> {
  let loader = context.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = create();
    context.loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}
