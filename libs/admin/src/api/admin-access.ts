import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import {
  Allow,
  createGraphQLRequestContext,
  type AdminIdentity,
  type GraphQLRequestContext,
} from '@vitrine/tenancy';

/**
 * The GraphQL context of the admin endpoint: no tenant, the admin the host hook verified.
 * (A storefront operation finds no tenant here and is refused by the AccessGuard.)
 */
export function createAdminGraphQLContext(req: FastifyRequest): GraphQLRequestContext {
  return {
    ...createGraphQLRequestContext(undefined, req.ip),
    admin: req.adminIdentity,
    adminEndpoint: true,
  };
}

function adminOf(execution: ExecutionContext): AdminIdentity | undefined {
  if (execution.getType<string>() !== 'graphql') return undefined;
  return GqlExecutionContext.create(execution).getContext<GraphQLRequestContext>().admin;
}

/**
 * The admin resolvers' own guard, behind the global AccessGuard (which admits `ADMIN`
 * operations only with an admin in the context): no verified admin, no admin operation.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    if (!adminOf(execution))
      throw new VitrineError(
        'UNAUTHENTICATED',
        'This operation needs an admin token and is served at /admin/graphql on the admin host only.',
      );
    return true;
  }
}

/** Declares an admin operation: for the storefront's AccessGuard and the AdminGuard both. */
export const AdminOnly = () => applyDecorators(Allow('ADMIN'), UseGuards(AdminGuard));

/** The verified admin of the request, as a resolver parameter. */
export const CurrentAdmin = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): AdminIdentity => {
    const admin = adminOf(execution);
    if (!admin) throw new VitrineError('UNAUTHENTICATED', 'Admin operations need an admin token.');
    return admin;
  },
);
