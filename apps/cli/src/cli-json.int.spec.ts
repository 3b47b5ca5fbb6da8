import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@vitrine/config';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { EXIT } from './exit-codes';
import { memoryIO } from './memory-io';
import { runCli } from './program';

/**
 * `--json` of the commands not covered by tenant-commands / outbox-commands int tests — db
 * migrate, seed, imports, admin create|token — against a real database (PostgreSQL when
 * DATABASE_URL is set, otherwise an embedded one in a temp folder): stdout is exactly one JSON
 * document, nothing is written to the process's stdout behind the CLI's back, and refusals
 * exit by the one table.
 */
describe('vitrine --json', () => {
  jest.setTimeout(600_000);
  let config: AppConfig;
  let pg: TestDatabase | null = null;
  let dir: string;

  const run = async (...args: string[]) => {
    const io = memoryIO();
    const stray: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stray.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runCli(['node', 'vitrine', ...args, '--json'], { config: () => config, io });
    } finally {
      spy.mockRestore();
    }
    expect(stray).toEqual([]);
    const out = io.stdout.text();
    return { code, json: JSON.parse(out) as Record<string, unknown>, out, err: io.stderr.text() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-json-'));
    const env = {
      NODE_ENV: 'test' as const,
      LOG_LEVEL: 'silent',
      VITRINE_DATA_DIR: dir,
      // An inline outbox worker would mail the seed's invitations from inside the CLI.
      OUTBOX_WORKER: 'off',
    };
    if (process.env.DATABASE_URL) {
      pg = await createTestDatabase();
      await pg.dataSource.destroy();
      config = loadConfig({ ...env, DATABASE_URL: (pg.config as { url: string }).url });
    } else config = loadConfig(env);
  });

  afterAll(async () => {
    await pg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('db migrate and seed report what they did', async () => {
    const migrate = await run('db', 'migrate');
    expect(migrate.code).toBe(EXIT.ok);
    expect(migrate.json).toEqual({ database: config.database.kind, applied: expect.any(Array) });
    const again = await run('db', 'migrate');
    expect(again.json).toEqual({ database: config.database.kind, applied: [] });

    const seed = await run('seed', '--products', '60', '--tenants', '0');
    expect({ code: seed.code, err: seed.code ? seed.err : '' }).toEqual({ code: EXIT.ok, err: '' });
    expect(seed.json).toMatchObject({
      variants: 60,
      tenants: expect.arrayContaining([
        expect.objectContaining({ slug: 'jansen-bouw', action: 'create' }),
      ]),
    });
  });

  it('imports report their counts; rejected rows exit 4, an unreadable file 2', async () => {
    const prices = join(dir, 'prices.csv');
    writeFileSync(
      prices,
      'type,sku,amount,currency,min_quantity,price_list,tenant,company,valid_from,valid_until\n' +
        'list,SKU-000001,14.95,,,,,,,\n' +
        'list,SKU-999999,1.00,,,,,,,\n',
    );
    const res = await run('import', 'prices', prices);
    expect(res.code).toBe(EXIT.rowsRejected);
    expect(res.json).toMatchObject({ read: 2, rejected: 1, rejectsPath: `${prices}.rejects.csv` });

    const catalog = await run('import', 'catalog', join(dir, 'missing.csv'));
    expect(catalog.code).toBe(EXIT.usage);
    expect(catalog.json).toMatchObject({ error: { code: 'USAGE' } });

    const columns = join(dir, 'catalog.csv');
    writeFileSync(columns, 'sku,wieght_grams\nX-1,10\n');
    const bad = await run('import', 'catalog', columns);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.json).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
  });

  it('admin create and token: the account once, a duplicate is a conflict (5)', async () => {
    const created = await run(
      'admin',
      'create',
      '--email',
      'ops@seller.example',
      '--name',
      'Ops',
      '--role',
      'SUPER_ADMIN',
    );
    expect(created.code).toBe(EXIT.ok);
    expect(created.json).toMatchObject({
      admin: { email: 'ops@seller.example', roles: ['SUPER_ADMIN'] },
      password: expect.any(String),
    });
    const duplicate = await run(
      'admin',
      'create',
      '--email',
      'ops@seller.example',
      '--name',
      'Ops',
      '--role',
      'SUPER_ADMIN',
    );
    expect(duplicate.code).toBe(EXIT.conflict);
    expect(duplicate.json).toMatchObject({ error: { code: 'CONFLICT' } });
    const invalid = await run(
      'admin',
      'create',
      '--email',
      'nope',
      '--name',
      'X',
      '--role',
      'SUPER_ADMIN',
    );
    expect(invalid.code).toBe(EXIT.invalidInput);
    expect(invalid.json).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    expect(invalid.err).toMatch(/^BAD_USER_INPUT: "nope" is not an e-mail address/);

    const token = await run('admin', 'token', '--subject', 'ci', '--ttl', '1');
    expect(token.code).toBe(EXIT.ok);
    expect(token.json).toEqual({
      token: expect.stringMatching(/^ey/),
      subject: 'ci',
      expiresAt: expect.any(String),
    });
    expect(token.err).toBe('');
  });
});
