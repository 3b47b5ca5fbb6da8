import { AsyncResource } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redactText } from './redact';
import { methodLabel, operationLabel, routeLabel, statusClass } from './labels';
import { countTenantRequest, errorsTotal, httpDuration, httpInFlight } from './metrics';
import type { Readiness } from './readiness';
import { logContextStorage, type LogContext, type LogIdentity } from './request-context';

export interface HttpObservabilityOptions {
  /** The contexts the request child loggers created (see `requestChildLogger`). */
  contexts: WeakMap<IncomingMessage, LogContext>;
  readiness: Readiness;
  /** Who the request is for: read lazily, when a line is written or the response is counted. */
  identify?: (req: FastifyRequest) => LogIdentity;
  /** Paths of probes: their access lines are logged at debug, not info. */
  quietPaths?: readonly string[];
}

const SCOPE = Symbol('vitrine.requestScope');
const COUNTED = Symbol('vitrine.inFlight');
type Scoped = FastifyRequest & { [SCOPE]?: AsyncResource; [COUNTED]?: boolean };

/** Leaves the in-flight gauge once, whether the response finished or the client went away. */
function leave(req: Scoped): void {
  if (!req[COUNTED]) return;
  req[COUNTED] = false;
  httpInFlight.dec();
}

/**
 * The default identity of a request: the tenant's slug (tenancy hook) and the buyer's id, or
 * `admin:<id>` for an admin on the admin host. Read structurally: this lib depends on no domain.
 */
export function identifyRequest(req: FastifyRequest): LogIdentity {
  const r = req as FastifyRequest & {
    tenantContext?: { tenant?: { slug?: string }; user?: { id?: string } | null };
    adminIdentity?: { id?: string; subject?: string };
    adminPageVisitor?: { id?: string } | null;
  };
  const admin = r.adminIdentity ?? r.adminPageVisitor ?? undefined;
  return {
    tenant: r.tenantContext?.tenant?.slug,
    user: r.tenantContext?.user?.id ?? (admin ? `admin:${admin.id ?? 'bootstrap'}` : undefined),
  };
}

/**
 * Register first, before any other hook: opens the request's log context (AsyncLocalStorage,
 * re-entered after body parsing, which loses it), echoes the request id in X-Request-Id, and at
 * the end writes one access line and records the HTTP metrics.
 */
export function registerHttpObservability(
  app: FastifyInstance,
  options: HttpObservabilityOptions,
): void {
  const identify = options.identify ?? identifyRequest;
  const quiet = new Set(options.quietPaths ?? []);

  app.addHook('onRequest', (req: Scoped, reply, done) => {
    const ctx = options.contexts.get(req.raw) ?? { reqId: String(req.id) };
    ctx.identify = () => identify(req);
    reply.header('x-request-id', req.id);
    httpInFlight.inc();
    req[COUNTED] = true;
    logContextStorage.run(ctx, () => {
      req[SCOPE] = new AsyncResource('vitrine.request');
      done();
    });
  });
  const reenter = (req: Scoped, _reply: FastifyReply, done: () => void) => {
    const scope = req[SCOPE];
    if (scope) scope.runInAsyncScope(done);
    else done();
  };
  app.addHook('preValidation', reenter);
  app.addHook('preHandler', reenter);

  // While draining, every response closes its connection: keep-alive clients reconnect elsewhere.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (options.readiness.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onRequestAbort', (req: Scoped, done) => {
    leave(req);
    done();
  });

  app.addHook('onResponse', (req: Scoped, reply, done) => {
    leave(req);
    const ctx = options.contexts.get(req.raw);
    const status = reply.statusCode;
    const route = routeLabel(req.routeOptions?.url);
    const operation = operationLabel(ctx?.operation);
    httpDuration.observe(
      {
        method: methodLabel(req.method),
        route,
        operation,
        status_class: statusClass(status),
      },
      reply.elapsedTime / 1000,
    );
    if (status >= 400) errorsTotal.inc({ source: 'http', code: String(status) });
    const who = identify(req);
    if (who.tenant) countTenantRequest(who.tenant);
    const path = req.url.split('?', 1)[0];
    const line = {
      method: req.method,
      path: redactText(path),
      route,
      ...(ctx?.operation ? { operation: ctx.operation } : {}),
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (quiet.has(path)) req.log.debug(line, 'request');
    else if (status >= 500) req.log.warn(line, 'request');
    else req.log.info(line, 'request');
    done();
  });
}
