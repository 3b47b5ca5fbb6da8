import type { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readFileSync, existsSync, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantDb } from '@vitrine/database';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { CatalogModule } from '../catalog.module';
import { ImportJobService } from '../import-job.service';
import { CatalogSeeder } from '../seed/catalog-seeder';
import { ean13CheckDigit } from '../seed/demo-catalog';
import { CatalogImporter } from './catalog-importer';
import { CustomerSkuImporter } from './customer-sku-importer';
import { ImportError } from './import.types';

const ean = (n: number) => {
  const body = `99${String(n).padStart(10, '0')}`;
  return `${body}${ean13CheckDigit(body)}`;
};

const HEADER =
  'sku,product,category,manufacturer,name_nl,name_en,product_name_nl,gtin,stock,unit,order_multiple,list_price,attr_material,attr_length_mm,media_image';

/** Lines of the mixed file, numbered from 2 (line 1 is the header). */
const MIXED = [
  `IMP-001,imp-schroef,schroeven,Fixtra,Schroef 4x40,Screw 4x40,Imp schroef,${ean(1)},100,PCE,1,12.50,RVS A2,40,https://img.example/1.jpg`, // 2 ok
  `IMP-002,imp-schroef,schroeven,Fixtra,Schroef 5x50,Screw 5x50,Imp schroef,${ean(2)},50,PCE,1,13.10,RVS A2,50,https://img.example/1.jpg`, // 3 ok
  `IMP-003,,schroeven,Fixtra,Losse schroef,Loose screw,,8712345678907,5,PCE,1,1.00,,,`, // 4 bad EAN
  `IMP-004,,schroeven,Fixtra,Negatieve voorraad,Negative stock,,,-4,PCE,1,1.00,,,`, // 5 negative stock
  `IMP-005,,bestaat-niet,Fixtra,Onbekend,Unknown,,,1,PCE,1,1.00,,,`, // 6 unknown category
  `imp-001,,schroeven,Fixtra,Dubbel,Duplicate,,,1,PCE,1,1.00,,,`, // 7 duplicate of line 2
  `IMP-006,,pluggen,Fixtra,Plug,Plug,,${ean(6)},0,BX,10,4.95,,,`, // 8 ok
  `IMP-007,only,three`, // 9 malformed: wrong number of cells
];

function csv(lines: string[]): string {
  return `${HEADER}\n${lines.join('\n')}\n`;
}

function readRejects(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) =>
      l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')),
    )
    .map((cells) => cells.slice(0, 4));
}

