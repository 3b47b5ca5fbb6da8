import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { TenantDb } from '@vitrine/database';

export interface OutboxBacklog {
  /** PENDING events (due now or waiting for their backoff). */
  pending: number;
  /** PENDING events whose time has come: what the workers have not caught up with. */
  due: number;
  /** FAILED events (out of attempts), waiting for someone to retry or discard them. */
  failed: number;
  /** Age in seconds of the oldest due event (0 when none). */
  oldestDueAgeS: number;
}

const NAME = 'vitrine_outbox_events';
const AGE = 'vitrine_outbox_oldest_due_age_seconds';
/** A scrape reuses a count younger than this: several scrapers cost one query. */
const REUSE_MS = 5000;
const QUERY_TIMEOUT_MS = 2000;

let source: (() => Promise<OutboxBacklog | null>) | null = null;
let last: { at: number; value: OutboxBacklog | null } = { at: 0, value: null };

async function backlog(): Promise<OutboxBacklog | null> {
  if (!source) return null;
  if (Date.now() - last.at < REUSE_MS) return last.value;
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      source(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), QUERY_TIMEOUT_MS);
      }),
    ]);
    last = { at: Date.now(), value };
  } catch {
    // Database down: report nothing new (readiness says why); the scrape itself still answers.
    last = { at: Date.now(), value: null };
  } finally {
    clearTimeout(timer);
  }
  return last.value;
}

const events =
  (register.getSingleMetric(NAME) as Gauge<'state'> | undefined) ??
  new Gauge({
    name: NAME,
    help: 'Outbox events by state, counted when scraped (at most every 5 s): pending, due (pending and due now: the backlog), failed.',
    labelNames: ['state'] as const,
    async collect() {
      const b = await backlog();
      if (!b) return;
      this.set({ state: 'pending' }, b.pending);
      this.set({ state: 'due' }, b.due);
      this.set({ state: 'failed' }, b.failed);
    },
  });
void events;

const oldest =
  (register.getSingleMetric(AGE) as Gauge | undefined) ??
  new Gauge({
    name: AGE,
    help: 'Seconds since the oldest due outbox event became due (0 when none is due).',
    async collect() {
      const b = await backlog();
      if (b) this.set(b.oldestDueAgeS);
    },
  });
void oldest;

/**
 * Feeds the outbox gauges from this process's database: two counts over the partial indexes
 * of PENDING and FAILED rows (outbox_event_due_idx, outbox_event_failed_idx), across tenants.
 */
@Injectable()
export class OutboxMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly read = () => this.count();

  constructor(private readonly db: TenantDb) {}

  onModuleInit(): void {
    source = this.read;
    last = { at: 0, value: null };
  }

  onModuleDestroy(): void {
    if (source === this.read) source = null;
  }

  async count(): Promise<OutboxBacklog> {
    const [row] = await this.db.maintenance(
      (em) =>
        em.query(
          `SELECT
             (SELECT count(*) FROM outbox_event WHERE status = 'PENDING')::int AS pending,
             (SELECT count(*) FROM outbox_event
               WHERE status = 'PENDING' AND next_attempt_at <= now())::int AS due,
             (SELECT count(*) FROM outbox_event WHERE status = 'FAILED')::int AS failed,
             coalesce(extract(epoch FROM now() - (SELECT min(next_attempt_at) FROM outbox_event
               WHERE status = 'PENDING' AND next_attempt_at <= now())), 0)::float AS oldest`,
        ) as Promise<Array<{ pending: number; due: number; failed: number; oldest: number }>>,
    );
    return {
      pending: Number(row.pending),
      due: Number(row.due),
      failed: Number(row.failed),
      oldestDueAgeS: Math.max(0, Math.round(Number(row.oldest))),
    };
  }
}
