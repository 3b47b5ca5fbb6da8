import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from './tenant-context';

/**
 * The request's TenantContext in an HTTP controller (server-rendered pages): the tenancy hook
 * put it on the Fastify request before routing. A host without a tenant never gets here — the
 * hook answers 404 first — so a missing context is a wiring bug, reported as such.
 */
export const HttpCtx = createParamDecorator(
  (_data: unknown, execution: ExecutionContext): TenantContext => {
    const req = execution.switchToHttp().getRequest<{ tenantContext?: TenantContext }>();
    if (!req.tenantContext)
      throw new VitrineError('TENANT_NOT_FOUND', 'This page is only served on a microsite host.');
    return req.tenantContext;
  },
);
