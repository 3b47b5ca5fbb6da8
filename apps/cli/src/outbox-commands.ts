import { Command, InvalidArgumentError, Option } from 'commander';
import {
  OUTBOX_STATUSES,
  OutboxWorker,
  type OutboxRecord,
  type OutboxStatus,
} from '@vitrine/outbox';
import { act, examples, jsonOption, migrateEmbedded, withServices, type Cli } from './cli-context';
import { CliUsageError } from './exit-codes';
import type { Output } from './output';

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

function printRecords(out: Output, rows: OutboxRecord[]): void {
  if (rows.length === 0) {
    out.line(out.c.dim('No outbox events.'));
    return;
  }
  const c = out.c;
  const colour = (status: string) =>
    status === 'DELIVERED' ? c.green : status === 'FAILED' ? c.red : c.yellow;
  for (const r of rows) {
    const when =
      r.status === 'DELIVERED'
        ? `delivered ${r.deliveredAt?.toISOString()}`
        : r.status === 'PENDING'
          ? `next attempt ${r.nextAttemptAt.toISOString()}`
          : `failed, created ${r.createdAt.toISOString()}`;
    out.line(
      `${r.id.padStart(8)}  ${colour(r.status)(r.status.padEnd(9))} ${r.tenantSlug}  ${r.topic}  ${r.dedupeKey}  attempts ${r.attempts}  ${c.dim(when)}`,
    );
    if (r.lastError && r.status !== 'DELIVERED')
      out.line(`          last error: ${c.red(r.lastError)}`);
  }
}

/**
 * `vitrine outbox list|retry`: what the outbox holds, and a second chance for failed events.
 * Retried events are delivered by the running API (OUTBOX_WORKER=inline) or apps/worker.
 */
export function registerOutboxCommands(program: Command, cli: Cli): void {
  const outbox = program
    .command('outbox')
    .description('Outbox events: e-mails and ERP exports on their way out')
    .addHelpText('after', '\nSee `vitrine outbox <command> --help` and docs/notifications.md.\n');
  const services = async <T>(out: Output, fn: (worker: OutboxWorker) => Promise<T>) => {
    const c = cli.config();
    await migrateEmbedded(c);
    return withServices(c, out, (app) => fn(app.get(OutboxWorker)));
  };

  examples(
    jsonOption(
      outbox
        .command('list')
        .description('List outbox events, newest first')
        .addOption(
          new Option('--status <status>', 'only events in this status').choices([
            ...OUTBOX_STATUSES,
          ]),
        )
        .option('--tenant <slug>', "only this tenant's events")
        .option('--limit <n>', 'at most this many (default 100)', limit),
    ),
    [
      'npx vitrine outbox list --status FAILED',
      "npx vitrine outbox list --tenant jansen-bouw --json | jq '.[] | {id, status, lastError}'",
    ],
  ).action(
    act(cli, async (out, opts: { status?: OutboxStatus; tenant?: string; limit?: number }) => {
      const rows = await services(out, (w) =>
        w.list({ status: opts.status, tenant: opts.tenant, limit: opts.limit }),
      );
      out.result(rows, () => printRecords(out, rows));
    }),
  );

  examples(
    jsonOption(
      outbox
        .command('retry')
        .description(
          'Make events due again with fresh attempts: the given ids, or every FAILED event (--failed); delivered events and events being delivered are left alone',
        )
        .argument('[ids...]', 'event ids (see `vitrine outbox list`)', eventId)
        .option('--failed', 'every FAILED event', false)
        .option('--tenant <slug>', "with --failed: only this tenant's"),
    ),
    [
      'npx vitrine outbox retry 1042 1043',
      'npx vitrine outbox retry --failed --tenant jansen-bouw --json   # {"retried": [...], "notRetried": [...]}',
    ],
  ).action(
    act(cli, async (out, ids: string[], opts: { failed: boolean; tenant?: string }) => {
      if (opts.failed === ids.length > 0)
        throw new CliUsageError('Give either event ids or --failed.');
      if (opts.tenant && !opts.failed) throw new CliUsageError('--tenant goes with --failed.');
      const retried = await services(out, (w) =>
        w.retry(opts.failed ? { failed: true, tenant: opts.tenant } : { ids }),
      );
      const skipped = ids.filter((id) => !retried.includes(id));
      out.result({ retried, notRetried: skipped }, () => {
        out.line(
          retried.length
            ? `${out.c.green(`Retrying ${retried.length} event(s)`)}: ${retried.join(', ')}`
            : 'Nothing to retry (delivered events and events being delivered are left alone).',
        );
        if (skipped.length) out.line(out.c.yellow(`Not retried: ${skipped.join(', ')}`));
      });
    }),
  );
}
