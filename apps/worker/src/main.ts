import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@vitrine/config';
import { DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import { WorkerModule } from './worker.module';

const log = new Logger('Worker');

/**
 * apps/worker: delivers outbox events (e-mail, ERP export) for API instances that run with
 * OUTBOX_WORKER=off. Runs until SIGTERM/SIGINT, then finishes the deliveries in progress.
 * Several workers may run at once: events are claimed with SKIP LOCKED and a lease.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.database.kind === 'pglite')
    throw new ConfigError(
      'apps/worker needs DATABASE_URL: the embedded database belongs to the API process, which ' +
        'delivers the outbox itself (OUTBOX_WORKER=inline).',
    );
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: config.logLevel === 'silent' ? false : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  // The loop's timer does not keep the process alive on its own (see OutboxWorker); this does.
  const keepAlive = setInterval(() => undefined, 60_000);
  const stop = () => clearInterval(keepAlive);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.log(
    `Worker ${process.pid} started (poll ${config.outbox.pollMs} ms, lease ${config.outbox.leaseMs} ms)`,
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
