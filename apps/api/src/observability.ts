import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, Server } from 'node:http';
import { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { CACHE_STORE, type CacheStore } from '@vitrine/cache';
import type { AppConfig } from '@vitrine/config';
import { DATA_SOURCE } from '@vitrine/database';
import {
  collectProcessMetrics,
  configureTenantLabels,
  createLogger,
  installGracefulShutdown,
  PinoNestLogger,
  Readiness,
  registerHealthRoutes,
  registerHttpObservability,
  requestChildLogger,
  requestIdOf,
  startMetricsServer,
  type LogContext,
  type ReadinessCheck,
} from '@vitrine/observability';

/**
 * The API's logs, metrics, probes and shutdown (docs/operations.md), wired in three steps so
 * bootstrap.ts and main.ts call one function each:
 * 1. {@link apiLogging} before the app exists: the pino logger as Fastify's and Nest's logger;
 * 2. {@link attachObservability} first thing after: request context, metrics hooks, probes;
 * 3. {@link serveOperations} in main.ts once listening: the metrics port and SIGTERM handling.
 */
export interface ApiLogging {
  logger: Logger;
  nestLogger: PinoNestLogger | false;
  /** Spread into the FastifyAdapter's options. */
  fastifyOptions: {
    loggerInstance: Logger;
    genReqId: (req: IncomingMessage) => string;
    requestIdHeader: false;
    logController: LogController;
    childLoggerFactory: ReturnType<typeof requestChildLogger>;
  };
  contexts: WeakMap<IncomingMessage, LogContext>;
}

const state = new WeakMap<object, { readiness: Readiness; logging: ApiLogging }>();

export function apiLogging(config: AppConfig, destination?: DestinationStream): ApiLogging {
  const logger = createLogger({
    level: config.logLevel,
    format: config.observability.logFormat,
    service: 'api',
    destination,
  });
  const contexts = new WeakMap<IncomingMessage, LogContext>();
  return {
    logger,
    nestLogger: config.logLevel === 'silent' ? false : new PinoNestLogger(logger),
    contexts,
    fastifyOptions: {
      loggerInstance: logger,
      genReqId: (req) => requestIdOf(req.headers['x-request-id']),
      requestIdHeader: false,
      // Fastify's two lines a request (incoming, completed) give way to our one access line.
      logController: new LogController({ disableRequestLogging: true }),
      childLoggerFactory: requestChildLogger(contexts),
    },
  };
}

/** Request context, metrics and the /healthz and /readyz routes. Call before any other hook. */
export function attachObservability(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  config: AppConfig,
  logging: ApiLogging,
): Readiness {
  const readiness = new Readiness(readinessChecks(app, config), config.observability.readyTimeoutMs);
  configureTenantLabels(config.observability.tenantLabelsMax);
  collectProcessMetrics();
  registerHttpObservability(fastify, {
    contexts: logging.contexts,
    readiness,
    quietPaths: ['/healthz', '/readyz'],
  });
  registerHealthRoutes(fastify, readiness);
  state.set(app, { readiness, logging });
  return readiness;
}

/** What /readyz checks: the database (required) and Redis when configured. */
function readinessChecks(app: NestFastifyApplication, config: AppConfig): ReadinessCheck[] {
  const checks: ReadinessCheck[] = [
    {
      name: 'database',
      required: true,
      check: () => app.get<DataSource>(DATA_SOURCE).query('SELECT 1'),
    },
  ];
  if (config.redisUrl) {
    checks.push({
      name: 'redis',
      required: config.observability.readyRequiresRedis,
      check: async () => {
        const store = app.get<CacheStore>(CACHE_STORE);
        if (!store.ping) throw new Error('the cache store cannot be pinged');
        await store.ping();
      },
    });
  }
  return checks;
}

/**
 * After `listen`: the metrics port (unless METRICS_PORT=0) and graceful shutdown on
 * SIGTERM/SIGINT — /readyz 503, the listener closed, requests in flight answered (at most
 * SHUTDOWN_GRACE_MS), the application closed (outbox loop, database, Redis), exit 0.
 */
export async function serveOperations(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  const own = state.get(app);
  if (!own) throw new Error('attachObservability was not called for this app');
  const { readiness, logging } = own;
  const { metricsPort, metricsHost } = config.observability;
  const metrics = metricsPort
    ? await startMetricsServer({ port: metricsPort, host: metricsHost, readiness })
    : null;
  if (metrics) logging.logger.info({ port: metrics.port, host: metricsHost }, 'metrics served');
  const server = app.getHttpServer() as Server;
  const adapter = app.getHttpAdapter() as { beforeClose?: () => void };
  installGracefulShutdown({
    log: logging.logger,
    graceMs: config.observability.shutdownGraceMs,
    delayMs: config.observability.shutdownDelayMs,
    readiness,
    drain: () =>
      new Promise<void>((resolve) => {
        // New requests on kept-alive connections: 503 with Connection: close (Nest's adapter).
        adapter.beforeClose?.();
        // No new connections; idle kept-alive ones closed; the callback once the rest ended.
        server.close(() => resolve());
      }),
    close: async () => {
      await app.close();
      await metrics?.close();
    },
    force: () => server.closeAllConnections(),
  });
}
