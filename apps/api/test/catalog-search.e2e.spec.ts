import type { DataSource } from 'typeorm';
import { httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { buyerGql, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

/**
 * Catalog search, filters, facets and customer article numbers over the seeded demo tenants:
 * jansen-bouw (fasteners, tools, PPE; nl + en) and zorggroep-noord (medical, cleaning, PPE).
 * Test-only attribute definitions (codes t_*) and values are written straight into the master
 * catalog, which leaves the assortments as they are.
 */
const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';

interface Node {
  slug: string;
  name: string;
  variants: Array<{
    sku: string;
    gtin: string | null;
    mpn: string | null;
    customerSku: string | null;
  }>;
}
interface Facet {
  code: string;
  name: string;
  type: string;
  unit: string | null;
  min: number | null;
  max: number | null;
  values: Array<{ value: string; count: number }>;
}
interface ProductsData {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ cursor: string; node: Node }>;
    facets?: Facet[];
  };
}

const PRODUCTS = `query($first: Int, $after: String, $search: String, $categorySlug: String, $attributes: [AttributeFilterInput!]) {
  products(first: $first, after: $after, search: $search, categorySlug: $categorySlug, attributes: $attributes) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { slug name variants { sku gtin mpn customerSku } } }
  }
}`;
const FACETS = `query($search: String, $categorySlug: String, $attributes: [AttributeFilterInput!]) {
  products(first: 0, search: $search, categorySlug: $categorySlug, attributes: $attributes) {
    totalCount facets { code name type unit min max values { value count } }
  }
}`;

