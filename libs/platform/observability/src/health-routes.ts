import type { FastifyInstance } from 'fastify';
import type { Readiness } from './readiness';

/** The probe paths, answered on every host before any tenant is resolved. */
export const HEALTH_PATHS = ['/healthz', '/readyz'] as const;

/**
 * `/healthz`: liveness — the process answers, nothing else is checked (a database outage must
 * not get every instance restarted). `/readyz`: readiness — 200 with each check's result, or
 * 503 with the same detail and Retry-After when a required dependency is down or the process
 * is shutting down.
 */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });
  app.get('/readyz', async (_req, reply) => {
    const { ready, body } = await readiness.report();
    void reply.header('cache-control', 'no-store');
    if (!ready) void reply.code(503).header('retry-after', '5');
    return body;
  });
}
