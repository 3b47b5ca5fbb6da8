import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import {
  asTenantRuntime,
  RLS_PROBE_ROLE,
  createTestContext,
  createTestDatabase,
  type TestDatabase,
} from '@vitrine/testing';
import type { OutboxEvent, OutboxHandler } from './outbox-event';
import { contextFields, currentLogContext } from '@vitrine/observability';
import { OutboxHandlers } from './outbox-handlers';
import type { OutboxMessage } from './outbox-message';
import { OutboxStore } from './outbox-store';
import { OutboxWorker } from './outbox-worker';
import { Outbox, OutboxModule } from './index';

/** A consumer that records what it received and can be told to fail or to hang. */
class Recorder implements OutboxHandler {
  seen: string[] = [];
  failWith: string | null = null;
  hang = false;
  private release: Array<() => void> = [];
  async deliver(event: OutboxEvent): Promise<void> {
    this.seen.push(event.dedupeKey);
    if (this.hang) await new Promise<void>((r) => this.release.push(r));
    if (this.failWith) throw new Error(this.failWith);
  }
  unhang(): void {
    this.hang = false;
    for (const r of this.release.splice(0)) r();
  }
}

const ENV = {
  OUTBOX_LEASE_MS: '400',
  OUTBOX_MAX_ATTEMPTS: '3',
  OUTBOX_BACKOFF_BASE_MS: '60000',
  OUTBOX_BATCH_SIZE: '7',
};

const mail = (key: string): OutboxMessage => ({
  topic: 'mail',
  dedupeKey: key,
  payload: { kind: 'mail', template: 'invitation', to: ['a@b.example'], locale: 'nl', data: {} },
});

