import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '@vitrine/config';
import { DATA_SOURCE, DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import {
  collectProcessMetrics,
  createLogger,
  installGracefulShutdown,
  PinoNestLogger,
  Readiness,
  startMetricsServer,
} from '@vitrine/observability';
import { WorkerModule } from './worker.module';

/**
 * apps/worker: delivers outbox events (e-mail, ERP export) for API instances that run with
 * OUTBOX_WORKER=off. Runs until SIGTERM/SIGINT, then finishes the deliveries in progress and
 * exits 0 (docs/operations.md). Several workers may run at once: events are claimed with SKIP
 * LOCKED and a lease. Metrics, /healthz and /readyz on METRICS_PORT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind === 'pglite')
    throw new ConfigError(
      'apps/worker needs DATABASE_URL: the embedded database belongs to the API process, which ' +
        'delivers the outbox itself (OUTBOX_WORKER=inline).',
    );
  const log = createLogger({
    level: config.logLevel,
    format: config.observability.logFormat,
    service: 'worker',
  });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: config.logLevel === 'silent' ? false : new PinoNestLogger(log),
  });
  collectProcessMetrics();
  const readiness = new Readiness(
    [
      {
        name: 'database',
        required: true,
        check: () => app.get<DataSource>(DATA_SOURCE).query('SELECT 1'),
      },
    ],
    config.observability.readyTimeoutMs,
  );
  const { metricsPort, metricsHost } = config.observability;
  const metrics = metricsPort
    ? await startMetricsServer({ port: metricsPort, host: metricsHost, readiness })
    : null;
  // The loop's timer does not keep the process alive on its own (see OutboxWorker); this does.
  const keepAlive = setInterval(() => undefined, 60_000);
  installGracefulShutdown({
    log,
    graceMs: config.observability.shutdownGraceMs,
    delayMs: 0,
    readiness,
    // app.close(): the loop stops claiming and waits for the deliveries in progress to be
    // recorded (OutboxLoop.beforeApplicationShutdown), then the database and Redis close.
    close: async () => {
      await app.close();
      await metrics?.close();
      clearInterval(keepAlive);
    },
  });
  log.info(
    { pollMs: config.outbox.pollMs, leaseMs: config.outbox.leaseMs, metricsPort: metrics?.port },
    `Worker ${process.pid} started`,
  );
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof SchemaBehindError ||
    err instanceof DatabaseInUseError
  )
    console.error(err.message);
  else console.error(err);
  process.exit(1);
});
