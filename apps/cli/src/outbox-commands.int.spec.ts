import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@vitrine/config';
import { createDataSource, ensureSchema } from '@vitrine/database';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { memoryIO } from './memory-io';
import { runCli } from './program';

/**
 * `vitrine outbox list|retry` against a real database: PostgreSQL when DATABASE_URL is set,
 * otherwise an embedded database in a temp folder (each command opens it like the CLI does).
 */
describe('vitrine outbox', () => {
  // Each command opens the database like a separate `npx vitrine` would: slow on a busy machine.
  jest.setTimeout(600_000);
  let config: AppConfig;
  let pg: TestDatabase | null = null;
  let dir: string;

  /** stdout of `vitrine outbox …`; a failure rejects with its stderr (and exit code). */
  const run = async (...args: string[]) => {
    const io = memoryIO();
    const code = await runCli(['node', 'vitrine', 'outbox', ...args], {
      config: () => config,
      io,
    });
    if (code !== 0) throw new Error(`exit ${code}: ${io.stderr.text()}`);
    return io.stdout.text();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-outbox-'));
    const env = { NODE_ENV: 'test' as const, LOG_LEVEL: 'silent', VITRINE_DATA_DIR: dir };
    if (process.env.DATABASE_URL) {
      pg = await createTestDatabase();
      await pg.dataSource.destroy();
      config = loadConfig({ ...env, DATABASE_URL: (pg.config as { url: string }).url });
    } else config = loadConfig(env);
    const ds = await createDataSource(config.database);
    try {
      await ensureSchema(ds, config.database, true);
      await ds.query(`INSERT INTO tenant (slug, name, status, locales, currency) VALUES
        ('cli-a', 'A', 'ACTIVE', '{en}', 'EUR'), ('cli-b', 'B', 'ACTIVE', '{en}', 'EUR')`);
      await ds.query(`INSERT INTO outbox_event (tenant_id, topic, dedupe_key, payload, status, attempts, last_error)
        SELECT t.id, 'erp-webhook', 'order.placed/' || t.slug || '/' || lower(s.status), '{}', s.status, s.attempts, s.err
          FROM tenant t, (VALUES ('FAILED', 10, 'HTTP 503'), ('DELIVERED', 1, NULL)) AS s(status, attempts, err)
         WHERE t.slug LIKE 'cli-%'`);
    } finally {
      await ds.destroy();
    }
  });

  afterAll(async () => {
    await pg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists events by status and tenant, as text and as JSON', async () => {
    const text = await run('list', '--status', 'FAILED');
    expect(text).toMatch(
      /FAILED\s+cli-b\s+erp-webhook\s+order\.placed\/cli-b\/failed\s+attempts 10/,
    );
    expect(text).toContain('last error: HTTP 503');
    expect(text).not.toContain('DELIVERED');
    const json = JSON.parse(await run('list', '--tenant', 'cli-a', '--json')) as Array<{
      status: string;
    }>;
    expect(json.map((r) => r.status).sort()).toEqual(['DELIVERED', 'FAILED']);
    await expect(run('list', '--status', 'LOST')).rejects.toThrow(
      /Allowed choices are PENDING, DELIVERED, FAILED/,
    );
  });

  it("retries one tenant's failed events, then any by id; delivered ones are left alone", async () => {
    const failed = JSON.parse(await run('list', '--status', 'FAILED', '--json')) as Array<{
      id: string;
      tenantSlug: string;
    }>;
    const a = failed.find((r) => r.tenantSlug === 'cli-a')!;
    const b = failed.find((r) => r.tenantSlug === 'cli-b')!;
    expect(await run('retry', '--failed', '--tenant', 'cli-a')).toBe(
      `Retrying 1 event(s): ${a.id}\n`,
    );
    const delivered = JSON.parse(
      await run('list', '--status', 'DELIVERED', '--tenant', 'cli-b', '--json'),
    ) as Array<{ id: string }>;
    expect(JSON.parse(await run('retry', b.id, delivered[0].id, '--json'))).toEqual({
      retried: [b.id],
      notRetried: [delivered[0].id],
    });
    const pending = JSON.parse(await run('list', '--status', 'PENDING', '--json')) as Array<{
      id: string;
      attempts: number;
    }>;
    expect(pending.map((r) => [r.id, r.attempts]).sort()).toEqual(
      [
        [a.id, 0],
        [b.id, 0],
      ].sort(),
    );
    expect(await run('list', '--status', 'FAILED')).toBe('No outbox events.\n');
  });

  it('refuses a retry without ids or --failed, with both, and an id that is not one', async () => {
    await expect(run('retry')).rejects.toThrow(/either event ids or --failed/);
    await expect(run('retry', '1', '--failed')).rejects.toThrow(/either event ids or --failed/);
    await expect(run('retry', '1', '--tenant', 'cli-a')).rejects.toThrow(
      /--tenant goes with --failed/,
    );
    await expect(run('retry', 'abc')).rejects.toThrow(/"abc" is not an outbox event id/);
  });
});
