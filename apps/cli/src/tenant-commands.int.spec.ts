import type { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '@vitrine/config';
import { createDataSource } from '@vitrine/database';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { buildProgram } from './program';
import { TENANT_EXIT } from './tenant-commands';

/**
 * `vitrine tenant create|suspend` and `vitrine tenants list|export` against a real database
 * (PostgreSQL when DATABASE_URL is set, otherwise an embedded one in a temp folder), with the
 * exit codes scripts rely on, and the round trip export → sync → unchanged.
 */
describe('vitrine tenant / tenants', () => {
  let config: AppConfig;
  let pg: TestDatabase | null = null;
  let dir: string;

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const writeErr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    process.exitCode = undefined;
    try {
      const program = buildProgram(() => config);
      const overrideAll = (c: Command): void => {
        c.exitOverride().configureOutput({ writeErr: () => undefined });
        c.commands.forEach(overrideAll);
      };
      overrideAll(program);
      await program.parseAsync(['node', 'vitrine', ...args]);
      return { out: out.join(''), err: err.join(''), code: process.exitCode ?? 0 };
    } finally {
      process.exitCode = undefined;
      write.mockRestore();
      writeErr.mockRestore();
    }
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
    expect(bad.code).toBe(TENANT_EXIT.invalidInput);
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
    expect(clash.code).toBe(TENANT_EXIT.conflict);
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
    expect(duplicate.code).toBe(TENANT_EXIT.conflict);
    expect((await run('tenant', 'suspend', 'nope')).code).toBe(TENANT_EXIT.notFound);
    const usage = await run('tenant', 'create', '--name', 'No slug');
    expect(usage.code).toBe(TENANT_EXIT.usage);
    expect(await tenantRows()).toEqual(before);
  });

  it('suspends a tenant; suspending a draft is refused by the life cycle', async () => {
    const res = await run('tenant', 'suspend', 'cli-shop');
    expect(res).toMatchObject({
      code: 0,
      out: expect.stringContaining('Suspended tenant cli-shop (SUSPENDED)'),
    });
    const draft = await run('tenant', 'suspend', 'cli-draft');
    expect(draft.code).toBe(TENANT_EXIT.conflict);
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
      expect((await run('tenants', 'export', 'cli-shop', '--out', out)).code).toBe(
        TENANT_EXIT.usage,
      );
      expect((await run('tenants', 'export', 'cli-shop', '--out', out, '--force')).code).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
