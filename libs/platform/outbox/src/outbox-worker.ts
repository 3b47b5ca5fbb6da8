import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { withLogContext } from '@vitrine/observability';
import { backoffDelay } from './backoff';
import type { OutboxRecord, OutboxStatus } from './outbox-event';
import { OutboxHandlers } from './outbox-handlers';
import { OutboxStore, type Claimed } from './outbox-store';

/** What one pass did. */
export interface DrainResult {
  delivered: number;
  /** Failed attempts (retried later, or FAILED when out of attempts). */
  failed: number;
}

/**
 * The consumer side of the outbox: claims due events across tenants (see
 * {@link OutboxStore.claim}), delivers each through the handler of its topic outside any
 * transaction, and records the outcome. Delivery is at least once: a worker that dies between
 * a delivery and its record leaves a lease that expires, and the event is delivered again.
 *
 * `drain()` delivers everything due now (tests, the CLI); `start()`/`stop()` run a polling loop
 * (the API's inline worker, apps/worker); `wake()` cuts the current wait short.
 */
@Injectable()
export class OutboxWorker {
  private readonly log = new Logger('Outbox');
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;
  private wokenDuringPass = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: OutboxStore,
    private readonly handlers: OutboxHandlers,
  ) {}

  /** Delivers every event that is due, until none is left; events that fail wait for their backoff. */
  async drain(): Promise<DrainResult> {
    const total: DrainResult = { delivered: 0, failed: 0 };
    for (;;) {
      const batch = await this.deliverBatch();
      total.delivered += batch.delivered;
      total.failed += batch.failed;
      if (batch.delivered + batch.failed === 0) return total;
    }
  }

  /** Starts polling every `OUTBOX_POLL_MS`. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.log.log(`Delivering outbox events (${this.handlers.topics().join(', ') || 'no topics'})`);
    this.schedule(0);
  }

  /** Stops polling and waits for the deliveries in progress to be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass;
  }

  /** Polls now instead of after the interval (e.g. right after a producer committed). */
  wake(): void {
    if (!this.running) return;
    if (this.pass) {
      this.wokenDuringPass = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.schedule(0);
  }

  /** See {@link OutboxStore.list}. */
  list(
    filter: { status?: OutboxStatus; tenant?: string; limit?: number } = {},
  ): Promise<OutboxRecord[]> {
    return this.store.list(filter);
  }

  /** See {@link OutboxStore.retry}; wakes the loop so retried events go out at once. */
  async retry(
    target: { ids: readonly string[] } | { failed: true; tenant?: string },
  ): Promise<string[]> {
    const ids = await this.store.retry(target);
    this.wake();
    return ids;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pass = this.drain()
        .then(() => undefined)
        .catch((err: unknown) => this.log.error(`Outbox poll failed: ${message(err)}`))
        .finally(() => {
          this.pass = null;
          const again = this.wokenDuringPass;
          this.wokenDuringPass = false;
          if (this.running) this.schedule(again ? 0 : this.config.outbox.pollMs);
        });
    }, ms);
    // The loop alone never keeps a process alive (the CLI, tests); the HTTP server or the
    // worker's own keep-alive does.
    this.timer.unref();
  }

  private async deliverBatch(): Promise<DrainResult> {
    const o = this.config.outbox;
    const claimed = await this.store.claim(
      this.handlers.topics(),
      o.batchSize,
      o.leaseMs,
      o.maxAttempts,
    );
    const result: DrainResult = { delivered: 0, failed: 0 };
    const delivered: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        const c = claimed[next++];
        if (await this.deliverOne(c)) delivered.push(c.event.id);
        else result.failed++;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(o.concurrency, claimed.length) }, lane));
    } finally {
      // The batch's deliveries recorded in one statement. Events of a worker that dies before
      // this are delivered again once their leases expire: at least once, as always.
      await this.store.delivered(delivered);
    }
    result.delivered = delivered.length;
    return result;
  }

  /** One delivery with its own log context: every line names the event and its tenant. */
  private deliverOne(c: Claimed): Promise<boolean> {
    return withLogContext(
      { reqId: `outbox-${c.event.id}`, tenant: c.tenantSlug ?? c.event.tenantId },
      () => this.deliverInContext(c),
    );
  }

  private async deliverInContext(c: Claimed): Promise<boolean> {
    const { event } = c;
    const o = this.config.outbox;
    try {
      const handler = this.handlers.get(event.topic);
      if (!handler) throw new Error(`no handler for topic "${event.topic}" in this process`);
      await handler.deliver(event);
    } catch (err) {
      const delay = backoffDelay(event.attempts, o.backoffBaseMs, o.backoffMaxMs);
      const status = await this.store.fail(c, message(err), delay, o.maxAttempts);
      const outcome =
        status === 'FAILED'
          ? 'FAILED, retry with `vitrine outbox retry`'
          : status === 'PENDING'
            ? `next attempt in ${Math.round(delay / 1000)} s`
            : 'lease lost to another worker';
      this.log.warn(
        `Outbox event ${event.id} (${event.topic} ${event.dedupeKey}, tenant ${event.tenantId}) ` +
          `attempt ${event.attempts}/${o.maxAttempts} failed: ${message(err)} — ${outcome}`,
      );
      return false;
    }
    return true;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