describe('outbox worker (integration)', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let tenantA: string;
  let tenantB: string;
  const recorder = new Recorder();
  const sql = <T>(q: string, p: unknown[] = []) =>
    app.get(TenantDb).maintenance((em) => em.query(q, p) as Promise<T>);
  const enqueue = (tenantId: string, messages: OutboxMessage[]) =>
    app.get(TenantDb).run({ tenantId }, (em) => app.get(Outbox).enqueue(em, tenantId, messages));
  /** Another worker process, as far as the database can tell: its own store and loop state. */
  const otherWorker = (handler: OutboxHandler, env: Record<string, string> = {}) => {
    const handlers = new OutboxHandlers();
    handlers.register('mail', handler);
    return new OutboxWorker(
      loadConfig({ NODE_ENV: 'test', ...ENV, ...env }),
      new OutboxStore(app.get(TenantDb)),
      handlers,
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [OutboxModule], ENV);
    app.get(OutboxHandlers).register('mail', recorder);
    const rows = (await db.dataSource.query(
      `INSERT INTO tenant (slug, name, status, locales, currency) VALUES
         ('outbox-a', 'A', 'ACTIVE', '{nl}', 'EUR'), ('outbox-b', 'B', 'ACTIVE', '{en}', 'EUR')
       RETURNING id, slug`,
    )) as Array<{ id: string; slug: string }>;
    tenantA = rows.find((r) => r.slug === 'outbox-a')!.id;
    tenantB = rows.find((r) => r.slug === 'outbox-b')!.id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  beforeEach(async () => {
    recorder.seen = [];
    recorder.failWith = null;
    await sql(`DELETE FROM outbox_event`);
  });

  it('delivers a due event once and records it; a duplicate enqueue is not a second event', async () => {
    await enqueue(tenantA, [mail('one'), mail('two')]);
    await enqueue(tenantA, [mail('one')]);
    expect(await app.get(OutboxWorker).drain()).toEqual({ delivered: 2, failed: 0 });
    expect(recorder.seen.sort()).toEqual(['one', 'two']);
    expect(await app.get(OutboxWorker).drain()).toEqual({ delivered: 0, failed: 0 });
    const rows = await app.get(OutboxWorker).list({ tenant: 'outbox-a' });
    expect(rows.map((r) => [r.dedupeKey, r.status, r.attempts, r.lockedUntil])).toEqual([
      ['two', 'DELIVERED', 1, null],
      ['one', 'DELIVERED', 1, null],
    ]);
    expect(rows[0].deliveredAt).toBeInstanceOf(Date);
  });

  it('delivers each event in a log context naming its tenant and the event', async () => {
    const contexts: Array<Record<string, string>> = [];
    const worker = otherWorker({
      deliver: async (event) => {
        contexts.push({ key: event.dedupeKey, ...contextFields(currentLogContext()) });
      },
    });
    await enqueue(tenantA, [mail('for-a')]);
    await enqueue(tenantB, [mail('for-b')]);
    expect(await worker.drain()).toEqual({ delivered: 2, failed: 0 });
    expect(contexts.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: 'for-a', reqId: expect.stringMatching(/^outbox-\d+$/), tenant: 'outbox-a' },
      { key: 'for-b', reqId: expect.stringMatching(/^outbox-\d+$/), tenant: 'outbox-b' },
    ]);
  });

  it('backs off after a failure, fails visibly after the last attempt, and delivers on retry', async () => {
    await enqueue(tenantA, [mail('flaky')]);
    recorder.failWith = 'connection refused';
    const worker = app.get(OutboxWorker);
    expect(await worker.drain()).toEqual({ delivered: 0, failed: 1 });
    const [first] = await worker.list();
    expect(first).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastError: 'connection refused',
    });
    const wait = first.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(25_000); // base 60 s, jitter in the upper half
    expect(wait).toBeLessThanOrEqual(60_000);
    // Not due yet: nothing is claimed.
    expect(await worker.drain()).toEqual({ delivered: 0, failed: 0 });

    for (const attempt of [2, 3]) {
      await sql(`UPDATE outbox_event SET next_attempt_at = now()`); // the backoff has passed
      expect(await worker.drain()).toEqual({ delivered: 0, failed: 1 });
      expect((await worker.list())[0].attempts).toBe(attempt);
    }
    const [failed] = await worker.list({ status: 'FAILED' });
    expect(failed).toMatchObject({
      dedupeKey: 'flaky',
      attempts: 3,
      lastError: 'connection refused',
    });
    await sql(`UPDATE outbox_event SET next_attempt_at = now()`);
    expect(await worker.drain()).toEqual({ delivered: 0, failed: 0 }); // FAILED is never picked up

    recorder.failWith = null;
    expect(await worker.retry({ failed: true, tenant: 'outbox-b' })).toEqual([]);
    expect(await worker.retry({ failed: true })).toEqual([failed.id]);
    expect(await worker.drain()).toEqual({ delivered: 1, failed: 0 });
    expect((await worker.list())[0]).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    // A delivered event is not sent again by a retry of its id.
    expect(await worker.retry({ ids: [failed.id] })).toEqual([]);
    await expect(worker.retry({ ids: ['1; DROP TABLE x'] })).rejects.toThrow(
      /Not an outbox event id/,
    );
  });

  it('never lets two concurrent workers deliver one event twice within a lease', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
    await enqueue(tenantA, keys.slice(0, 20).map(mail));
    await enqueue(tenantB, keys.slice(20).map(mail));
    const slow = (log: string[]): OutboxHandler => ({
      deliver: async (e) => {
        log.push(e.dedupeKey);
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    const a: string[] = [];
    const b: string[] = [];
    // Lease long enough for the whole run: any double delivery would be a claiming bug.
    const [ra, rb] = await Promise.all([
      otherWorker(slow(a), { OUTBOX_LEASE_MS: '60000' }).drain(),
      otherWorker(slow(b), { OUTBOX_LEASE_MS: '60000' }).drain(),
    ]);
    expect(ra.delivered + rb.delivered).toBe(40);
    expect([...a, ...b].sort()).toEqual([...keys].sort());
    const [{ n }] = await sql<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_event WHERE status = 'DELIVERED' AND attempts = 1`,
    );
    expect(n).toBe(40);
  });

  it('delivers again what a worker that died mid-delivery had claimed, once its lease expired', async () => {
    await enqueue(tenantA, [mail('x1'), mail('x2'), mail('x3')]);
    const dying = new Recorder();
    dying.hang = true;
    // Worker 1 claims everything and starts delivering, then stops answering (killed).
    const abandoned = otherWorker(dying).drain();
    await waitFor(() => dying.seen.length === 3);
    const rescuer = new Recorder();
    const second = otherWorker(rescuer);
    expect(await second.drain()).toEqual({ delivered: 0, failed: 0 }); // still leased
    await new Promise((r) => setTimeout(r, 450)); // OUTBOX_LEASE_MS = 400
    expect(await second.drain()).toEqual({ delivered: 3, failed: 0 });
    expect(rescuer.seen.sort()).toEqual(['x1', 'x2', 'x3']);
    // The first worker comes back to life: recording its stale outcome changes nothing.
    dying.unhang();
    await abandoned;
    const rows = await app.get(OutboxWorker).list();
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['DELIVERED', 2],
      ['DELIVERED', 2],
      ['DELIVERED', 2],
    ]);
  });

  it('a stale worker cannot push back an event that another worker has claimed since', async () => {
    await enqueue(tenantA, [mail('stale')]);
    const dying = new Recorder();
    dying.hang = true;
    dying.failWith = 'timeout';
    const abandoned = otherWorker(dying).drain();
    await waitFor(() => dying.seen.length === 1);
    await new Promise((r) => setTimeout(r, 450));
    const rescuer = new Recorder();
    rescuer.hang = true;
    const rescue = otherWorker(rescuer).drain();
    await waitFor(() => rescuer.seen.length === 1);
    dying.unhang(); // its failure arrives while the rescuer holds the lease
    expect(await abandoned).toEqual({ delivered: 0, failed: 1 });
    expect((await app.get(OutboxWorker).list())[0]).toMatchObject({
      status: 'PENDING',
      lastError: null,
    });
    rescuer.unhang();
    expect(await rescue).toEqual({ delivered: 1, failed: 0 });
  });

  it('fails an event whose every attempt killed its worker, instead of looping forever', async () => {
    await enqueue(tenantA, [mail('poison')]);
    await sql(
      `UPDATE outbox_event SET attempts = 3, locked_until = now() - interval '1 second', last_error = 'boom'`,
    );
    expect(await app.get(OutboxWorker).drain()).toEqual({ delivered: 0, failed: 0 });
    const [row] = await app.get(OutboxWorker).list({ status: 'FAILED' });
    expect(row.lastError).toMatch(/lease expired.*boom/);
    expect(recorder.seen).toEqual([]);
  });

  it('leaves topics without a handler in this process to a process that has one', async () => {
    await enqueue(tenantA, [{ ...mail('erp'), topic: 'erp-file' }]);
    expect(await app.get(OutboxWorker).drain()).toEqual({ delivered: 0, failed: 0 });
    expect((await app.get(OutboxWorker).list())[0]).toMatchObject({
      status: 'PENDING',
      attempts: 0,
    });
  });

  it("keeps each tenant's outbox rows out of another tenant's unit of work", async () => {
    await enqueue(tenantA, [mail('secret-a')]);
    await enqueue(tenantB, [mail('mine-b')]);
    const seen = await asTenantRuntime(db.dataSource, tenantB, ['outbox_event'], async (em) => {
      const rows = (await em.query(`SELECT dedupe_key FROM outbox_event`)) as Array<{
        dedupe_key: string;
      }>;
      const touched = (await em.query(
        `UPDATE outbox_event SET status = 'FAILED' WHERE dedupe_key = 'secret-a' RETURNING id`,
      )) as unknown[];
      return { rows: rows.map((r) => r.dedupe_key), touched: (touched[0] as unknown[]).length };
    });
    expect(seen).toEqual({ rows: ['mine-b'], touched: 0 });
    await db.dataSource.query(`GRANT USAGE ON SEQUENCE outbox_event_id_seq TO ${RLS_PROBE_ROLE}`);
    await expect(
      asTenantRuntime(db.dataSource, tenantB, ['outbox_event'], (em) =>
        em.query(
          `INSERT INTO outbox_event (tenant_id, topic, dedupe_key, payload) VALUES ($1, 'mail', 'forged', '{}')`,
          [tenantA],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('runs a polling loop that delivers without being asked, and stops cleanly', async () => {
    const worker = otherWorker(recorder, { OUTBOX_POLL_MS: '20' });
    worker.start();
    try {
      await enqueue(tenantB, [mail('polled')]);
      await waitFor(() => recorder.seen.includes('polled'));
    } finally {
      await worker.stop();
    }
    await waitFor(async () => (await app.get(OutboxWorker).list())[0]?.status === 'DELIVERED');
  });
});

async function waitFor(probe: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > ms) throw new Error(`not observed within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
