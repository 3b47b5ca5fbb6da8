import type { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogModule, CatalogSeeder, ImportError } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import {
  asTenantRuntime,
  createTestContext,
  createTestDatabase,
  type TestDatabase,
} from '@vitrine/testing';
import { PriceChangeService } from '../price-change.service';
import { PricingModule } from '../pricing.module';
import { PriceImporter } from './price-importer';

const HEADER =
  'type,sku,amount,currency,min_quantity,price_list,tenant,company,valid_from,valid_until';

/** Lines of the mixed file, numbered from 2 (line 1 is the header). */
const MIXED = [
  'list,sku-000001,12.50,,,,,,,', // 2 ok: EUR list price
  'list,SKU-000001,13.00,USD,,,,,,', // 3 ok: USD list price
  'price_list,SKU-000001,10.00,,1,list-eur,,,2027-01-01,2027-12-31', // 4 ok
  'price_list,SKU-000001,9.00,,10,list-eur,,,2027-01-01,2027-12-31', // 5 ok: a tier of line 4's period
  'price_list,SKU-000001,8.00,,1,list-eur,,,2027-06-01,', // 6 overlaps line 4
  'price_list,SKU-000002,5.00,USD,1,list-eur,,,,', // 7 list is in EUR
  'price_list,SKU-000002,5.00,,1,list-mixed,,,,', // 8 list in USD used by an EUR tenant
  'contract,SKU-000001,7.00,,1,,tenant-a,ACME,2027-01-01,', // 9 ok
  'contract,SKU-000001,6.50,,100,,Tenant-A,ACME,2027-01-01,', // 10 ok: a tier
  'contract,SKU-000001,6.00,USD,1,,tenant-a,ACME,,', // 11 tenant sells in EUR
  'contract,SKU-000002,1.00,,0,,tenant-a,ACME,,', // 12 tier 0
  'contract,SKU-000002,1.00,,-5,,tenant-a,ACME,,', // 13 negative tier
  'contract,SKU-000002,-1.00,,1,,tenant-a,ACME,,', // 14 negative price
  'contract,SKU-000002,abc,,1,,tenant-a,ACME,,', // 15 not a number
  'contract,SKU-000002,1.00,,1,,tenant-a,ACME,2027-05-01,2027-04-30', // 16 empty period
  'contract,NOPE-1,1.00,,1,,tenant-a,ACME,,', // 17 unknown SKU
  'contract,SKU-000002,1.00,,1,,nobody,ACME,,', // 18 unknown tenant
  'contract,SKU-000002,1.00,,1,,tenant-a,NOPE,,', // 19 unknown company
  'contract,sku-000001,7.10,,1,,tenant-a,ACME,2027-01-01,', // 20 duplicate of line 9
  'list,SKU-000003,1.234,,,,,,,', // 21 three decimals
  'list,SKU-000003,1.00,,5,,,,,', // 22 tiers are not for list prices
  'contract,SKU-000003,4.00,,1,,tenant-b,ACME,,', // 23 ok: tenant B's own ACME
  'price_list,SKU-000003,3.00,,1,new-list,,,,', // 24 ok: creates the list
  'contract,SKU-000004,4.00,,1,,tenant-us,US-1,2027-01-01,2027-06-30', // 25 ok: New York dates
  'contract,SKU-000004,3.999,,1,,tenant-us,US-1,2027-07-01,', // 26 three decimals for USD
  'contract,SKU-000005,1.00,,1,,tenant-a,ACME,2027-01-01T00:00:00Z,2027-03-01T12:00:00+01:00', // 27 ok: instants
  'bogus,SKU-000005,1.00,,,,,,,', // 28 unknown type
];

const csv = (lines: string[]) => `${HEADER}\n${lines.join('\n')}\n`;

function readRejects(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) =>
      l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')),
    )
    .map((cells) => cells.slice(0, 4))
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