describe('catalog and customer-SKU imports', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let importer: CatalogImporter;
  let dir: string;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [CatalogModule]);
    importer = app.get(CatalogImporter);
    // Categories and attribute definitions (and a few demo articles).
    await app.get(CatalogSeeder).seed({ variants: 20 });
    const tenants = (await db.dataSource.query(
      `INSERT INTO tenant (slug, name, status, locales, currency) VALUES
         ('tenant-a', 'A', 'ACTIVE', '{nl}', 'EUR'), ('tenant-b', 'B', 'ACTIVE', '{nl}', 'EUR')
       RETURNING id, slug`,
    )) as Array<{ id: string; slug: string }>;
    tenantA = tenants.find((t) => t.slug === 'tenant-a')!.id;
    tenantB = tenants.find((t) => t.slug === 'tenant-b')!.id;
    await db.dataSource.query(
      `INSERT INTO tenant_assortment (tenant_id, include_categories) VALUES ($1, '{bevestigingsmaterialen}')`,
      [tenantA],
    );
    dir = mkdtempSync(join(tmpdir(), 'vitrine-import-'));
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> =>
    ((await db.dataSource.query(sql, params)) as T[])[0];

  it('commits the good rows and reports every bad one with line, column and reason', async () => {
    const file = join(dir, 'mixed.csv');
    await writeFile(file, csv(MIXED));
    const result = await importer.import(file);
    expect(result).toMatchObject({ read: 8, created: 3, updated: 0, unchanged: 0, rejected: 5 });
    expect(result.rejectsPath).toBe(`${file}.rejects.csv`);
    const rejects = readRejects(result.rejectsPath!);
    expect(rejects[0]).toEqual(['line', 'sku', 'column', 'reason']);
    expect(rejects.slice(1)).toEqual([
      ['4', 'IMP-003', 'gtin', '""8712345678907"" has a wrong check digit'],
      ['5', 'IMP-004', 'stock', 'must not be negative (got -4)'],
      ['6', 'IMP-005', 'category', 'unknown category ""bestaat-niet""'],
      ['7', 'IMP-001', 'sku', 'duplicate SKU: already on line 2'],
      ['9', '', '-', expect.stringContaining('Invalid Record Length')],
    ]);

    const v = await one<Record<string, unknown>>(
      `SELECT v.*, p.slug AS product_slug, p.names AS product_names, p.media, lp.amount_minor
       FROM variant v JOIN product p ON p.id = v.product_id
       LEFT JOIN list_price lp ON lp.variant_id = v.id AND lp.currency = 'EUR' WHERE v.sku = 'IMP-002'`,
    );
    expect(v).toMatchObject({
      product_slug: 'imp-schroef',
      product_names: { nl: 'Imp schroef' },
      media: [{ kind: 'image', url: 'https://img.example/1.jpg' }],
      names: { nl: 'Schroef 5x50', en: 'Screw 5x50' },
      attributes: { material: 'RVS A2', length_mm: 50 },
      stock_on_hand: 50,
      position: 1,
    });
    expect(Number(v.amount_minor)).toBe(1310);
    const plug = await one<{ unit: string; order_multiple: number }>(
      `SELECT unit, order_multiple FROM variant WHERE sku = 'IMP-006'`,
    );
    expect(plug).toEqual({ unit: 'BX', order_multiple: 10 });
    // Nothing of the rejected rows was written.
    const { n } = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM variant WHERE sku IN ('IMP-003', 'IMP-004', 'IMP-005', 'IMP-007')`,
    );
    expect(n).toBe(0);
    // Search documents and the assortment of tenant A (fasteners) follow.
    const search = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM product_search ps JOIN product p ON p.id = ps.product_id
       WHERE p.slug = 'imp-schroef'`,
    );
    expect(search.n).toBeGreaterThan(0);
    const inA = await new TenantDb(db.dataSource).run({ tenantId: tenantA }, (em) =>
      em.query(
        `SELECT v.sku FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
         WHERE tv.tenant_id = $1 AND v.sku LIKE 'IMP-%' ORDER BY v.sku`,
        [tenantA],
      ),
    );
    expect(inA.map((r: { sku: string }) => r.sku)).toEqual(['IMP-001', 'IMP-002', 'IMP-006']);
  });

  it('reports a record with broken quoting as its line and imports the rest, quoted cells included', async () => {
    const file = join(dir, 'quotes.csv');
    await writeFile(
      file,
      csv([
        `IMP-Q1,,schroeven,"Fixtra, Inc.","Schroef ""extra"", 4x40",Screw,,,1,PCE,1,1.00,,,`, // 2 ok
        `IMP-Q2,,schroeven,Fixtra,Schroef "half,Screw,,,1,PCE,1,1.00,,,`, // 3 stray quote
        `IMP-Q3,,schroeven,Fixtra,"Twee`,
        `regels",Two lines,,,1,PCE,1,1.00,,,`, // 4-5 ok: a quoted line break
      ]),
    );
    const result = await importer.import(file);
    expect(result).toMatchObject({ created: 2, rejected: 1 });
    const rejects = readRejects(result.rejectsPath!);
    expect(rejects.slice(1)).toEqual([['3', '', '-', expect.stringContaining('Invalid')]]);
    const rows = await db.dataSource.query(
      `SELECT sku, names->>'nl' AS name FROM variant WHERE sku LIKE 'IMP-Q%' ORDER BY sku`,
    );
    expect(rows).toEqual([
      { sku: 'IMP-Q1', name: 'Schroef "extra", 4x40' },
      { sku: 'IMP-Q3', name: 'Twee\nregels' },
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const file = join(dir, 'mixed.csv');
    const before = await db.dataSource.query(
      `SELECT sku, updated_at, content_hash FROM variant WHERE sku LIKE 'IMP-%' ORDER BY sku`,
    );
    const products = await db.dataSource.query(
      `SELECT slug, updated_at FROM product WHERE slug LIKE 'imp-%' ORDER BY slug`,
    );
    const result = await importer.import(file);
    expect(result).toMatchObject({ read: 8, created: 0, updated: 0, unchanged: 3, rejected: 5 });
    expect(
      await db.dataSource.query(
        `SELECT sku, updated_at, content_hash FROM variant WHERE sku LIKE 'IMP-%' ORDER BY sku`,
      ),
    ).toEqual(before);
    expect(
      await db.dataSource.query(
        `SELECT slug, updated_at FROM product WHERE slug LIKE 'imp-%' ORDER BY slug`,
      ),
    ).toEqual(products);
  });

  it('updates only the rows that changed, and removes a stale reject file when all is well', async () => {
    const file = join(dir, 'mixed.csv');
    const fixed = [MIXED[0], MIXED[1].replace(',50,PCE,', ',49,PCE,'), MIXED[6]];
    await writeFile(file, csv(fixed));
    const result = await importer.import(file);
    expect(result).toMatchObject({ read: 3, created: 0, updated: 1, unchanged: 2, rejected: 0 });
    expect(result.rejectsPath).toBeNull();
    expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    const v = await one<{ stock_on_hand: number }>(
      `SELECT stock_on_hand FROM variant WHERE sku = 'IMP-002'`,
    );
    expect(v.stock_on_hand).toBe(49);
  });

  it('rejects rows that contradict an earlier row of the same product', async () => {
    const file = join(dir, 'contradiction.csv');
    await writeFile(
      file,
      csv([
        `IMP-101,imp-tang,handgereedschap,Nordwerk,Tang 160,Pliers 160,Tang,,1,PCE,1,,,,`,
        `IMP-102,imp-tang,meetgereedschap,Nordwerk,Tang 180,Pliers 180,Tang,,1,PCE,1,,,,`,
      ]),
    );
    const result = await importer.import(file);
    expect(result).toMatchObject({ created: 1, rejected: 1 });
    expect(readRejects(result.rejectsPath!)[1]).toEqual([
      '3',
      'IMP-102',
      'product',
      expect.stringContaining('on line 2'),
    ]);
  });

  it('imports NDJSON with the same rules', async () => {
    const file = join(dir, 'catalog.ndjson');
    await writeFile(
      file,
      [
        JSON.stringify({
          sku: 'IMP-201',
          category: 'handschoenen',
          names: { nl: 'Handschoen', en: 'Glove' },
          attributes: { size: 'L', colour: 'blauw' },
          media: [{ kind: 'safety_sheet', url: 'https://docs.example/sds.pdf', title: 'SDS' }],
          stock: 7,
          unit: 'PR',
          tax_category: 'reduced',
        }),
        '',
        '{"sku": "IMP-202", "category": "handschoenen", "names": {"nl": "x"}, "gtin": "123"}',
        '{not json',
      ].join('\n'),
    );
    const result = await importer.import(file);
    expect(result).toMatchObject({ format: 'ndjson', read: 3, created: 1, rejected: 2 });
    const rejects = readRejects(result.rejectsPath!).slice(1);
    expect(rejects.map((r) => [r[0], r[2]])).toEqual([
      ['3', 'gtin'],
      ['4', '-'],
    ]);
    const glove = await one<{ tax_category: string }>(
      `SELECT tax_category FROM variant WHERE sku = 'IMP-201'`,
    );
    expect(glove.tax_category).toBe('reduced');
    const plug = await one<{ tax_category: string }>(
      `SELECT tax_category FROM variant WHERE sku = 'IMP-006'`,
    );
    expect(plug.tax_category).toBe('standard');
  });

  it('refuses a file with unknown columns as a whole and an unknown format', async () => {
    const file = join(dir, 'typo.csv');
    await writeFile(file, 'sku,category,name_nl,wieght_grams\nX,schroeven,x,1\n');
    await expect(importer.import(file)).rejects.toThrow(/unknown column "wieght_grams"/);
    await expect(importer.import(join(dir, 'file.txt'))).rejects.toBeInstanceOf(ImportError);
    await expect(importer.import(join(dir, 'missing.csv'))).rejects.toThrow(/cannot read/);
  });

  describe('customer SKUs', () => {
    let customer: CustomerSkuImporter;
    beforeAll(() => {
      customer = app.get(CustomerSkuImporter);
    });

    /**
     * The tenant's mappings as the runtime sees them: in the tenant's unit of work, as a role
     * without BYPASSRLS (tests connect as a superuser, whom row-level security never filters),
     * and with no tenant filter in the SQL, so only the policy separates tenants.
     */
    const mappings = (tenantId: string) =>
      new TenantDb(db.dataSource).run({ tenantId }, async (em) => {
        await em.query(`SET LOCAL ROLE vitrine_rls_probe`);
        return em.query(
          `SELECT c.customer_sku, v.sku FROM customer_sku c JOIN variant v ON v.id = c.variant_id
           ORDER BY c.customer_sku`,
        );
      });

    beforeAll(async () => {
      await db.dataSource.query(`DO $$ BEGIN CREATE ROLE vitrine_rls_probe NOLOGIN;
        EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await db.dataSource.query(`GRANT USAGE ON SCHEMA public TO vitrine_rls_probe`);
      await db.dataSource.query(`GRANT SELECT ON customer_sku, variant TO vitrine_rls_probe`);
    });

    it('maps customer numbers per tenant, rejects unknown SKUs and double mappings, and is idempotent', async () => {
      const file = join(dir, 'customer-skus.csv');
      await writeFile(
        file,
        [
          'customer_sku,sku',
          ' jb-1 ,imp-001', // 2 ok (trimmed, upper-cased)
          'JB-2,IMP-002', // 3 ok
          'JB-3,NOPE-1', // 4 unknown SKU
          'JB-1,IMP-006', // 5 same number, other SKU
          'JB-4,IMP-002', // 6 second number for one SKU
        ].join('\n'),
      );
      const result = await customer.import('tenant-a', file);
      expect(result).toMatchObject({ read: 5, created: 2, rejected: 3 });
      expect(
        readRejects(result.rejectsPath!)
          .slice(1)
          .map((r) => [r[0], r[2]]),
      ).toEqual([
        ['5', 'customer_sku'],
        ['6', 'sku'],
        ['4', 'sku'],
      ]);
      expect(await mappings(tenantA)).toEqual([
        { customer_sku: 'JB-1', sku: 'IMP-001' },
        { customer_sku: 'JB-2', sku: 'IMP-002' },
      ]);
      // Tenant B sees none of tenant A's numbers, even without a tenant filter in the SQL.
      expect(await mappings(tenantB)).toEqual([]);

      const again = await customer.import('tenant-a', file);
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 3 });
    });

    it('replaces a variant’s old number with a new one', async () => {
      const file = join(dir, 'customer-skus-2.csv');
      await writeFile(file, 'customer_sku,sku\nJB-22,IMP-002\n');
      const result = await customer.import('tenant-a', file);
      expect(result).toMatchObject({ created: 0, updated: 1, rejected: 0 });
      expect(await mappings(tenantA)).toEqual([
        { customer_sku: 'JB-1', sku: 'IMP-001' },
        { customer_sku: 'JB-22', sku: 'IMP-002' },
      ]);
    });

    it('refuses an unknown tenant', async () => {
      await expect(customer.import('nobody', join(dir, 'customer-skus-2.csv'))).rejects.toThrow(
        /unknown tenant "nobody"/,
      );
    });
  });

  it('runs an import as a job whose counters can be polled', async () => {
    const jobs = app.get(ImportJobService);
    const file = join(dir, 'job.csv');
    await writeFile(
      file,
      csv([
        `IMP-301,,elektra,Voltano,Kabel,Cable,,,3,M,1,,,,`,
        `IMP-302,,kabels,Voltano,Kabel,Cable,,,3,M,1,,,,`,
      ]),
    );
    const id = await jobs.start('catalog', file);
    const queued = await jobs.get(id);
    expect(queued?.status).toMatch(/QUEUED|RUNNING/);
    const done = await jobs.wait(id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      kind: 'catalog',
      format: 'csv',
      rowsRead: 2,
      rowsCreated: 2,
      rowsRejected: 0,
      rejectFile: null,
    });
    expect(done?.finishedAt).toBeInstanceOf(Date);

    const failing = await jobs.start('catalog', join(dir, 'does-not-exist.csv'));
    expect(await jobs.wait(failing)).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/cannot read/),
    });
    expect(await jobs.get('not-a-uuid')).toBeNull();
    await expect(jobs.start('stock', file)).rejects.toThrow(/unknown import kind "stock"/);
    await expect(jobs.start('customer-skus', file)).rejects.toThrow(/needs a tenant/);
  });

  it('marks jobs whose process stopped (stale heartbeat) FAILED at startup and on read, not live ones', async () => {
    const jobs = app.get(ImportJobService);
    const insert = async (status: string, age: string) =>
      one<{ id: string }>(
        `INSERT INTO import_job (kind, source, format, status, heartbeat_at)
         VALUES ('catalog', 'x.csv', 'csv', $1, now() - $2::interval) RETURNING id`,
        [status, age],
      );
    const deadRunning = await insert('RUNNING', '10 minutes');
    const deadQueued = await insert('QUEUED', '10 minutes');
    const live = await insert('RUNNING', '5 seconds');
    await jobs.onApplicationBootstrap();
    for (const { id } of [deadRunning, deadQueued]) {
      const row = await one<{ status: string; error: string; finished_at: Date | null }>(
        `SELECT status, error, finished_at FROM import_job WHERE id = $1`,
        [id],
      );
      expect(row.status).toBe('FAILED');
      expect(row.error).toMatch(/^Interrupted: .*run the import again with the same file/);
      expect(row.finished_at).not.toBeNull();
    }
    expect((await jobs.get(live.id))?.status).toBe('RUNNING');
    await db.dataSource.query(
      `UPDATE import_job SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
      [live.id],
    );
    expect((await jobs.get(live.id))?.status).toBe('FAILED');
  });

  it('streams a 20,000-row file with bounded memory', async () => {
    const file = join(dir, 'big.csv');
    const out = createWriteStream(file);
    out.write(`${HEADER},description_nl\n`);
    const filler = 'x'.repeat(1500);
    for (let i = 1; i <= 20_000; i++) {
      const line = `BIG-${i},big-${Math.ceil(i / 4)},schroeven,Fixtra,Schroef ${i},Screw ${i},Groep ${Math.ceil(i / 4)},${ean(100_000 + i)},${i % 100},PCE,1,1.${String(i % 100).padStart(2, '0')},staal verzinkt,${i % 200},,${filler}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    // Live heap after a full collection (npm test runs node with --expose-gc): what the import
    // retains, not garbage waiting for the collector, so the bound does not depend on GC timing.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run the tests with --expose-gc (npm test does)');
    const live = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const baseline = live();
    let peak = baseline;
    const result = await importer.import(file, {
      batchSize: 1000,
      onProgress: () => {
        peak = Math.max(peak, live());
      },
    });
    expect(result).toMatchObject({ read: 20_000, created: 20_000, rejected: 0 });
    // The file is ~32 MB (~64 MB as JS strings); holding it or its records would show here.
    expect((peak - baseline) / 2 ** 20).toBeLessThan(32);
    const { n } = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM variant WHERE sku LIKE 'BIG-%'`,
    );
    expect(n).toBe(20_000);
  }, 300_000);
});
