import {
  CanActivate,
  ExecutionContext,
  Injectable,
  Logger,
  SetMetadata,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { VitrineError } from '@vitrine/errors';
import type { GraphQLRequestContext } from './graphql-context';
import type { TenantContext } from './tenant-context';

/** The contract's roles. A user may hold several. */
export type Role = 'VIEWER' | 'REQUISITIONER' | 'BUYER' | 'APPROVER' | 'COMPANY_ADMIN';
export const ROLES: readonly Role[] = [
  'VIEWER',
  'REQUISITIONER',
  'BUYER',
  'APPROVER',
  'COMPANY_ADMIN',
];

/** What an operation may require. Seeing prices is a flag of the user, not a role (see AuthUser). */
export type Permission =
  | 'BROWSE'
  | 'MANAGE_CART'
  | 'REQUEST_QUOTE'
  /** Turn the cart into an order — placed directly, or submitted for approval. */
  | 'SUBMIT_ORDER'
  /** Place orders without approval (within the user's spend limit). */
  | 'PLACE_ORDER'
  | 'APPROVE_ORDER'
  /** See one's own orders and quotes. */
  | 'VIEW_ORDERS'
  /** See every order and quote of the company, not only one's own. */
  | 'VIEW_COMPANY_ORDERS'
  | 'MANAGE_COMPANY';

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  VIEWER: ['BROWSE', 'VIEW_ORDERS', 'VIEW_COMPANY_ORDERS'],
  REQUISITIONER: ['BROWSE', 'VIEW_ORDERS', 'MANAGE_CART', 'REQUEST_QUOTE', 'SUBMIT_ORDER'],
  BUYER: [
    'BROWSE',
    'VIEW_ORDERS',
    'VIEW_COMPANY_ORDERS',
    'MANAGE_CART',
    'REQUEST_QUOTE',
    'SUBMIT_ORDER',
    'PLACE_ORDER',
  ],
  APPROVER: ['BROWSE', 'VIEW_ORDERS', 'VIEW_COMPANY_ORDERS', 'APPROVE_ORDER'],
  COMPANY_ADMIN: ['BROWSE', 'VIEW_ORDERS', 'VIEW_COMPANY_ORDERS', 'MANAGE_COMPANY'],
};

export function permissionsOf(roles: readonly Role[]): ReadonlySet<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
}

/**
 * Who may run an operation:
 * - `PUBLIC`: anyone on the site, signed in or not (the tenant, login, password reset);
 * - `BROWSE`: the catalog — signed-in users, and anonymous visitors of public (prospect) sites;
 * - `AUTHENTICATED`: any signed-in user (me, logout);
 * - a permission: a signed-in user whose roles grant it;
 * - `ADMIN`: the seller's admins, on the admin endpoint only (never a storefront user);
 * - `ADMIN_SIGN_IN`: anyone on the admin endpoint, no admin yet (`adminLogin` only).
 */
export type Access = 'PUBLIC' | 'AUTHENTICATED' | 'ADMIN' | 'ADMIN_SIGN_IN' | Permission;

export const ACCESS_METADATA = 'vitrine:access';

/** Declares who may run a Query or Mutation. Every storefront operation must have one. */
export const Allow = (access: Access) => applyDecorators(SetMetadata(ACCESS_METADATA, access));

/**
 * Whether `ctx` may do what `access` asks, or the error that says why not. Pure, so the whole
 * matrix is unit-tested.
 */
export function checkAccess(ctx: TenantContext, access: Access): VitrineError | null {
  if (access === 'PUBLIC') return null;
  if (access === 'ADMIN' || access === 'ADMIN_SIGN_IN')
    return new VitrineError('FORBIDDEN', "This operation is for the seller's admins only.");
  const user = ctx.user;
  if (access === 'BROWSE' && !user && ctx.tenant.publicBrowsing) return null;
  if (!user)
    return new VitrineError('UNAUTHENTICATED', `Please sign in to ${ctx.tenant.name} first.`);
  if (access === 'AUTHENTICATED') return null;
  if (permissionsOf(user.roles).has(access)) return null;
  return new VitrineError(
    'FORBIDDEN',
    `Your account may not do this (${access.toLowerCase().replace(/_/g, ' ')}). Ask your company's administrator.`,
  );
}

/**
 * The one guard of the storefront API (registered globally): every Query and Mutation declares
 * its access with `@Allow`, and an operation without a declaration is refused — a forgotten
 * declaration fails closed. Field resolvers inherit their parent operation's decision.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly log = new Logger('Access');

  constructor(private readonly reflector: Reflector) {}

  canActivate(execution: ExecutionContext): boolean {
    if (execution.getType<string>() !== 'graphql') return true;
    const info = GqlExecutionContext.create(execution).getInfo<{ parentType: { name: string } }>();
    const root = info.parentType.name;
    if (root !== 'Query' && root !== 'Mutation' && root !== 'Subscription') return true;
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, [
      execution.getHandler(),
      execution.getClass(),
    ]);
    if (!access)
      throw new VitrineError('FORBIDDEN', 'This operation declares no access rule and is refused.');
    const gql = GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>();
    // Admin operations run only with a verified admin on the admin endpoint; storefront
    // operations never there. Either mix-up is refused, whatever the schema wiring.
    if (access === 'ADMIN') {
      if (!gql.admin)
        throw new VitrineError(
          'UNAUTHENTICATED',
          'This operation needs an admin token and is served at /admin/graphql on the admin host only.',
        );
      return true;
    }
    // The admin endpoint's sign-in: the only operation its host hook lets through without a token.
    if (access === 'ADMIN_SIGN_IN') {
      if (!gql.adminEndpoint)
        throw new VitrineError(
          'FORBIDDEN',
          'Admins sign in at /admin/graphql on the admin host only.',
        );
      return true;
    }
    if (gql.admin || gql.adminEndpoint)
      throw new VitrineError(
        'FORBIDDEN',
        'Storefront operations are not served on the admin endpoint.',
      );
    if (!gql.ctx)
      throw new VitrineError(
        'TENANT_NOT_FOUND',
        'This operation is only served on a microsite host.',
      );
    const denied = checkAccess(gql.ctx, access);
    if (denied) {
      const info2 = GqlExecutionContext.create(execution).getInfo<{ fieldName: string }>();
      this.log.warn(
        `Refused ${root}.${info2.fieldName} (${access}) on ${gql.ctx.tenant.slug} for ${gql.ctx.user ? `user ${gql.ctx.user.id}` : 'an anonymous visitor'}: ${denied.code}`,
      );
      throw denied;
    }
    return true;
  }
}