describe('price import', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let importer: PriceImporter;
  let dir: string;
  const tenant: Record<string, string> = {};

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<T[]>;
  const versions = async () =>
    Object.fromEntries(
      (await q<{ slug: string; version: number }>(`SELECT slug, version FROM tenant`)).map((t) => [
        t.slug,
        t.version,
      ]),
    );
  const file = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [CatalogModule, PricingModule]);
    importer = app.get(PriceImporter);
    await app.get(CatalogSeeder).seed({ variants: 20 });
    for (const t of await q<{ id: string; slug: string }>(
      `INSERT INTO tenant (slug, name, status, locales, currency, time_zone) VALUES
         ('tenant-a', 'A', 'ACTIVE', '{nl}', 'EUR', 'Europe/Amsterdam'),
         ('tenant-b', 'B', 'ACTIVE', '{nl}', 'EUR', 'Europe/Amsterdam'),
         ('tenant-us', 'US', 'ACTIVE', '{en}', 'USD', 'America/New_York')
       RETURNING id, slug`,
    ))
      tenant[t.slug] = t.id;
    // Companies and list assignments are tenant-owned (row-level security): maintenance.
    await new TenantDb(db.dataSource).maintenance(async (em) => {
      await em.query(
        `INSERT INTO company (tenant_id, code, name, country) VALUES
           ($1, 'ACME', 'Acme A', 'NL'), ($2, 'ACME', 'Acme B', 'NL'), ($2, 'BETA', 'Beta', 'NL'),
           ($3, 'US-1', 'US One', 'US')`,
        [tenant['tenant-a'], tenant['tenant-b'], tenant['tenant-us']],
      );
      const lists = (await em.query(
        `INSERT INTO price_list (code, name, currency) VALUES
           ('list-eur', 'EUR list', 'EUR'), ('list-mixed', 'USD list', 'USD'), ('list-b', 'B list', 'EUR')
         RETURNING id, code`,
      )) as Array<{ id: number; code: string }>;
      const id = (code: string) => lists.find((l) => l.code === code)!.id;
      await em.query(
        `INSERT INTO tenant_price_list (tenant_id, price_list_id, priority) VALUES
           ($1, $2, 1), ($1, $3, 2), ($4, $5, 1)`,
        [tenant['tenant-a'], id('list-eur'), id('list-mixed'), tenant['tenant-b'], id('list-b')],
      );
    });
    dir = mkdtempSync(join(tmpdir(), 'vitrine-prices-'));
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('imports the good rows and rejects every bad one with its line, column and reason', async () => {
    const path = await file('mixed.csv', csv(MIXED));
    const before = await versions();
    const publish = jest.spyOn(app.get(PriceChangeService), 'publish');
    const result = await importer.import(path);
    expect(result).toMatchObject({ read: 27, created: 10, updated: 0, unchanged: 0, rejected: 17 });
    expect(readRejects(result.rejectsPath!)).toEqual([
      ['6', 'SKU-000001', 'valid_from', expect.stringMatching(/overlaps .* on line 4/)],
      ['7', 'SKU-000002', 'currency', 'price list ""list-eur"" is in EUR, not USD'],
      ['8', 'SKU-000002', 'price_list', expect.stringContaining('used by tenant-a (EUR)')],
      ['11', 'SKU-000001', 'currency', 'tenant tenant-a sells in EUR, not USD'],
      ['12', 'SKU-000002', 'min_quantity', 'must be at least 1 (got 0)'],
      ['13', 'SKU-000002', 'min_quantity', 'must be at least 1 (got -5)'],
      ['14', 'SKU-000002', 'amount', 'must not be negative (got -1.00)'],
      ['15', 'SKU-000002', 'amount', expect.stringContaining('""abc"" is not a EUR amount')],
      ['16', 'SKU-000002', 'valid_until', expect.stringContaining('must be after valid_from')],
      ['17', 'NOPE-1', 'sku', 'unknown SKU ""NOPE-1""'],
      ['18', 'SKU-000002', 'tenant', 'unknown tenant ""nobody""'],
      ['19', 'SKU-000002', 'company', 'unknown company ""NOPE"" of this tenant'],
      ['20', 'SKU-000001', '-', expect.stringContaining('already on line 9')],
      ['21', 'SKU-000003', 'amount', expect.stringContaining('at most 2 decimals')],
      ['22', 'SKU-000003', 'min_quantity', 'not allowed for type list'],
      ['26', 'SKU-000004', 'amount', expect.stringContaining('not a USD amount')],
      ['28', 'SKU-000005', 'type', expect.stringContaining('""bogus"" is not a price type')],
    ]);

    const listPrices = await q(
      `SELECT v.sku, lp.currency, lp.amount_minor::int AS amount FROM list_price lp
       JOIN variant v ON v.id = lp.variant_id WHERE v.sku = 'SKU-000001' ORDER BY lp.currency`,
    );
    expect(listPrices).toEqual([
      { sku: 'SKU-000001', currency: 'EUR', amount: 1250 },
      { sku: 'SKU-000001', currency: 'USD', amount: 1300 },
    ]);
    const entries = await q(
      `SELECT pl.code, v.sku, e.min_quantity, e.amount_minor::int AS amount,
         to_char(e.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS valid_from,
         to_char(e.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS valid_until,
         e.valid_from = '-infinity' AS open_from, e.valid_until = 'infinity' AS open_until
       FROM price_list_entry e JOIN price_list pl ON pl.id = e.price_list_id
       JOIN variant v ON v.id = e.variant_id ORDER BY pl.code, v.sku, e.min_quantity`,
    );
    expect(entries).toEqual([
      // 2027-01-01 in Europe/Amsterdam (CET) begins at 2026-12-31T23:00Z; the last day
      // 2027-12-31 ends at the next midnight.
      {
        code: 'list-eur',
        sku: 'SKU-000001',
        min_quantity: 1,
        amount: 1000,
        valid_from: '2026-12-31T23:00Z',
        valid_until: '2027-12-31T23:00Z',
        open_from: false,
        open_until: false,
      },
      expect.objectContaining({ code: 'list-eur', min_quantity: 10, amount: 900 }),
      expect.objectContaining({
        code: 'new-list',
        sku: 'SKU-000003',
        amount: 300,
        open_from: true,
        open_until: true,
      }),
    ]);
    expect(await q(`SELECT name, currency FROM price_list WHERE code = 'new-list'`)).toEqual([
      { name: 'new-list', currency: 'EUR' },
    ]);

    const contracts = await q(
      `SELECT t.slug, c.code AS company, v.sku, cp.min_quantity, cp.amount_minor::int AS amount, cp.currency,
         to_char(cp.valid_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS valid_from,
         to_char(cp.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS valid_until,
         cp.valid_until = 'infinity' AS open_until
       FROM contract_price cp JOIN tenant t ON t.id = cp.tenant_id
       JOIN company c ON c.id = cp.company_id JOIN variant v ON v.id = cp.variant_id
       ORDER BY t.slug, v.sku, cp.min_quantity`,
    );
    expect(contracts).toEqual([
      {
        slug: 'tenant-a',
        company: 'ACME',
        sku: 'SKU-000001',
        min_quantity: 1,
        amount: 700,
        currency: 'EUR',
        valid_from: '2026-12-31T23:00Z',
        valid_until: null, // to_char of infinity
        open_until: true,
      },
      expect.objectContaining({ sku: 'SKU-000001', min_quantity: 100, amount: 650 }),
      // Timestamps with an offset are taken as given; valid_until is exclusive.
      expect.objectContaining({
        sku: 'SKU-000005',
        valid_from: '2027-01-01T00:00Z',
        valid_until: '2027-03-01T11:00Z',
      }),
      expect.objectContaining({
        slug: 'tenant-b',
        company: 'ACME',
        sku: 'SKU-000003',
        amount: 400,
      }),
      // Dates of a New York tenant begin at midnight in New York (EST, then EDT).
      expect.objectContaining({
        slug: 'tenant-us',
        currency: 'USD',
        valid_from: '2027-01-01T05:00Z',
        valid_until: '2027-07-01T04:00Z',
      }),
    ]);

    // List prices changed: every tenant's version moves on, and the change is published.
    const after = await versions();
    for (const slug of Object.keys(before)) expect(after[slug]).toBeGreaterThan(before[slug]);
    expect(publish).toHaveBeenCalledWith(expect.arrayContaining(Object.values(tenant)));
    publish.mockRestore();
  });

  it('writes nothing when the same file is imported again', async () => {
    const path = join(dir, 'mixed.csv');
    const snapshot = () =>
      Promise.all([
        q(`SELECT * FROM list_price ORDER BY variant_id, currency`),
        q(`SELECT * FROM price_list_entry ORDER BY id`),
        q(`SELECT * FROM contract_price ORDER BY tenant_id, company_id, variant_id, min_quantity`),
        q(`SELECT id, code, name, currency FROM price_list ORDER BY id`),
      ]);
    const before = await snapshot();
    const versionsBefore = await versions();
    const result = await importer.import(path);
    expect(result).toMatchObject({ read: 27, created: 0, updated: 0, unchanged: 10, rejected: 17 });
    expect(await snapshot()).toEqual(before);
    expect(await versions()).toEqual(versionsBefore);
  });

  it('bumps only the tenants a change concerns', async () => {
    const v0 = await versions();
    const contract = await importer.import(
      await file('contract-b.csv', csv(['contract,SKU-000007,2.00,,1,,tenant-b,BETA,,'])),
    );
    expect(contract).toMatchObject({ created: 1, rejected: 0 });
    const v1 = await versions();
    expect(v1).toEqual({ ...v0, 'tenant-b': v0['tenant-b'] + 1 });

    const list = await importer.import(
      await file('list-eur.csv', csv(['price_list,SKU-000007,2.00,,1,list-eur,,,,'])),
    );
    expect(list).toMatchObject({ created: 1, rejected: 0 });
    expect(await versions()).toEqual({ ...v1, 'tenant-a': v1['tenant-a'] + 1 });
  });

  it('commits a batch whose change could not be published, and publishes it later', async () => {
    const changes = app.get(PriceChangeService);
    const publish = jest
      .spyOn(changes, 'publish')
      .mockRejectedValueOnce(new Error('shared cache unreachable'));
    const result = await importer.import(
      await file(
        'unpublished.csv',
        csv(['contract,SKU-000007,2.10,,1,,tenant-b,BETA,,', 'list,SKU-000010,3.00,,,,,,,']),
      ),
      { batchSize: 1 },
    );
    expect(result).toMatchObject({ updated: 1, created: 1, rejected: 0 });
    // Batch 1 failed to publish tenant B; batch 2 published it together with everyone.
    expect(publish).toHaveBeenCalledTimes(2);
    expect(publish.mock.calls[1][0]).toEqual(expect.arrayContaining([tenant['tenant-b']]));
    publish.mockRestore();
  });

  it('checks periods against stored prices, batch after batch', async () => {
    const first = await importer.import(
      await file(
        'periods-1.csv',
        csv([
          'contract,SKU-000006,5.00,,1,,tenant-a,ACME,2027-01-01,2027-12-31',
          'contract,SKU-000006,4.00,,10,,tenant-a,ACME,2027-01-01,2027-12-31',
          // Adjacent, not overlapping: the first period ends where this one begins.
          'contract,SKU-000006,4.50,,1,,tenant-a,ACME,2028-01-01,',
        ]),
      ),
      { batchSize: 1 },
    );
    expect(first).toMatchObject({ created: 3, rejected: 0 });

    const second = await importer.import(
      await file(
        'periods-2.csv',
        csv([
          'contract,SKU-000006,4.80,,1,,tenant-a,ACME,2027-07-01,', // overlaps both stored periods
          'price_list,SKU-000001,8.50,,1,list-eur,,,2027-12-01,2028-03-31', // overlaps stored
          'contract,SKU-000006,5.10,,1,,tenant-a,ACME,2027-01-01,2027-12-31', // same key: new amount
          'contract,SKU-000006,5.20,,1,,tenant-a,ACME,2027-01-01,2027-06-30', // duplicate key of line 4
        ]),
      ),
      { batchSize: 1 },
    );
    expect(second).toMatchObject({ created: 0, updated: 1, rejected: 3 });
    expect(readRejects(second.rejectsPath!)).toEqual([
      ['2', 'SKU-000006', 'valid_from', expect.stringContaining('overlaps the stored period')],
      ['3', 'SKU-000001', 'valid_from', expect.stringContaining('overlaps the stored period')],
      ['5', 'SKU-000006', '-', expect.stringContaining('already on line 4')],
    ]);

    // Shortening one tier alone would leave its other tier on the old period …
    const alone = await importer.import(
      await file(
        'periods-3.csv',
        csv(['contract,SKU-000006,5.10,,1,,tenant-a,ACME,2027-01-01,2027-06-30']),
      ),
    );
    expect(alone).toMatchObject({ updated: 0, rejected: 1 });
    // … both tiers together replace the stored period.
    const both = await importer.import(
      await file(
        'periods-4.csv',
        csv([
          'contract,SKU-000006,5.10,,1,,tenant-a,ACME,2027-01-01,2027-06-30',
          'contract,SKU-000006,4.00,,10,,tenant-a,ACME,2027-01-01,2027-06-30',
        ]),
      ),
    );
    expect(both).toMatchObject({ updated: 2, rejected: 0 });
    const ends = await q<{ min_quantity: number; valid_until: string }>(
      `SELECT cp.min_quantity, to_char(cp.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') AS valid_until
       FROM contract_price cp JOIN variant v ON v.id = cp.variant_id
       WHERE v.sku = 'SKU-000006' AND cp.valid_from < '2027-06-01' ORDER BY cp.min_quantity`,
    );
    // The last day 2027-06-30 (CEST) ends at 2027-06-30T22:00Z.
    expect(ends).toEqual([
      { min_quantity: 1, valid_until: '2027-06-30T22:00Z' },
      { min_quantity: 10, valid_until: '2027-06-30T22:00Z' },
    ]);
  });

  it('imports NDJSON with the same rules', async () => {
    const result = await importer.import(
      await file(
        'prices.ndjson',
        [
          JSON.stringify({
            type: 'contract',
            sku: 'SKU-000008',
            amount: '3.30',
            tenant: 'tenant-b',
            company: 'BETA',
            min_quantity: 5,
          }),
          '',
          JSON.stringify({ type: 'list', sku: 'SKU-000008', amount: 3.3 }),
          JSON.stringify({ type: 'list', sku: 'SKU-000009', amount: '1.00', colour: 'red' }),
          '{not json',
        ].join('\n'),
      ),
    );
    expect(result).toMatchObject({ format: 'ndjson', read: 4, created: 2, rejected: 2 });
    expect(readRejects(result.rejectsPath!).map((r) => [r[0], r[2]])).toEqual([
      ['4', 'colour'],
      ['5', '-'],
    ]);
  });

  it("keeps one tenant's contract prices from another tenant", async () => {
    // As the runtime sees it: in a tenant's unit of work, as a role that row-level security
    // applies to, and without any tenant filter in the SQL.
    const asTenant = (slug: string, sql: string) =>
      asTenantRuntime(
        db.dataSource,
        tenant[slug],
        ['contract_price', 'company'],
        (em) => em.query(sql) as Promise<unknown>,
      );
    const a = tenant['tenant-a'];
    const seenByA = (await asTenant(
      'tenant-a',
      `SELECT count(*)::int AS n FROM contract_price WHERE tenant_id = '${a}'`,
    )) as Array<{ n: number }>;
    expect(seenByA[0].n).toBeGreaterThan(0);
    expect(
      await asTenant(
        'tenant-b',
        `SELECT count(*)::int AS n FROM contract_price WHERE tenant_id = '${a}'`,
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await asTenant('tenant-b', `SELECT count(*)::int AS n FROM company WHERE tenant_id = '${a}'`),
    ).toEqual([{ n: 0 }]);
    await asTenant(
      'tenant-b',
      `UPDATE contract_price SET amount_minor = 1 WHERE tenant_id = '${a}'`,
    );
    await asTenant('tenant-b', `DELETE FROM contract_price WHERE tenant_id = '${a}'`);
    const untouched = await q<{ n: number; changed: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE amount_minor = 1)::int AS changed
       FROM contract_price WHERE tenant_id = $1`,
      [a],
    );
    expect(untouched).toEqual([{ n: seenByA[0].n, changed: 0 }]);
  });

  it('refuses a file with unknown or missing columns as a whole', async () => {
    const typo = await file('typo.csv', 'type,sku,amount,price\nlist,SKU-000001,1.00,2\n');
    const err = await importer.import(typo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({
      kind: 'invalidInput',
      message: expect.stringMatching(/unknown column "price"/),
    });
    await expect(
      importer.import(await file('no-amount.csv', 'type,sku\nlist,X\n')),
    ).rejects.toThrow(/missing column "amount"/);
  });
});
