import type { INestApplicationContext } from '@nestjs/common';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AppConfig } from '@vitrine/config';
import {
  OUTBOX_STATUSES,
  OutboxWorker,
  type OutboxRecord,
  type OutboxStatus,
} from '@vitrine/outbox';

type WithServices = <T>(
  config: AppConfig,
  fn: (app: INestApplicationContext) => Promise<T>,
) => Promise<T>;

function limit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('expected a whole number from 1 to 10000');
  return n;
}

function eventId(value: string, previous: string[] = []): string[] {
  if (!/^\d{1,19}$/.test(value))
    throw new InvalidArgumentError(`"${value}" is not an outbox event id (a number)`);
  return [...previous, value];
}

function printRecords(rows: OutboxRecord[]): void {
  if (rows.length === 0) {
    process.stdout.write('No outbox events.\n');
    return;
  }
  for (const r of rows) {
    const when =
      r.status === 'DELIVERED'
        ? `delivered ${r.deliveredAt?.toISOString()}`
        : r.status === 'PENDING'
          ? `next attempt ${r.nextAttemptAt.toISOString()}`
          : `failed, created ${r.createdAt.toISOString()}`;
    process.stdout.write(
      `${r.id.padStart(8)}  ${r.status.padEnd(9)} ${r.tenantSlug}  ${r.topic}  ${r.dedupeKey}  attempts ${r.attempts}  ${when}\n`,
    );
    if (r.lastError && r.status !== 'DELIVERED')
      process.stdout.write(`          last error: ${r.lastError}\n`);
  }
}

/**
 * `vitrine outbox list|retry`: what the outbox holds, and a second chance for failed events.
 * Retried events are delivered by the running API (OUTBOX_WORKER=inline) or apps/worker.
 */
export function registerOutboxCommands(
  program: Command,
  config: () => AppConfig,
  withServices: WithServices,
): void {
  const outbox = program
    .command('outbox')
    .description('Outbox events: e-mails and ERP exports on their way out');

  outbox
    .command('list')
    .description('List outbox events, newest first')
    .addOption(
      new Option('--status <status>', 'only events in this status').choices([...OUTBOX_STATUSES]),
    )
    .option('--tenant <slug>', "only this tenant's events")
    .option('--limit <n>', 'at most this many (default 100)', limit)
    .option('--json', 'machine-readable output', false)
    .action(
      async (opts: { status?: OutboxStatus; tenant?: string; limit?: number; json: boolean }) => {
        const rows = await withServices(config(), (app) =>
          app
            .get(OutboxWorker)
            .list({ status: opts.status, tenant: opts.tenant, limit: opts.limit }),
        );
        if (opts.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        else printRecords(rows);
      },
    );

  outbox
    .command('retry')
    .description(
      'Make events due again with fresh attempts: the given ids, or every FAILED event (--failed)',
    )
    .argument('[ids...]', 'event ids (see `vitrine outbox list`)', eventId)
    .option('--failed', 'every FAILED event', false)
    .option('--tenant <slug>', "with --failed: only this tenant's")
    .action(async (ids: string[], opts: { failed: boolean; tenant?: string }, cmd: Command) => {
      if (opts.failed === ids.length > 0)
        cmd.error('error: give either event ids or --failed', { exitCode: 2 });
      if (opts.tenant && !opts.failed)
        cmd.error('error: --tenant goes with --failed', { exitCode: 2 });
      const retried = await withServices(config(), (app) =>
        app.get(OutboxWorker).retry(opts.failed ? { failed: true, tenant: opts.tenant } : { ids }),
      );
      process.stdout.write(
        retried.length
          ? `Retrying ${retried.length} event(s): ${retried.join(', ')}\n`
          : 'Nothing to retry (delivered events and events being delivered are left alone).\n',
      );
      const skipped = ids.filter((id) => !retried.includes(id));
      if (skipped.length) process.stdout.write(`Not retried: ${skipped.join(', ')}\n`);
    });
}
