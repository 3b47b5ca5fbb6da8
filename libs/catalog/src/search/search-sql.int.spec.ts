import type { DataSource } from 'typeorm';
import type { TenantContext } from '@vitrine/tenancy';
import { createTestDatabase, type TestDatabase } from '@vitrine/testing';
import type { ResolvedProductQuery } from '../catalog.model';
import { resolveFilters } from './attribute-filter';
import { toFacets, type FacetRow } from './facets';
import { countStatement, facetStatement, pageStatement, type Statement } from './product-query';
import type { SearchFeatures } from './ranked-search';
import { SqlParams } from './sql-params';

/**
 * The search SQL against a real database, with and without pg_trgm (the statements must work
 * on a PostgreSQL where the extension is missing), on a catalog of a few hand-made rows.
 */
describe('search SQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let ctx: TenantContext;

  const run = async <T>(s: Statement) => (await ds.query(s.sql, s.params)) as T[];
  const query = (search: string | null, extra: Partial<ResolvedProductQuery> = {}) => ({
    search,
    categoryIds: null,
    filters: [],
    ...extra,
  });
  const slugs = async (q: ResolvedProductQuery, features: SearchFeatures) =>
    (await run<{ slug: string }>(pageStatement(ctx, q, features, null, 50))).map((r) => r.slug);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    const [{ id: tenantId }] = (await ds.query(
      `INSERT INTO tenant (slug, name, status, locales, currency) VALUES ('t', 'T', 'ACTIVE', '{nl,en}', 'EUR') RETURNING id`,
    )) as Array<{ id: string }>;
    ctx = { tenantId, locale: 'nl', tenant: { locales: ['nl', 'en'] } } as unknown as TenantContext;
    await ds.query(`
      INSERT INTO category (slug, path, names) VALUES ('c', 'c', '{"nl": "C"}');
      INSERT INTO attribute (code, type, unit, names, enum_values) VALUES
        ('material', 'ENUM', NULL, '{"nl": "Materiaal"}', '["RVS", "Staal"]'),
        ('length', 'NUMBER', 'mm', '{"nl": "Lengte"}', NULL);
      INSERT INTO product (slug, category_id, manufacturer, names, descriptions) VALUES
        ('spaanplaatschroef', 1, 'Fixtra', '{"nl": "Spaanplaatschroef verzinkt", "en": "Chipboard screw"}', '{"nl": "Torx schroeven"}'),
        ('handschoen', 1, 'Safe', '{"nl": "Snijbestendige handschoen"}', '{}'),
        ('hamer', 1, 'Tool', '{"nl": "Klauwhamer SKU-2"}', '{}');
      INSERT INTO variant (product_id, sku, gtin, mpn, names, attributes) VALUES
        (1, 'SKU-1', '8712345678906', 'FIX-100', '{"nl": "Schroef 4x40"}', '{"material": "RVS", "length": 40}'),
        (1, 'SKU-10', NULL, NULL, '{"nl": "Schroef 5x50"}', '{"material": "Staal", "length": 50}'),
        (2, 'SKU-2', NULL, NULL, '{"nl": "Handschoen M"}', '{"material": ["RVS", "Staal"]}'),
        (3, 'SKU-3', NULL, NULL, '{"nl": "Hamer"}', '{}');
      SELECT vitrine_refresh_product_search(array[1, 2, 3]);`);
    await ds.query(
      `INSERT INTO tenant_product (tenant_id, product_id, slug, category_id) SELECT $1, id, slug, category_id FROM product`,
      [tenantId],
    );
    await ds.query(
      `INSERT INTO tenant_variant (tenant_id, variant_id, product_id) SELECT $1, id, product_id FROM variant`,
      [tenantId],
    );
  });

  afterAll(async () => {
    await db?.close();
  });

  describe.each([
    ['with pg_trgm', { trigram: true }],
    ['without pg_trgm', { trigram: false }],
  ])('%s', (_name, features: SearchFeatures) => {
    it('ranks an exact SKU above a name that contains it, then prefixes', async () => {
      expect(await slugs(query('sku-2'), features)).toEqual(['handschoen', 'hamer']);
      expect((await slugs(query('SKU-1'), features))[0]).toBe('spaanplaatschroef');
      expect(await slugs(query('8712345678906'), features)).toEqual(['spaanplaatschroef']);
      expect(await slugs(query('fix-1'), features)).toEqual(['spaanplaatschroef']);
    });

    it('matches full text with stemming and parts of words', async () => {
      expect(await slugs(query('handschoenen'), features)).toEqual(['handschoen']);
      // Part of a compound word: trigram word similarity, or a substring without pg_trgm.
      expect(await slugs(query('spaanplaat'), features)).toEqual(['spaanplaatschroef']);
    });

    it('ranks articles with every word first, then those with some of them', async () => {
      // "verzinkte handschoen": no article has both words; each half finds its own.
      expect((await slugs(query('verzinkte handschoen'), features)).sort()).toEqual([
        'handschoen',
        'spaanplaatschroef',
      ]);
      // Both words in one article rank above one word in another.
      const both = await slugs(query('verzinkt schroef handschoen'), features);
      expect(both[0]).toBe('spaanplaatschroef');
      expect(both).toContain('handschoen');
    });

    it('finds typos only with pg_trgm', async () => {
      expect(await slugs(query('spaanplaatschoref'), features)).toEqual(
        features.trigram ? ['spaanplaatschroef'] : [],
      );
    });

    it('takes metacharacters literally', async () => {
      for (const s of ['%', '_', '\\', "'", 'a:*|b', '(((', '.*+?', '!&|<->']) {
        const [{ count }] = await run<{ count: number }>(countStatement(ctx, query(s), features));
        expect({ s, count }).toEqual({ s, count: 0 });
      }
    });

    it('filters by attributes on one variant and counts facets without their own filter', async () => {
      const types = new Map([
        ['material', 'ENUM' as const],
        ['length', 'NUMBER' as const],
      ]);
      const rvsLong = resolveFilters(
        [
          { code: 'material', values: ['RVS'] },
          { code: 'length', min: 45 },
        ],
        types,
      );
      // SKU-1 is RVS but 40 mm, SKU-10 is 50 mm but Staal: no single variant passes both.
      expect(await slugs(query(null, { filters: rvsLong }), features)).toEqual([]);
      const rvs = resolveFilters([{ code: 'material', values: ['RVS'] }], types);
      expect(await slugs(query(null, { filters: rvs }), features)).toEqual([
        'handschoen',
        'spaanplaatschroef',
      ]);
      const facets = toFacets(
        await run<FacetRow>(facetStatement(ctx, query(null, { filters: rvs }), features)),
      );
      expect(facets).toEqual([
        {
          code: 'length',
          name: 'Lengte',
          type: 'NUMBER',
          unit: 'mm',
          min: 40,
          max: 40,
          values: [{ value: '40', count: 1 }],
        },
        {
          code: 'material',
          name: 'Materiaal',
          type: 'ENUM',
          unit: null,
          min: null,
          max: null,
          values: [
            { value: 'RVS', count: 2 },
            { value: 'Staal', count: 2 },
          ],
        },
      ]);
    });
  });

  it('keeps only the parameters a statement references, renumbered', () => {
    const p = new SqlParams(['t', 'nl', 'en']);
    const x = p.add('x');
    expect(p.statement(`SELECT $1, ${x}`)).toEqual({ sql: 'SELECT $1, $2', params: ['t', 'x'] });
    expect(p.statement(`SELECT $1, $2, $3, $4`).params).toEqual(['t', 'nl', 'en', 'x']);
  });
});
