import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { NotificationsModule, sampleOrder, verifyWebhookSignature } from '@vitrine/notifications';
import { Outbox, OutboxHandlers, OutboxModule, OutboxStore, OutboxWorker } from '@vitrine/outbox';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';

const REPO = resolve(__dirname, '../../..');
const SECRET = 'kill-test-secret-0123456789abcdef';
const EVENTS = 6;
const LEASE_MS = 1500;

/**
 * The ERP side: verifies each signature, stores an order the first time its event id arrives
 * (before answering, as a consumer that commits and then loses the connection would) and, while
 * `hold` is on, never answers — a worker killed then has started deliveries it never finished.
 */
class Erp {
  seen = new Map<string, number>();
  stored = new Map<string, unknown>();
  badSignatures = 0;
  hold = true;
  private held: ServerResponse[] = [];
  private server = createServer((req, res) => void this.handle(req, res));

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    if (!verifyWebhookSignature(SECRET, req.headers['x-vitrine-signature'] as string, body)) {
      this.badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const id = String(req.headers['x-vitrine-event-id']);
    this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
    if (!this.stored.has(id)) this.stored.set(id, JSON.parse(body));
    if (this.hold) this.held.push(res);
    else res.writeHead(204).end();
  }

  heldCount(): number {
    return this.held.length;
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/vitrine/orders`;
  }

  async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

async function waitFor(
  what: string,
  probe: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const start = Date.now();
  while (!(await probe())) {
    if (Date.now() - start > ms) throw new Error(`${what}: not observed within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Issue 6, "speed and proof": a worker killed mid-delivery loses nothing. With DATABASE_URL
 * (CI) the worker is a real process (apps/worker, compiled like `npm run build`) that gets
 * SIGKILL while the ERP holds its requests; a second process delivers everything after the
 * lease. On the embedded database (one process owns it) the same happens in-process: the first
 * worker is abandoned mid-delivery and a second worker takes over after the lease.
 */
describe('worker killed mid-delivery', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const erp = new Erp();
  let tenantId: string;
  const children: ChildProcess[] = [];
  const build = join(REPO, 'tmp', `worker-kill-${process.pid}`);
  const env = {
    ERP_SECRET_KILLTEST: SECRET,
    OUTBOX_LEASE_MS: String(LEASE_MS),
    OUTBOX_POLL_MS: '50',
    OUTBOX_BACKOFF_BASE_MS: '50',
    ERP_WEBHOOK_TIMEOUT_MS: '60000',
  };

  beforeAll(async () => {
    const url = await erp.listen();
    db = await createTestDatabase();
    const [row] = (await db.dataSource.query(
      `INSERT INTO tenant (slug, name, status, locales, currency, theme, settings)
       VALUES ('kill-test', 'Kill Test', 'ACTIVE', '{en}', 'EUR', '{"primaryColor":"#000000"}', $1) RETURNING id`,
      [
        JSON.stringify({
          erp: { webhookUrl: url, secretEnv: 'ERP_SECRET_KILLTEST', dropFolder: true },
        }),
      ],
    )) as Array<{ id: string }>;
    tenantId = row.id;
    await db.dataSource.query(
      `INSERT INTO tenant_domain (domain, tenant_id, is_primary) VALUES ('kill-test.localhost', $1, true)`,
      [tenantId],
    );
    // This context only enqueues and observes: its own loop is off.
    app = await createTestContext(db, [OutboxModule, NotificationsModule], {
      ...env,
      OUTBOX_WORKER: 'off',
    });
    const outbox = app.get(Outbox);
    await app.get(TenantDb).run({ tenantId }, (em) =>
      outbox.enqueue(
        em,
        tenantId,
        Array.from({ length: EVENTS }, (_, i) => ({
          topic: 'erp-webhook' as const,
          dedupeKey: `order.placed/KT-${i + 1}`,
          payload: {
            kind: 'erp-order' as const,
            event: 'order.placed' as const,
            order: sampleOrder({ number: `KT-${i + 1}` }),
          },
        })),
      ),
    );
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await erp.close();
    await app?.close();
    await db?.close();
    rmSync(build, { recursive: true, force: true });
  });

  const delivered = async () =>
    (await app.get(OutboxWorker).list({ tenant: 'kill-test', status: 'DELIVERED' })).length;

  const expectEveryEventDeliveredAndStoredOnce = async () => {
    await waitFor('every event DELIVERED', async () => (await delivered()) === EVENTS);
    const keys = Array.from({ length: EVENTS }, (_, i) => `order.placed/KT-${i + 1}`);
    expect([...erp.stored.keys()].sort()).toEqual([...keys].sort());
    for (const k of keys) expect(erp.seen.get(k)).toBeGreaterThanOrEqual(1);
    // The deliveries cut off by the kill were made again: at least once, never lost.
    expect([...erp.seen.values()].some((n) => n >= 2)).toBe(true);
    expect(erp.badSignatures).toBe(0);
  };

  (process.env.DATABASE_URL ? it : it.skip)(
    'PostgreSQL: SIGKILL one worker process while the ERP holds its requests; the next process delivers every event',
    async () => {
      // Compiled like `npm run build`, into tmp/ (node_modules resolve from the repository).
      execFileSync(
        join(REPO, 'node_modules/.bin/swc'),
        [
          'apps/worker/src',
          'libs',
          '-d',
          build,
          '--config-file',
          '.swcrc',
          '--copy-files',
          '--quiet',
          '--ignore',
          '**/*.spec.ts',
        ],
        { cwd: REPO, stdio: 'inherit' },
      );
      const start = () => {
        const child = spawn(process.execPath, [join(build, 'apps/worker/src/main.js')], {
          cwd: REPO,
          env: {
            PATH: process.env.PATH,
            NODE_ENV: 'test',
            LOG_LEVEL: 'warn',
            DATABASE_URL: (db.config as { url: string }).url,
            ...env,
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        children.push(child);
        return child;
      };
      const exited = (c: ChildProcess) => new Promise((r) => c.once('exit', r));

      const first = start();
      await waitFor('the first worker has deliveries in flight', () => erp.heldCount() >= 1);
      const gone = exited(first);
      first.kill('SIGKILL');
      await gone;
      expect(await delivered()).toBe(0);

      erp.hold = false;
      const second = start();
      await expectEveryEventDeliveredAndStoredOnce();
      const done = exited(second);
      second.kill('SIGTERM');
      await done;
    },
    120_000,
  );

  (process.env.DATABASE_URL ? it.skip : it)(
    'embedded database: a worker abandoned mid-delivery; a second worker delivers every event after the lease',
    async () => {
      const handlers = app.get(OutboxHandlers);
      const config = loadConfig({ NODE_ENV: 'test', ...env });
      const worker = () => new OutboxWorker(config, new OutboxStore(app.get(TenantDb)), handlers);
      const first = worker();
      // Hangs: the ERP holds its requests, as if the process had died (its late outcome is fenced off).
      void first.drain().catch(() => undefined);
      await waitFor('the first worker has deliveries in flight', () => erp.heldCount() >= 1);
      erp.hold = false;
      const second = worker();
      expect(await second.drain()).toEqual({ delivered: 0, failed: 0 }); // leased by the first
      await new Promise((r) => setTimeout(r, LEASE_MS + 100));
      const result = await second.drain();
      expect(result.failed).toBe(0);
      await expectEveryEventDeliveredAndStoredOnce();
    },
    60_000,
  );
});