/** Key-account sites are login-only: requests go as a buyer of the host's tenant unless headers say otherwise. */
const gql = buyerGql(() => api);
let api: RunningApp;
describe('catalog search, facets and customer article numbers (end to end)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const tenantIds: Record<string, string> = {};

  const products = (
    host: string,
    vars: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => gql<ProductsData>(api.port, host, PRODUCTS, { first: 20, ...vars }, headers);
  const ok = <T>(res: GraphQLResult<T>): T => {
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    return res.data!;
  };
  const skusOf = (data: ProductsData) =>
    data.products.edges.flatMap((e) => e.node.variants.map((v) => v.sku));

  /** A variant of the tenant's assortment in a category, as the API shows it. */
  async function variantIn(host: string, categorySlug: string, index = 0) {
    const data = ok(await products(host, { first: index + 1, categorySlug }));
    const node = data.products.edges[index].node;
    return { node, variant: node.variants[0] };
  }

  /** Writes tenant-owned rows in the tenant's unit of work, as the application would. */
  async function asTenant(slug: string, sql: string, params: unknown[]) {
    await ds.transaction(async (em) => {
      await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantIds[slug]]);
      await em.query(sql, params);
    });
  }

  beforeAll(async () => {
    db = await seededDatabase();
    ds = db.dataSource;
    for (const row of (await ds.query(`SELECT id, slug FROM tenant`)) as Array<{
      id: string;
      slug: string;
    }>)
      tenantIds[row.slug] = row.id;

    await ds.query(`
      INSERT INTO attribute (code, type, unit, names, enum_values, facet, position) VALUES
        ('t_material', 'ENUM', NULL, '{"nl": "Materiaal", "en": "Material"}', '["RVS", "Staal", "Latex"]', true, 0),
        ('t_length', 'NUMBER', 'mm', '{"nl": "Lengte", "en": "Length"}', NULL, true, 1),
        ('t_note', 'TEXT', NULL, '{"nl": "Opmerking"}', NULL, false, 2)`);
    // Screws: material alternates, length cycles 10..50 mm; one medical glove gets a value no
    // jansen product has.
    await ds.query(`
      UPDATE variant v SET attributes = jsonb_build_object(
          't_material', CASE WHEN v.id % 2 = 0 THEN 'RVS' ELSE 'Staal' END,
          't_length', (v.id % 5) * 10 + 10,
          't_note', 'test')
      FROM product p JOIN category c ON c.id = p.category_id
      WHERE p.id = v.product_id AND c.slug = 'schroeven'`);
    await ds.query(`
      UPDATE variant SET attributes = '{"t_material": "Latex"}' WHERE id = (
        SELECT v.id FROM variant v JOIN product p ON p.id = v.product_id
        JOIN category c ON c.id = p.category_id WHERE c.slug = 'onderzoekshandschoenen'
        ORDER BY v.id LIMIT 1)`);
    // Search documents of the seeded catalog (the demo seed may not build them yet).
    await ds.query(`SELECT vitrine_refresh_product_search(array_agg(id)) FROM product`);

    // Every page here is computed: the statement counts below are of uncached pages (the
    // response cache has its own tests, response-cache.e2e.spec.ts).
    api = await startApp(db, testConfig({ RESPONSE_CACHE: 'off' }));
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  describe('ranking', () => {
    it('puts an exact SKU before a product whose name merely contains it', async () => {
      const target = await variantIn(JANSEN, 'gereedschap', 0);
      const decoy = await variantIn(JANSEN, 'gereedschap', 3);
      expect(decoy.node.slug).not.toBe(target.node.slug);
      await ds.query(
        `UPDATE product SET names = jsonb_set(names, '{nl}', to_jsonb(names->>'nl' || ' ' || $1::text))
         WHERE slug = $2`,
        [target.variant.sku, decoy.node.slug],
      );
      await ds.query(
        `SELECT vitrine_refresh_product_search(array_agg(id)) FROM product WHERE slug = $1`,
        [decoy.node.slug],
      );

      const found = ok(await products(JANSEN, { search: target.variant.sku.toLowerCase() }));
      const slugs = found.products.edges.map((e) => e.node.slug);
      expect(slugs[0]).toBe(target.node.slug);
      expect(slugs).toContain(decoy.node.slug);
      expect(slugs.indexOf(decoy.node.slug)).toBeGreaterThan(0);
    });

    it('finds an exact GTIN and a manufacturer part number (any case) first', async () => {
      const { node, variant } = await variantIn(JANSEN, 'pbm', 2);
      const byGtin = ok(await products(JANSEN, { search: variant.gtin }));
      expect(byGtin.products.edges[0].node.slug).toBe(node.slug);
      const byMpn = ok(await products(JANSEN, { search: ` ${variant.mpn!.toLowerCase()} ` }));
      expect(byMpn.products.edges[0].node.slug).toBe(node.slug);
    });

    it('finds article numbers by prefix, exact matches first', async () => {
      const { variant } = await variantIn(JANSEN, 'bevestigingsmaterialen', 0);
      const prefix = variant.sku.slice(0, -1);
      const found = ok(await products(JANSEN, { search: prefix, first: 50 }));
      expect(found.products.totalCount).toBeGreaterThan(0);
      // Article-number matches come first; full-text or similar matches may follow.
      const hits = found.products.edges.map((e) =>
        e.node.variants.some((v) => v.sku.startsWith(prefix)),
      );
      expect(hits[0]).toBe(true);
      expect(
        hits.slice(hits.indexOf(false) >= 0 ? hits.indexOf(false) : hits.length),
      ).not.toContain(true);
      expect(skusOf(found)).toContain(variant.sku);
    });

    it('searches names in Dutch with stemming: a plural finds the singular', async () => {
      const found = ok(await products(JANSEN, { search: 'handschoenen', first: 50 }));
      expect(found.products.totalCount).toBeGreaterThan(0);
      expect(found.products.edges.map((e) => e.node.name).join(' | ')).toMatch(/handschoen\b/i);
    });

    it('searches names in English for an English visitor', async () => {
      const found = ok(
        await products(JANSEN, { search: 'gloves', first: 50 }, { 'accept-language': 'en' }),
      );
      expect(found.products.totalCount).toBeGreaterThan(0);
      expect(found.products.edges[0].node.name).toMatch(/glove/i);
    });

    it('finds a product despite a typo (trigram similarity)', async () => {
      const found = ok(await products(JANSEN, { search: 'waterpompang', first: 50 }));
      expect(found.products.totalCount).toBeGreaterThan(0);
      expect(found.products.edges[0].node.name).toMatch(/Waterpomptang/);
    });

    it('answers strings full of SQL, LIKE, tsquery and regex metacharacters without an error', async () => {
      for (const search of [
        `%_\\'";--`,
        'a:*|b',
        '(((',
        '.*+?',
        "'; DROP TABLE variant; --",
        '!!&&||<->',
        '\\',
        '%',
        '_',
        'ab\u0000cd',
      ]) {
        const res = await products(JANSEN, { search });
        expect({ search, errors: res.errors }).toEqual({ search, errors: undefined });
        expect(res.status).toBe(200);
      }
      // `%` and `_` are literal: no article number contains them.
      expect(ok(await products(JANSEN, { search: '%' })).products.totalCount).toBe(0);
    });

    it('pages through a search with stable cursors: same order as one big page', async () => {
      const all = ok(await products(JANSEN, { search: 'schroef', first: 100 }));
      expect(all.products.totalCount).toBeGreaterThan(6);
      const walked: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const page: ProductsData = ok(
          await products(JANSEN, { search: 'schroef', first: 3, after }),
        );
        walked.push(...page.products.edges.map((e) => e.node.slug));
        expect(page.products.totalCount).toBe(all.products.totalCount);
        if (!page.products.pageInfo.hasNextPage) break;
        after = page.products.pageInfo.endCursor;
      }
      expect(walked).toEqual(all.products.edges.map((e) => e.node.slug));
    });

    it('refuses a forged or foreign cursor with BAD_USER_INPUT', async () => {
      for (const after of [
        'garbage',
        Buffer.from('[2, -1, 0, "x"]').toString('base64url'),
        Buffer.from('[9, 1, 0, "x"]').toString('base64url'),
        Buffer.from('[2, 1, 1e20, "x"]').toString('base64url'),
      ]) {
        const res = await products(JANSEN, { search: 'schroef', after });
        expect(res.status).toBe(400);
        expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('filters and facets', () => {
    it('counts facet values over the result set; filtering by a value gives that count', async () => {
      const data = ok(
        await gql<ProductsData>(api.port, JANSEN, FACETS, { categorySlug: 'schroeven' }),
      );
      const facets = data.products.facets!;
      expect(facets.map((f) => f.code)).toEqual(['t_material', 't_length']); // t_note is no facet
      const material = facets[0];
      expect(material).toMatchObject({ name: 'Materiaal', type: 'ENUM', unit: null });
      expect(material.values.map((v) => v.value).sort()).toEqual(['RVS', 'Staal']);
      for (const { value, count } of material.values) {
        const filtered = ok(
          await products(JANSEN, {
            first: 0,
            categorySlug: 'schroeven',
            attributes: [{ code: 't_material', values: [value] }],
          }),
        );
        expect(filtered.products.totalCount).toBe(count);
      }
      const length = facets[1];
      expect(length).toMatchObject({
        name: 'Lengte',
        type: 'NUMBER',
        unit: 'mm',
        min: 10,
        max: 50,
      });
      const inRange = ok(
        await products(JANSEN, {
          first: 100,
          categorySlug: 'schroeven',
          attributes: [{ code: 't_length', min: 20, max: 30 }],
        }),
      );
      const exact = ok(
        await products(JANSEN, {
          first: 100,
          categorySlug: 'schroeven',
          attributes: [{ code: 't_length', values: ['20', '30'] }],
        }),
      );
      expect(inRange.products.totalCount).toBeGreaterThan(0);
      expect(exact.products.edges.map((e) => e.node.slug)).toEqual(
        inRange.products.edges.map((e) => e.node.slug),
      );
      const counts = Object.fromEntries(length.values.map((v) => [v.value, v.count]));
      expect(inRange.products.totalCount).toBeLessThanOrEqual(
        (counts['20'] ?? 0) + (counts['30'] ?? 0),
      );
    });

    it('narrows the other facets by a filter but keeps its own alternatives', async () => {
      const data = ok(
        await gql<ProductsData>(api.port, JANSEN, FACETS, {
          categorySlug: 'schroeven',
          attributes: [{ code: 't_material', values: ['RVS'] }],
        }),
      );
      const [material, length] = data.products.facets!;
      expect(material.values.map((v) => v.value).sort()).toEqual(['RVS', 'Staal']);
      expect(Math.max(...length.values.map((v) => v.count))).toBeLessThanOrEqual(
        data.products.totalCount,
      );
      // Facets of a search: only what the search found (no screws among tape measures).
      const tapes = ok(await gql<ProductsData>(api.port, JANSEN, FACETS, { search: 'rolmaat' }));
      expect(tapes.products.totalCount).toBeGreaterThan(0);
      expect(tapes.products.facets!.map((f) => f.code)).not.toContain('t_material');
    });

    it('refuses unknown attributes and mismatched filters with BAD_USER_INPUT', async () => {
      for (const attributes of [
        [{ code: 'no_such_attribute', values: ['x'] }],
        [{ code: 't_material', min: 1 }],
        [{ code: 't_length', values: ['long'] }],
        [{ code: 't_material' }],
        [
          { code: 't_material', values: ['RVS'] },
          { code: 't_material', values: ['Staal'] },
        ],
        [{ code: 't_length', min: 5, max: 1 }],
      ]) {
        const res = await products(JANSEN, { attributes });
        expect({ attributes, code: res.errors?.[0].extensions?.code }).toEqual({
          attributes,
          code: 'BAD_USER_INPUT',
        });
        expect(res.status).toBe(400);
      }
    });

    it('shows typed attributes, order units and media on variants and products', async () => {
      const { node } = await variantIn(JANSEN, 'schroeven');
      const res = ok(
        await gql<{
          product: {
            manufacturer: string;
            media: unknown[];
            variants: Array<{
              unit: string;
              orderMultiple: number;
              minOrderQuantity: number;
              status: string;
              successorSku: string | null;
              stockOnHand: number;
              inStock: boolean;
              lengthMm: number | null;
              attributes: Array<{
                code: string;
                name: string;
                type: string;
                unit: string | null;
                value: string;
                numberValue: number | null;
              }>;
            }>;
          };
        }>(
          api.port,
          JANSEN,
          `query($slug: String!) { product(slug: $slug) { manufacturer media { kind url title }
            variants { unit orderMultiple minOrderQuantity status successorSku stockOnHand inStock lengthMm
              widthMm heightMm volumeMl attributes { code name type unit value numberValue } } } }`,
          { slug: node.slug },
        ),
      );
      expect(res.product.manufacturer).toBeTruthy();
      expect(Array.isArray(res.product.media)).toBe(true);
      const v = res.product.variants[0];
      expect(v).toMatchObject({
        unit: 'PCE',
        orderMultiple: 1,
        minOrderQuantity: 1,
        status: 'ACTIVE',
      });
      expect(v.inStock).toBe(v.stockOnHand > 0);
      expect(v.attributes.map((a) => a.code)).toEqual(['t_material', 't_length', 't_note']);
      const length = v.attributes[1];
      expect(length).toMatchObject({ name: 'Lengte', type: 'NUMBER', unit: 'mm' });
      expect(length.numberValue).toBe(Number(length.value));
    });
  });

  describe('customer article numbers', () => {
    let sku: string;
    let slug: string;

    beforeAll(async () => {
      // A PPE article both tenants sell; only jansen has its own number for it.
      const { node, variant } = await variantIn(JANSEN, 'pbm', 0);
      sku = variant.sku;
      slug = node.slug;
      expect(ok(await products(ZORG, { search: sku })).products.totalCount).toBeGreaterThan(0);
      await asTenant(
        'jansen-bouw',
        `INSERT INTO customer_sku (tenant_id, customer_sku, variant_id)
         SELECT $1, 'JB-4711/A', id FROM variant WHERE sku = $2`,
        [tenantIds['jansen-bouw'], sku],
      );
    });

    it("finds the customer's own number in search, lookupSkus and product(sku:) for that customer only", async () => {
      const a = ok(await products(JANSEN, { search: 'jb-4711/a' }));
      expect(a.products.edges[0].node.slug).toBe(slug);
      const prefix = ok(await products(JANSEN, { search: 'JB-47' }));
      expect(prefix.products.edges[0].node.slug).toBe(slug);
      const b = ok(await products(ZORG, { search: 'jb-4711/a' }));
      expect(b.products.totalCount).toBe(0);

      const LOOKUP = `query($s: [String!]!) { lookupSkus(skus: $s) { sku matchedBy variant { sku customerSku } } }`;
      type Lookup = {
        lookupSkus: Array<{
          sku: string;
          matchedBy: string | null;
          variant: { sku: string; customerSku: string | null } | null;
        }>;
      };
      const input = [' jb-4711/a ', sku.toLowerCase(), 'NOPE-1', 'JB-4711/A'];
      const la = ok(await gql<Lookup>(api.port, JANSEN, LOOKUP, { s: input }));
      expect(la.lookupSkus).toEqual([
        {
          sku: ' jb-4711/a ',
          matchedBy: 'CUSTOMER_SKU',
          variant: { sku, customerSku: 'JB-4711/A' },
        },
        { sku: sku.toLowerCase(), matchedBy: 'SKU', variant: { sku, customerSku: 'JB-4711/A' } },
        { sku: 'NOPE-1', matchedBy: null, variant: null },
        { sku: 'JB-4711/A', matchedBy: 'CUSTOMER_SKU', variant: { sku, customerSku: 'JB-4711/A' } },
      ]);
      const lb = ok(await gql<Lookup>(api.port, ZORG, LOOKUP, { s: input }));
      expect(lb.lookupSkus.map((l) => l.matchedBy)).toEqual([null, 'SKU', null, null]);
      expect(lb.lookupSkus[1].variant).toEqual({ sku, customerSku: null });

      const BY_SKU = `query($sku: String!) { product(sku: $sku) { slug variants { sku customerSku } } }`;
      type One = {
        product: {
          slug: string;
          variants: Array<{ sku: string; customerSku: string | null }>;
        } | null;
      };
      const pa = ok(await gql<One>(api.port, JANSEN, BY_SKU, { sku: 'jb-4711/a' }));
      expect(pa.product?.slug).toBe(slug);
      expect(pa.product?.variants.find((v) => v.sku === sku)?.customerSku).toBe('JB-4711/A');
      const pb = ok(await gql<One>(api.port, ZORG, BY_SKU, { sku: 'JB-4711/A' }));
      expect(pb.product).toBeNull();
      const pbSeller = ok(await gql<One>(api.port, ZORG, BY_SKU, { sku }));
      expect(pbSeller.product?.variants.find((v) => v.sku === sku)?.customerSku).toBeNull();
    });
  });

  it('keeps an article outside the assortment invisible on every read path, facets included', async () => {
    // The medical glove with t_material = Latex is zorggroep's, not jansen's.
    const [glove] = (await ds.query(
      `SELECT v.sku, v.gtin, v.mpn, p.slug, p.names->>'nl' AS name FROM variant v JOIN product p ON p.id = v.product_id
       WHERE v.attributes->>'t_material' = 'Latex'`,
    )) as Array<{ sku: string; gtin: string; mpn: string; slug: string; name: string }>;
    const inZorg = ok(await products(ZORG, { search: glove.sku }));
    expect(inZorg.products.edges[0].node.slug).toBe(glove.slug);

    for (const search of [glove.sku, glove.gtin, glove.mpn, glove.name, glove.sku.slice(0, -1)]) {
      const res = ok(await products(JANSEN, { search, first: 100 }));
      expect(res.products.edges.map((e) => e.node.slug)).not.toContain(glove.slug);
      expect(skusOf(res)).not.toContain(glove.sku);
    }
    const one = `query($slug: String, $sku: String) { product(slug: $slug, sku: $sku) { slug } }`;
    expect(
      ok(await gql<{ product: unknown }>(api.port, JANSEN, one, { sku: glove.sku })).product,
    ).toBeNull();
    expect(
      ok(await gql<{ product: unknown }>(api.port, JANSEN, one, { slug: glove.slug })).product,
    ).toBeNull();
    const lookup = ok(
      await gql<{ lookupSkus: Array<{ variant: unknown }> }>(
        api.port,
        JANSEN,
        'query($s: [String!]!) { lookupSkus(skus: $s) { variant { sku } } }',
        { s: [glove.sku] },
      ),
    );
    expect(lookup.lookupSkus).toEqual([{ variant: null }]);
    const cats = ok(
      await gql<{ categories: Array<{ slug: string }> }>(
        api.port,
        JANSEN,
        '{ categories { slug } }',
      ),
    );
    expect(cats.categories.map((c) => c.slug)).not.toContain('onderzoekshandschoenen');

    const facetsOf = async (host: string) =>
      ok(await gql<ProductsData>(api.port, host, FACETS, {})).products.facets!.find(
        (f) => f.code === 't_material',
      )!;
    expect((await facetsOf(ZORG)).values).toContainEqual({ value: 'Latex', count: 1 });
    expect((await facetsOf(JANSEN)).values.map((v) => v.value)).not.toContain('Latex');
    const filtered = ok(
      await products(JANSEN, { attributes: [{ code: 't_material', values: ['Latex'] }] }),
    );
    expect(filtered.products.totalCount).toBe(0);
  });

  it('issues a bounded number of SQL statements per catalog page, independent of its size', async () => {
    const PAGE = `query($first: Int, $search: String, $facets: Boolean!) {
      products(first: $first, search: $search) { totalCount edges { node {
        slug name manufacturer media { url } category { slug name parent { slug } }
        variants { sku customerSku unit attributes { code value }
          price { unit { amount currency } source } tierPrices { minQuantity unit { amount } } listPrice { amount } }
      } } facets @include(if: $facets) { code values { value count } } } }`;
    const proto = Object.getPrototypeOf(ds.createQueryRunner()) as {
      query: (...a: unknown[]) => unknown;
    };
    const spy = jest.spyOn(proto, 'query');
    const statements = async (first: number, vars: Record<string, unknown>) => {
      const variables = { first, facets: false, ...vars };
      ok(await gql<ProductsData>(api.port, JANSEN, PAGE, variables)); // warm caches (tenant, prices)
      spy.mockClear();
      const data = ok(await gql<ProductsData>(api.port, JANSEN, PAGE, variables));
      expect(data.products.edges).toHaveLength(first);
      return spy.mock.calls.map((c) => String(c[0]).trim().split(/\s+/).slice(0, 4).join(' '));
    };
    try {
      const small = await statements(5, {});
      const large = await statements(50, {});
      if (process.env.SHOW_STATEMENTS) console.log(small.join('\n'));
      // One unit of work (START TRANSACTION, set_config, COMMIT) holds the page with its
      // count and its variants; categories and their parents are one statement per level.
      // Prices come from the warm price cache.
      expect(small.length).toBeGreaterThan(0);
      expect(small.length).toBeLessThanOrEqual(7);
      expect(large.length).toBe(small.length);
      // A searched page with facets: one more unit of work for the facets, nothing per row.
      const searched = { search: 'SKU-000', facets: true };
      const searchedSmall = await statements(5, searched);
      if (process.env.SHOW_STATEMENTS) console.log(searchedSmall.join('\n'));
      expect(searchedSmall.length).toBeLessThanOrEqual(11);
      expect((await statements(50, searched)).length).toBe(searchedSmall.length);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses 501 article numbers and an over-long search with a clear BAD_USER_INPUT', async () => {
    const many = await gql(
      api.port,
      JANSEN,
      'query($s: [String!]!) { lookupSkus(skus: $s) { sku } }',
      {
        s: Array.from({ length: 501 }, (_, i) => `SKU-${i}`),
      },
    );
    expect(many.status).toBe(400);
    expect(many.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(many.errors?.[0].message).toMatch(/at most 500/);
    const long = await products(JANSEN, { search: 'x'.repeat(10_000) });
    expect(long.status).toBe(400);
    expect(long.errors?.[0].message).toMatch(/200 characters/);
    const res = await httpRequest(api.port, { host: JANSEN, path: '/?q=%25_%5C%27' });
    expect(res.status).toBe(200);
  });
});
