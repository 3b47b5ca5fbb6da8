import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@vitrine/config';
import { createDataSource, ensureSchema, SchemaBehindError } from './data-source';
import { TenantDb } from './tenant-db';

// PGlite in memory by default; a scratch database on PostgreSQL when DATABASE_URL is set.
async function freshDataSource(): Promise<{
  ds: DataSource;
  config: DatabaseConfig;
  drop: () => Promise<void>;
}> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const config: DatabaseConfig = { kind: 'pglite', dataDir: 'memory://' };
    const ds = await createDataSource(config);
    return { ds, config, drop: () => ds.destroy() };
  }
  const admin = await createDataSource({ kind: 'postgres', url });
  const name = `vitrine_dbspec_${process.pid}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: u.toString() };
  const ds = await createDataSource(config);
  return {
    ds,
    config,
    drop: async () => {
      await ds.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

describe('database', () => {
  let ds: DataSource;
  let config: DatabaseConfig;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, config, drop } = await freshDataSource());
  });
  afterAll(() => drop());

  it('refuses a database whose migrations are behind and says how to run them', async () => {
    await expect(
      ensureSchema(ds, { kind: 'postgres', url: 'postgres://unused' }, false),
    ).rejects.toThrow(SchemaBehindError);
    await expect(
      ensureSchema(ds, { kind: 'postgres', url: 'postgres://unused' }, false),
    ).rejects.toThrow(/npm run db:migrate/);
  });

  it('migrates, and then starts without complaint', async () => {
    await ensureSchema(ds, config, true);
    await expect(ensureSchema(ds, config, false)).resolves.toBeUndefined();
    const tables = (await ds.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
    )) as Array<{ tablename: string }>;
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining([
        'tenant',
        'tenant_domain',
        'variant',
        'tenant_variant',
        'price_list_entry',
      ]),
    );
  });

  it('sets app.tenant_id only inside the unit of work', async () => {
    const db = new TenantDb(ds);
    const inside = await db.run({ tenantId: '00000000-0000-4000-8000-000000000001' }, (em) =>
      em.query(`SELECT current_setting('app.tenant_id', true) AS t`),
    );
    expect(inside[0].t).toBe('00000000-0000-4000-8000-000000000001');
    const outside = await ds.query(
      `SELECT coalesce(current_setting('app.tenant_id', true), '') AS t`,
    );
    expect(outside[0].t).toBe('');
  });

  it('refuses a unit of work or a side statement opened inside another, instead of hanging', async () => {
    const db = new TenantDb(ds);
    const scope = { tenantId: '00000000-0000-0000-0000-000000000001' };
    await expect(db.run(scope, () => db.query('SELECT 1'))).rejects.toThrow(
      /inside a unit of work/,
    );
    await expect(db.run(scope, () => db.maintenance(async () => 1))).rejects.toThrow(
      /another unit of work was started inside/,
    );
    // After the unit of work, both are fine again.
    await expect(db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('forces row-level security on every table with a tenant_id', async () => {
    const rows = (await ds.query(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r'
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        ORDER BY c.relname`,
    )) as Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>;
    expect(rows.map((r) => r.relname)).toEqual(
      expect.arrayContaining(['cart', 'customer_order', 'outbox_event', 'quote', 'tenant_variant']),
    );
    // Not tenant-owned despite the column: import_job is the seller's own job log (tenant_id says
    // which tenant an import targeted); tenant_domain is the directory a Host is resolved with,
    // read before any tenant is known; admin_tenant (which tenants an account manager looks
    // after) and audit_log (the seller's record of admin changes, read across tenants by a
    // super admin) belong to the seller's admin accounts, read before any tenant is chosen.
    const directory = ['import_job', 'tenant_domain', 'admin_tenant', 'audit_log'];
    for (const r of rows.filter((t) => !directory.includes(t.relname)))
      expect([r.relname, r.relrowsecurity, r.relforcerowsecurity]).toEqual([r.relname, true, true]);
  });

  it('never interleaves two concurrent units of work (one PGlite session is handed out exclusively)', async () => {
    const db = new TenantDb(ds);
    const a = '00000000-0000-4000-8000-00000000000a';
    const b = '00000000-0000-4000-8000-00000000000b';
    const seen = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.run({ tenantId: i % 2 ? a : b }, async (em) => {
          await new Promise((r) => setTimeout(r, 2));
          const [row] = await em.query(`SELECT current_setting('app.tenant_id', true) AS t`);
          return row.t === (i % 2 ? a : b);
        }),
      ),
    );
    expect(seen.every(Boolean)).toBe(true);
  });
});
