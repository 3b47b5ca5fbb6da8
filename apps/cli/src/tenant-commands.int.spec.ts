import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@vitrine/config';
import { createDataSource } from '@vitrine/database';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { EXIT } from './exit-codes';
import { memoryIO } from './memory-io';
import { runCli } from './program';

/**
 * `vitrine tenant create|suspend` and `vitrine tenants list|export` against a real database
 * (PostgreSQL when DATABASE_URL is set, otherwise an embedded one in a temp folder), with the
 * exit codes scripts rely on, and the round trip export → sync → unchanged.
 */
describe('vitrine tenant / tenants', () => {
  // Each command opens the database like a separate `npx vitrine` would: slow on a busy machine.
  jest.setTimeout(600_000);
  let config: AppConfig;
  let pg: TestDatabase | null = null;
  let dir: string;

  const run = async (...args: string[]) => {
    const io = memoryIO();
    const code = await runCli(['node', 'vitrine', ...args], { config: () => config, io });
    return { out: io.stdout.text(), err: io.stderr.text(), code };
  };
  const tenantRows = async () => {
    const ds = await createDataSource(config.database);
    try {
      return (await ds.query(
        `SELECT slug, status, version FROM tenant ORDER BY slug`,
      )) as unknown[];
    } finally {
      await ds.destroy();
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vitrine-cli-tenants-'));
    const env = { NODE_ENV: 'test' as const, LOG_LEVEL: 'silent', VITRINE_DATA_DIR: dir };
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

  it('creates a tenant from flags and lists it', async () => {
    const created = await run(
      'tenant',
      'create',
      '--slug',
      'cli-shop',
      '--name',
      'CLI Shop',
      '--domain',
      'cli-shop.localhost,www.cli-shop.example',
      '--status',
      'ACTIVE',
      '--json',
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({
      slug: 'cli-shop',
      status: 'ACTIVE',
      domains: ['cli-shop.localhost', 'www.cli-shop.example'],
    });
    const list = await run('tenants', 'list', '--json');
    expect(JSON.parse(list.out)).toEqual([
      {
        slug: 'cli-shop',
        name: 'CLI Shop',
        status: 'ACTIVE',
        domains: ['cli-shop.localhost', 'www.cli-shop.example'],
      },
    ]);
    expect(JSON.parse((await run('tenants', 'list', '--status', 'DRAFT', '--json')).out)).toEqual(
      [],
    );
  });

  it('creates a tenant from a tenant.yaml, DRAFT unless it says otherwise', async () => {
    const file = join(dir, 'draft.yaml');
    writeFileSync(
      file,
      'slug: cli-draft\nname: CLI Draft\ndomains: [cli-draft.localhost]\nlocales: [en]\ncurrency: EUR\n',
    );
    const res = await run('tenant', 'create', '--file', file);
    expect(res).toMatchObject({
      code: 0,
      out: 'Created tenant cli-draft (DRAFT) on cli-draft.localhost\n',
    });
  });

  it('refuses bad input (3), a clash (5) and an unknown tenant (6), applying nothing', async () => {
    const before = await tenantRows();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'slug: cli-bad\nname: Bad\ndomains: [cli-bad.localhost]\nlocales: [en]\ncurrency: EUR\ntheme: ../../etc\n',
    );
    const bad = await run('tenant', 'create', '--file', file);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.err).toMatch(/theme: "\.\.\/\.\.\/etc" points outside the tenant's folder/);
    const clash = await run(
      'tenant',
      'create',
      '--slug',
      'cli-other',
      '--name',
      'Other',
      '--domain',
      'cli-shop.localhost',
    );
    expect(clash.code).toBe(EXIT.conflict);
    expect(clash.err).toMatch(
      /domains\[0\]: domain "cli-shop.localhost" already belongs to tenant "cli-shop"/,
    );
    const duplicate = await run(
      'tenant',
      'create',
      '--slug',
      'cli-shop',
      '--name',
      'Again',
      '--domain',
      'x.localhost',
    );
    expect(duplicate.code).toBe(EXIT.conflict);
    expect((await run('tenant', 'suspend', 'nope')).code).toBe(EXIT.notFound);
    const missing = await run('tenant', 'suspend', 'nope', '--json');
    expect(missing.code).toBe(EXIT.notFound);
    expect(JSON.parse(missing.out)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.stringContaining('"nope"'), details: {} },
    });
    const clashJson = await run(
      'tenant',
      'create',
      '--slug',
      'cli-other',
      '--name',
      'Other',
      '--domain',
      'cli-shop.localhost',
      '--json',
    );
    expect(clashJson.code).toBe(EXIT.conflict);
    expect(JSON.parse(clashJson.out)).toMatchObject({
      error: {
        code: 'CONFLICT',
        details: { problems: [expect.objectContaining({ path: 'domains[0]' })] },
      },
    });
    const badJson = await run('tenant', 'create', '--file', file, '--json');
    expect(badJson.code).toBe(EXIT.invalidInput);
    expect(JSON.parse(badJson.out).error.code).toBe('BAD_USER_INPUT');
    const usage = await run('tenant', 'create', '--name', 'No slug');
    expect(usage.code).toBe(EXIT.usage);
    expect(await tenantRows()).toEqual(before);
  });

  it('suspends a tenant; suspending a draft is refused by the life cycle', async () => {
    const res = await run('tenant', 'suspend', 'cli-shop');
    expect(res).toMatchObject({
      code: 0,
      out: expect.stringContaining('Suspended tenant cli-shop (SUSPENDED)'),
    });
    const draft = await run('tenant', 'suspend', 'cli-draft');
    expect(draft.code).toBe(EXIT.conflict);
    expect(draft.err).toMatch(/is DRAFT and cannot become SUSPENDED/);
  });

  it('exports a tenant as tenant.yaml that `tenants sync` finds unchanged', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vitrine-cli-export-'));
    try {
      const res = await run('tenants', 'export', 'cli-shop', '--out', out);
      expect(res.code).toBe(0);
      const file = join(out, 'cli-shop', 'tenant.yaml');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/^status: suspended$/m);
      const plan = await run('tenants', 'sync', '--dir', out, '--dry-run', '--json');
      expect(JSON.parse(plan.out).tenants).toEqual([
        expect.objectContaining({ slug: 'cli-shop', action: 'unchanged' }),
      ]);
      // Not overwritten without --force.
      expect((await run('tenants', 'export', 'cli-shop', '--out', out)).code).toBe(EXIT.usage);
      const forced = await run('tenants', 'export', 'cli-shop', '--out', out, '--force', '--json');
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.out)).toEqual({
        slug: 'cli-shop',
        file,
        yaml: readFileSync(file, 'utf8'),
      });
      const printed = await run('tenants', 'export', 'cli-shop', '--stdout', '--json');
      expect(JSON.parse(printed.out)).toMatchObject({ slug: 'cli-shop', file: null });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('walks the life cycle: activate, suspend, archive (domains freed); forbidden steps exit 5', async () => {
    const activated = await run('tenant', 'activate', 'cli-draft', '--json');
    expect(activated.code).toBe(0);
    expect(JSON.parse(activated.out)).toMatchObject({ slug: 'cli-draft', status: 'ACTIVE' });
    expect(await run('tenant', 'activate', 'cli-draft')).toMatchObject({
      code: 0,
      out: 'Unchanged: tenant cli-draft (ACTIVE) on cli-draft.localhost\n',
    });
    const early = await run('tenant', 'archive', 'cli-draft');
    expect(early.code).toBe(EXIT.conflict);
    expect(early.err).toMatch(/is ACTIVE and cannot become ARCHIVED; it can become SUSPENDED/);
    expect((await run('tenant', 'suspend', 'cli-draft')).code).toBe(0);
    const archived = await run('tenant', 'archive', 'cli-draft', '--json');
    expect(archived.code).toBe(0);
    expect(JSON.parse(archived.out)).toMatchObject({ slug: 'cli-draft', status: 'ARCHIVED' });
    expect((await run('tenant', 'activate', 'cli-draft')).code).toBe(EXIT.conflict);
    const reuse = await run(
      'tenant',
      'create',
      '--slug',
      'cli-draft-2',
      '--name',
      'Second',
      '--domain',
      'cli-draft.localhost',
    );
    expect(reuse).toMatchObject({
      code: 0,
      out: expect.stringContaining('on cli-draft.localhost'),
    });
  });
});
