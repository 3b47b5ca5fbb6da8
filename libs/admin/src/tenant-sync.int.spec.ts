import { createHash } from 'node:crypto';
import { CatalogModule } from '@vitrine/catalog';
import { TenantDirectory } from '@vitrine/tenancy';
import { TenantDb } from '@vitrine/database';
import {
  asTenantRuntime,
  createTestContext,
  createTestDatabase,
  type TestDatabase,
} from '@vitrine/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { AdminModule } from './admin.module';
import { DemoSeedService } from './demo-seed.service';
import { DEFAULT_THEME, TenantFileError, type LoadedTenant } from './tenant-file';
import { TenantSyncService } from './tenant-sync.service';

function tenant(slug: string, overrides: Partial<LoadedTenant['spec']> = {}): LoadedTenant {
  return {
    file: `tenants/${slug}/tenant.yaml`,
    dir: `tenants/${slug}`,
    themeDir: null,
    theme: DEFAULT_THEME,
    spec: {
      slug,
      name: `Tenant ${slug}`,
      status: 'active',
      domains: [`${slug}.localhost`],
      locales: ['nl', 'en'],
      currency: 'EUR',
      publicBrowsing: false,
      showListPrices: true,
      theme: './theme',
      assortment: { includeCategories: ['pbm'], includeSkus: [], excludeSkus: [] },
      priceLists: ['bouw-staffel'],
      shipping: [],
      features: {},
      ...overrides,
    },
  };
}

