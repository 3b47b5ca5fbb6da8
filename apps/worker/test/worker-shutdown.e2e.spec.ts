import type { INestApplicationContext } from '@nestjs/common';
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TenantDb } from '@vitrine/database';
import { NotificationsModule, sampleOrder } from '@vitrine/notifications';
import { Outbox, OutboxModule, OutboxWorker } from '@vitrine/outbox';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';

const REPO = resolve(__dirname, '../../..');

/**
 * Issue 9, SIGTERM for the worker (PostgreSQL only: the worker refuses the embedded database):
 * a worker told to stop while the ERP still holds its delivery waits for the answer, records
 * the event DELIVERED, and exits 0.
 */
(process.env.DATABASE_URL ? describe : describe.skip)('worker SIGTERM', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const held: ServerResponse[] = [];
  const erp = createServer((req, res) => {
    req.resume();
    req.on('end', () => held.push(res));
  });
  const build = join(REPO, 'tmp', `worker-shutdown-${process.pid}`);

  afterAll(async () => {
    for (const res of held) res.destroy();
    erp.closeAllConnections();
    await new Promise((r) => erp.close(r));
    await app?.close();
    await db?.close();
    rmSync(build, { recursive: true, force: true });
  });

  it('finishes the event being delivered, then exits 0', async () => {
    await new Promise<void>((r) => erp.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(erp.address() as AddressInfo).port}/orders`;
    db = await createTestDatabase();
    const [row] = (await db.dataSource.query(
      `INSERT INTO tenant (slug, name, status, locales, currency, theme, settings)
       VALUES ('stop-test', 'Stop Test', 'ACTIVE', '{en}', 'EUR', '{"primaryColor":"#000000"}', $1) RETURNING id`,
      [JSON.stringify({ erp: { webhookUrl: url, secretEnv: 'ERP_SECRET_STOPTEST' } })],
    )) as Array<{ id: string }>;
    app = await createTestContext(db, [OutboxModule, NotificationsModule], { OUTBOX_WORKER: 'off' });
    await app.get(TenantDb).run({ tenantId: row.id }, (em) =>
      app.get(Outbox).enqueue(em, row.id, [
        {
          topic: 'erp-webhook' as const,
          dedupeKey: 'order.placed/ST-1',
          payload: { kind: 'erp-order' as const, event: 'order.placed' as const, order: sampleOrder({ number: 'ST-1' }) },
        },
      ]),
    );
    execFileSync(
      join(REPO, 'node_modules/.bin/swc'),
      ['apps/worker/src', 'libs', '-d', build, '--config-file', '.swcrc', '--copy-files', '--quiet', '--ignore', '**/*.spec.ts'],
      { cwd: REPO, stdio: 'inherit' },
    );
    const child = spawn(process.execPath, [join(build, 'apps/worker/src/main.js')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        METRICS_PORT: '0',
        DATABASE_URL: (db.config as { url: string }).url,
        ERP_SECRET_STOPTEST: 'stop-test-secret-0123456789abcdef',
        OUTBOX_POLL_MS: '50',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const start = Date.now();
    while (held.length === 0) {
      if (Date.now() - start > 60_000) throw new Error('no delivery reached the ERP');
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.exitCode).toBeNull(); // still delivering
    held.shift()!.writeHead(204).end();
    expect(await exited).toBe(0);
    const delivered = await app.get(OutboxWorker).list({ tenant: 'stop-test', status: 'DELIVERED' });
    expect(delivered).toHaveLength(1);
  }, 120_000);
});
