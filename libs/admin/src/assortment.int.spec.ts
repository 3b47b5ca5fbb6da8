import type { INestApplicationContext } from '@nestjs/common';
import { AssortmentService, CatalogModule } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { createTestContext, createTestDatabase, type TestDatabase } from '@vitrine/testing';
import { AdminModule } from './admin.module';
import { DemoSeedService } from './demo-seed.service';
import { DEFAULT_THEME, TenantFileError, type LoadedTenant } from './tenant-file';
import { TenantSyncService } from './tenant-sync.service';

function tenant(
  slug: string,
  assortment: Partial<LoadedTenant['spec']['assortment']>,
): LoadedTenant {
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
      assortment: { includeCategories: [], includeSkus: [], excludeSkus: [], ...assortment },
      priceLists: [],
      shipping: [],
      features: {},
    },
  };
}

describe('assortment materialization', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let sync: TenantSyncService;
  let assortment: AssortmentService;
  let tenantDb: TenantDb;
  const ids = new Map<string, string>();

  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    db.dataSource.query(sql, params) as Promise<T[]>;
  /** SKUs in a tenant's materialized assortment. */
  const skusOf = async (slug: string) =>
    (
      await q<{ sku: string }>(
        `SELECT v.sku FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
         WHERE tv.tenant_id = $1 ORDER BY v.sku`,
        [ids.get(slug)],
      )
    ).map((r) => r.sku);
  const productsOf = async (slug: string) =>
    (
      await q<{ product_id: number }>(
        `SELECT product_id FROM tenant_product WHERE tenant_id = $1 ORDER BY product_id`,
        [ids.get(slug)],
      )
    ).map((r) => r.product_id);
  const syncAll = async (tenants: LoadedTenant[]) => {
    await sync.sync(tenants);
    for (const r of await q<{ id: string; slug: string }>(`SELECT id, slug FROM tenant`))
      ids.set(r.slug, r.id);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestContext(db, [CatalogModule, AdminModule], {
      TENANTS_DIR: '/nonexistent-tenants-dir',
    });
    sync = app.get(TenantSyncService);
    assortment = app.get(AssortmentService);
    tenantDb = app.get(TenantDb);
    await app.get(DemoSeedService).seedCatalog({ variants: 300 });
    await q(
      `INSERT INTO attribute (code, type, enum_values) VALUES ('test_material', 'ENUM', '["RVS","staal"]')
       ON CONFLICT (code) DO NOTHING`,
    );
    await q(
      `INSERT INTO attribute (code, type, unit) VALUES ('test_length', 'NUMBER', 'mm') ON CONFLICT (code) DO NOTHING`,
    );
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('keeps only articles that satisfy every attribute filter', async () => {
    const pbm = await q<{ id: number }>(
      `SELECT v.id FROM variant v JOIN product p ON p.id = v.product_id JOIN category c ON c.id = p.category_id
       WHERE c.path LIKE 'pbm%' ORDER BY v.id LIMIT 6`,
    );
    const [a, b, c, d] = pbm.map((r) => r.id);
    await q(
      `UPDATE variant SET attributes = attributes || jsonb_build_object('test_material', 'RVS', 'test_length', 40) WHERE id = $1`,
      [a],
    );
    await q(
      `UPDATE variant SET attributes = attributes || jsonb_build_object('test_material', 'RVS', 'test_length', 80) WHERE id = $1`,
      [b],
    );
    await q(
      `UPDATE variant SET attributes = attributes || jsonb_build_object('test_material', 'staal', 'test_length', 40) WHERE id = $1`,
      [c],
    );
    // d has no test_material at all: a filter on it excludes d.
    await syncAll([
      tenant('rvs-only', {
        includeCategories: ['pbm'],
        attributeFilters: [
          { attribute: 'test_material', in: ['RVS'] },
          { attribute: 'test_length', max: 50 },
        ],
      }),
    ]);
    const skus = await q<{ id: number; sku: string }>(
      `SELECT id, sku FROM variant WHERE id = ANY($1::int[])`,
      [[a, b, c, d]],
    );
    const sku = (id: number) => skus.find((s) => s.id === id)!.sku;
    expect(await skusOf('rvs-only')).toEqual([sku(a)]);
  });

  it('rejects filters on unknown attributes or impossible ranges, with the path', async () => {
    const attempt = sync.sync([
      tenant('bad-filter', {
        includeCategories: ['pbm'],
        attributeFilters: [
          { attribute: 'no_such_attribute', in: ['x'] },
          { attribute: 'test_material', min: 1 },
          { attribute: 'test_material', in: ['goud'] },
        ],
      }),
    ]);
    await expect(attempt).rejects.toBeInstanceOf(TenantFileError);
    const message = await attempt.catch((e: Error) => e.message);
    expect(message).toContain('assortment.attributeFilters[0].attribute');
    expect(message).toContain('unknown attribute "no_such_attribute"');
    expect(message).toContain('assortment.attributeFilters[1]');
    expect(message).toContain('assortment.attributeFilters[2].in[0]');
    expect(await q(`SELECT 1 FROM tenant WHERE slug = 'bad-filter'`)).toEqual([]);
  });

  it('handles discontinued articles as each tenant chose', async () => {
    const [sold, stocked] = await q<{ id: number; sku: string }>(
      `SELECT v.id, v.sku FROM variant v JOIN product p ON p.id = v.product_id JOIN category c ON c.id = p.category_id
       WHERE c.path LIKE 'gereedschap%' ORDER BY v.id LIMIT 2`,
    );
    await q(`UPDATE variant SET status = 'DISCONTINUED', stock_on_hand = 0 WHERE id = $1`, [
      sold.id,
    ]);
    await q(`UPDATE variant SET status = 'DISCONTINUED', stock_on_hand = 7 WHERE id = $1`, [
      stocked.id,
    ]);
    await syncAll([
      tenant('d-hide', { includeCategories: ['gereedschap'], discontinued: 'hide' }),
      tenant('d-until', { includeCategories: ['gereedschap'], discontinued: 'untilSoldOut' }),
      tenant('d-show', { includeCategories: ['gereedschap'], discontinued: 'show' }),
    ]);
    const hide = await skusOf('d-hide');
    const until = await skusOf('d-until');
    const show = await skusOf('d-show');
    expect(hide).not.toContain(sold.sku);
    expect(hide).not.toContain(stocked.sku);
    expect(until).not.toContain(sold.sku);
    expect(until).toContain(stocked.sku);
    expect(show).toContain(sold.sku);
    expect(show).toContain(stocked.sku);
  });

  it('follows catalog changes incrementally: a new article, a moved one, an excluded one', async () => {
    await syncAll([
      tenant('inc-tools', { includeCategories: ['gereedschap'] }),
      tenant('inc-pbm', { includeCategories: ['pbm'], excludeSkus: ['INC-EXCLUDED-1'] }),
    ]);
    const toolsBefore = await skusOf('inc-tools');
    const pbmBefore = await skusOf('inc-pbm');
    const [{ id: toolsCat }] = await q<{ id: number }>(
      `SELECT id FROM category WHERE path LIKE 'gereedschap/%' ORDER BY id LIMIT 1`,
    );
    const [{ id: pbmCat }] = await q<{ id: number }>(`SELECT id FROM category WHERE slug = 'pbm'`);
    const [{ id: productId }] = await q<{ id: number }>(
      `INSERT INTO product (slug, category_id, names) VALUES ('inc-new-product', $1, '{"nl":"Nieuw"}') RETURNING id`,
      [toolsCat],
    );
    const inserted = await q<{ id: number }>(
      `INSERT INTO variant (product_id, sku, names) VALUES ($1, 'INC-NEW-1', '{"nl":"Nieuw"}'), ($1, 'INC-EXCLUDED-1', '{"nl":"Uit"}') RETURNING id`,
      [productId],
    );
    const newIds = inserted.map((r) => r.id);
    await tenantDb.maintenance((em) => assortment.refresh(em, { variantIds: newIds }));

    expect(await skusOf('inc-tools')).toEqual(
      [...toolsBefore, 'INC-EXCLUDED-1', 'INC-NEW-1'].sort(),
    );
    expect(await productsOf('inc-tools')).toContain(productId);
    expect(await skusOf('inc-pbm')).toEqual(pbmBefore);

    // The product moves to PBM: it leaves the tools site and joins the PBM site, minus the exclusion.
    await q(`UPDATE product SET category_id = $1 WHERE id = $2`, [pbmCat, productId]);
    await tenantDb.maintenance((em) => assortment.refresh(em, { variantIds: newIds }));
    expect(await skusOf('inc-tools')).toEqual(toolsBefore);
    expect(await productsOf('inc-tools')).not.toContain(productId);
    expect(await skusOf('inc-pbm')).toEqual([...pbmBefore, 'INC-NEW-1'].sort());
    expect(await productsOf('inc-pbm')).toContain(productId);

    // Nothing else was touched: a full rebuild gives the same rows.
    const incremental = await skusOf('inc-pbm');
    await tenantDb.maintenance((em) =>
      assortment.refresh(em, { tenantIds: [ids.get('inc-pbm')!] }),
    );
    expect(await skusOf('inc-pbm')).toEqual(incremental);
  });
});