describe('TenantSyncService', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let sync: TenantSyncService;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [CatalogModule, AdminModule], {
      TENANTS_DIR: '/nonexistent-tenants-dir',
    });
    sync = app.get(TenantSyncService);
    // Catalog and price lists only: the tenants folder of this config does not exist.
    const seed = app.get(DemoSeedService);
    await seed.seedCatalog({ variants: 300 });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const count = async (sql: string) => Number((await db.dataSource.query(sql))[0].n);

  it('creates, then reports unchanged, then updates only what changed', async () => {
    const [created] = await sync.sync([tenant('alpha')]);
    expect(created).toMatchObject({ slug: 'alpha', action: 'create' });
    expect(created.assortment?.variants).toBeGreaterThan(0);
    const [again] = await sync.sync([tenant('alpha')]);
    expect(again.action).toBe('unchanged');
    const [renamed] = await sync.sync([tenant('alpha', { name: 'Alpha B.V.' })]);
    expect(renamed).toMatchObject({ action: 'update', changes: ['name'] });
    expect(
      await count(`SELECT count(*) AS n FROM tenant WHERE slug = 'alpha' AND name = 'Alpha B.V.'`),
    ).toBe(1);
  });

  it('rejects a set with any invalid tenant and writes nothing of any of them', async () => {
    const tenantsBefore = await count(`SELECT count(*) AS n FROM tenant`);
    const attempt = sync.sync([
      tenant('beta'),
      tenant('gamma', {
        priceLists: ['no-such-list'],
        assortment: { includeCategories: ['no-such-category'], includeSkus: [], excludeSkus: [] },
      }),
    ]);
    await expect(attempt).rejects.toThrow(TenantFileError);
    const err = (await attempt.catch((e: unknown) => e)) as TenantFileError;
    expect(err.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'tenants/gamma/tenant.yaml',
          path: 'priceLists[0]',
          message: expect.stringContaining('no-such-list'),
        }),
        expect.objectContaining({
          path: 'assortment.includeCategories[0]',
          message: expect.stringContaining('no-such-category'),
        }),
      ]),
    );
    expect(await count(`SELECT count(*) AS n FROM tenant`)).toBe(tenantsBefore);
  });

  it('refuses a domain that belongs to another tenant', async () => {
    await expect(sync.sync([tenant('delta', { domains: ['alpha.localhost'] })])).rejects.toThrow(
      /already belongs to tenant "alpha"/,
    );
  });

  it('lets two tenants swap domains in one sync', async () => {
    await sync.sync([tenant('epsilon'), tenant('zeta')]);
    await sync.sync([
      tenant('epsilon', { domains: ['zeta.localhost'] }),
      tenant('zeta', { domains: ['epsilon.localhost'] }),
    ]);
    const directory = app.get(TenantDirectory);
    expect((await directory.resolveHost('zeta.localhost'))?.slug).toBe('epsilon');
    expect((await directory.resolveHost('epsilon.localhost'))?.slug).toBe('zeta');
  });

  it('frees the domains of an archived tenant', async () => {
    await sync.sync([tenant('eta')]);
    await sync.sync([tenant('eta', { status: 'archived' })]);
    await expect(
      sync.sync([tenant('theta', { domains: ['eta.localhost'] })]),
    ).resolves.toHaveLength(1);
  });

  it('plans without writing on a dry run', async () => {
    const [plan] = await sync.sync([tenant('iota')], { dryRun: true });
    expect(plan.action).toBe('create');
    expect(await count(`SELECT count(*) AS n FROM tenant WHERE slug = 'iota'`)).toBe(0);
  });

  it('rejects a price list in another currency than the tenant', async () => {
    await expect(sync.sync([tenant('kappa', { currency: 'GBP' })])).rejects.toThrow(
      /is in EUR, the tenant sells in GBP/,
    );
  });

  it('rejects an unknown time zone', async () => {
    await expect(sync.sync([tenant('lambda', { timeZone: 'Europe/Atlantis' })])).rejects.toThrow(
      /unknown time zone "Europe\/Atlantis"/,
    );
  });

  it('rejects a company whose VAT cannot be decided', async () => {
    await expect(
      sync.sync([
        tenant('xi', {
          company: { name: 'X', country: 'IT', poNumberRequired: false, addresses: [], users: [] },
        }),
      ]),
    ).rejects.toThrow(/company\.country/);
  });

  it("creates the tenant's company from tenant.yaml, and no other tenant can read, change or delete it", async () => {
    const company = (vatId: string, name = 'Mu Bouw B.V.', city = 'Gent') => ({
      name,
      vatId,
      poNumberRequired: true,
      addresses: [
        {
          label: 'Werf',
          kind: 'SHIPPING' as const,
          name,
          street: 'Kaai 1',
          postalCode: '9000',
          city,
          country: 'BE',
          default: true,
        },
      ],
      users: [],
    });
    await sync.sync([
      tenant('mu', { company: company('BE0123456749'), timeZone: 'Europe/Brussels' }),
      tenant('nu'),
    ]);
    await sync.sync([
      tenant('mu', { company: company('BE0123456749', 'Mu Bouw N.V.', 'Antwerpen') }),
    ]);
    const db2 = app.get(TenantDb);
    const ids = Object.fromEntries(
      (
        await db2.query<{ id: string; slug: string }>(
          `SELECT id, slug FROM tenant WHERE slug IN ('mu', 'nu')`,
        )
      ).map((r) => [r.slug, r.id]),
    );
    const rows = await db2.run({ tenantId: ids.mu }, (em) =>
      em.query(`SELECT code, name, country, vat_id FROM company`),
    );
    // The id is derived from (tenant id, code), so tools can address the company (bench/auth.ts).
    const [{ id }] = await db2.run({ tenantId: ids.mu }, (em) =>
      em.query(`SELECT id FROM company`),
    );
    expect(id.replace(/-/g, '')).toBe(createHash('md5').update(`${ids.mu}/mu`).digest('hex'));
    // Code defaults to the slug, country to the VAT id's; a second sync updates, never duplicates.
    expect(rows).toEqual([
      { code: 'mu', name: 'Mu Bouw N.V.', country: 'BE', vat_id: 'BE0123456749' },
    ]);
    // Declared addresses are keyed by label: the second sync updated the one address.
    expect(
      await db2.run({ tenantId: ids.mu }, (em) =>
        em.query(
          `SELECT c.po_number_required, a.label, a.city, a.is_default
             FROM company c JOIN company_address a ON a.company_id = c.id`,
        ),
      ),
    ).toEqual([{ po_number_required: true, label: 'Werf', city: 'Antwerpen', is_default: true }]);
    // As tenant nu, without a tenant filter in the SQL: only the policy separates tenants.
    const asNu = (sql: string) =>
      asTenantRuntime(db.dataSource, ids.nu, ['company'], (em) => em.query(sql));
    expect(await asNu(`SELECT * FROM company`)).toEqual([]);
    await asNu(`UPDATE company SET name = 'stolen'`);
    await asNu(`DELETE FROM company`);
    await expect(
      asNu(
        `INSERT INTO company (tenant_id, code, name, country) VALUES ('${ids.mu}', 'x', 'x', 'NL')`,
      ),
    ).rejects.toThrow(/row-level security/);
    const after = await db2.run({ tenantId: ids.mu }, (em) => em.query(`SELECT name FROM company`));
    expect(after).toEqual([{ name: 'Mu Bouw N.V.' }]);
  });
});
