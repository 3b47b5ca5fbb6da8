import { TenantSyncService } from '@vitrine/admin';
import { httpRequest, type TestDatabase } from '@vitrine/testing';
import { DEFAULT_THEME } from '@vitrine/admin';
import {
  buyerGql,
  buyerHeaders,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';

interface ProductsData {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{
      cursor: string;
      node: {
        slug: string;
        name: string;
        variants: Array<{
          sku: string;
          price: { unit: { amount: string; currency: string }; source: string } | null;
        }>;
      };
    }>;
  };
}

const PRODUCTS = `query($first: Int, $after: String, $search: String, $categorySlug: String) {
  products(first: $first, after: $after, search: $search, categorySlug: $categorySlug) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { slug name variants { sku price(quantity: 1) { unit { amount currency } source } } } }
  }
}`;

/** Key-account sites are login-only: requests go as a buyer of the host's tenant unless headers say otherwise. */
const gql = buyerGql(() => api);
let api: RunningApp;
describe('storefront API (end to end)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await seededDatabase();
    api = await startApp(db, testConfig());
    // A suspended tenant next to the demo ones.
    await api.app.get(TenantSyncService).sync([
      {
        file: '(test)',
        dir: '',
        themeDir: null,
        theme: DEFAULT_THEME,
        spec: {
          slug: 'paused-account',
          name: 'Paused Account',
          status: 'suspended',
          domains: ['paused.localhost'],
          locales: ['nl'],
          currency: 'EUR',
          publicBrowsing: false,
          showListPrices: true,
          theme: './theme',
          assortment: { includeCategories: ['pbm'], includeSkus: [], excludeSkus: [] },
          priceLists: [],
          shipping: [],
          features: {},
        },
      },
    ]);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('answers the tenant of the host', async () => {
    const res = await gql<{
      tenant: {
        slug: string;
        name: string;
        locale: string;
        locales: string[];
        currency: string;
        theme: { primaryColor: string; logoUrl: string | null };
        publicBrowsing: boolean;
      };
    }>(
      api.port,
      JANSEN,
      '{ tenant { slug name locale locales currency theme { primaryColor logoUrl } publicBrowsing } }',
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.tenant).toMatchObject({
      slug: 'jansen-bouw',
      locale: 'nl',
      locales: ['nl', 'en'],
      currency: 'EUR',
      publicBrowsing: false,
    });
    expect(res.data?.tenant.theme.primaryColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it("negotiates the locale from Accept-Language within the tenant's locales", async () => {
    const res = await gql<{ tenant: { locale: string } }>(
      api.port,
      JANSEN,
      '{ tenant { locale } }',
      undefined,
      { 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(res.data?.tenant.locale).toBe('en');
  });

  it('refuses an unknown host with 404 TENANT_NOT_FOUND and never falls back to a default tenant', async () => {
    const res = await gql(api.port, 'nobody.localhost', '{ tenant { slug } }');
    expect(res.status).toBe(404);
    expect(res.errors?.[0].extensions?.code).toBe('TENANT_NOT_FOUND');
    const bare = await gql(api.port, 'localhost', '{ tenant { slug } }');
    expect(bare.status).toBe(404);
  });

  it('refuses a suspended tenant with 403 TENANT_SUSPENDED', async () => {
    const res = await gql(api.port, 'paused.localhost', '{ tenant { slug } }');
    expect(res.status).toBe(403);
    expect(res.errors?.[0].extensions?.code).toBe('TENANT_SUSPENDED');
  });

  it('normalizes the host: case, port and trailing dot', async () => {
    const res = await gql<{ tenant: { slug: string } }>(
      api.port,
      'JANSEN-BOUW.localhost:3000.',
      '{ tenant { slug } }',
    );
    expect(res.status).toBe(200);
    expect(res.data?.tenant.slug).toBe('jansen-bouw');
  });

  it('ignores X-Forwarded-Host from a peer that is not a trusted proxy', async () => {
    const spoofed = await gql(api.port, 'nobody.localhost', '{ tenant { slug } }', undefined, {
      'x-forwarded-host': JANSEN,
    });
    expect(spoofed.status).toBe(404);
    const other = await gql<{ tenant: { slug: string } }>(
      api.port,
      JANSEN,
      '{ tenant { slug } }',
      undefined,
      { 'x-forwarded-host': ZORG },
    );
    expect(other.data?.tenant.slug).toBe('jansen-bouw');
  });

  it('pages through the assortment with stable cursors and a total count', async () => {
    const first = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, { first: 5 });
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.products;
    expect(page1.edges).toHaveLength(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.totalCount).toBeGreaterThan(5);
    const second = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, {
      first: 5,
      after: page1.pageInfo.endCursor,
    });
    const page2 = second.data!.products;
    expect(page2.edges).toHaveLength(5);
    const slugs1 = page1.edges.map((e) => e.node.slug);
    const slugs2 = page2.edges.map((e) => e.node.slug);
    expect(slugs1.filter((s) => slugs2.includes(s))).toEqual([]);
    expect([...slugs1, ...slugs2]).toEqual([...slugs1, ...slugs2].sort());
    expect(page2.totalCount).toBe(page1.totalCount);
  });

  it('walks the whole assortment, browsing and searching, with every product exactly once', async () => {
    const walk = async (vars: Record<string, unknown>) => {
      const slugs: string[] = [];
      let after: string | null = null;
      let total = -1;
      for (let guard = 0; guard < 200; guard++) {
        const res: { data?: ProductsData; errors?: unknown } = await gql<ProductsData>(
          api.port,
          JANSEN,
          PRODUCTS,
          {
            ...vars,
            first: 100,
            after,
          },
        );
        expect(res.errors).toBeUndefined();
        const page = res.data!.products;
        total = page.totalCount;
        slugs.push(...page.edges.map((e) => e.node.slug));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return { slugs, total };
    };
    const browse = await walk({});
    expect(browse.slugs).toHaveLength(browse.total);
    expect(new Set(browse.slugs).size).toBe(browse.total);
    expect(browse.slugs).toEqual([...browse.slugs].sort());

    const search = await walk({ search: 'SKU-0001' });
    expect(search.total).toBeGreaterThan(0);
    expect(search.slugs).toHaveLength(search.total);
    expect(new Set(search.slugs).size).toBe(search.total);
  });

  it('shows two tenants different assortments and different prices for the same SKU', async () => {
    // pbm (protective equipment) is in both assortments; jansen prices it with bouw-staffel, zorggroep with its contract.
    const asJansen = await buyerHeaders(api, 'jansen-bouw');
    const asZorg = await buyerHeaders(api, 'zorggroep-noord');
    const jansen = await gql<ProductsData>(
      api.port,
      JANSEN,
      PRODUCTS,
      { first: 3, categorySlug: 'pbm' },
      asJansen,
    );
    const sku = jansen.data!.products.edges[0].node.variants[0].sku;
    const query = `query($sku: String!) { product(sku: $sku) { slug variants { sku price { unit { amount currency } source } } } }`;
    type One = {
      product: {
        variants: Array<{ sku: string; price: { unit: { amount: string }; source: string } }>;
      } | null;
    };
    const a = await gql<One>(api.port, JANSEN, query, { sku }, asJansen);
    const b = await gql<One>(api.port, ZORG, query, { sku }, asZorg);
    const priceA = a.data!.product!.variants.find((v) => v.sku === sku)!.price;
    const priceB = b.data!.product!.variants.find((v) => v.sku === sku)!.price;
    expect(['CONTRACT', 'PRICE_LIST']).toContain(priceA.source);
    expect(['CONTRACT', 'PRICE_LIST']).toContain(priceB.source);
    expect(priceA.unit.amount).not.toBe(priceB.unit.amount);

    const jansenTotal = (await gql<ProductsData>(api.port, JANSEN, PRODUCTS, { first: 0 })).data!
      .products.totalCount;
    const zorgTotal = (await gql<ProductsData>(api.port, ZORG, PRODUCTS, { first: 0 })).data!
      .products.totalCount;
    expect(jansenTotal).not.toBe(zorgTotal);
  });

  it('keeps a product outside the assortment invisible on every read path', async () => {
    // Medical consumables are in zorggroep's assortment, not in jansen's.
    const zorg = await gql<ProductsData>(api.port, ZORG, PRODUCTS, {
      first: 1,
      categorySlug: 'medisch-verbruik',
    });
    const node = zorg.data!.products.edges[0].node;
    const sku = node.variants[0].sku;
    const bySku = await gql<{ product: unknown }>(
      api.port,
      JANSEN,
      'query($sku: String!) { product(sku: $sku) { slug } }',
      { sku },
    );
    expect(bySku.errors).toBeUndefined();
    expect(bySku.data?.product).toBeNull();
    const bySlug = await gql<{ product: unknown }>(
      api.port,
      JANSEN,
      'query($slug: String!) { product(slug: $slug) { slug } }',
      { slug: node.slug },
    );
    expect(bySlug.data?.product).toBeNull();
    const lookup = await gql<{ lookupSkus: Array<{ sku: string; variant: unknown }> }>(
      api.port,
      JANSEN,
      'query($s: [String!]!) { lookupSkus(skus: $s) { sku variant { sku } } }',
      { s: [sku] },
    );
    expect(lookup.data?.lookupSkus).toEqual([{ sku, variant: null }]);
    const search = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, { first: 5, search: sku });
    expect(search.data?.products.totalCount).toBe(0);
    const cats = await gql<{ categories: Array<{ slug: string }> }>(
      api.port,
      JANSEN,
      '{ categories { slug } }',
    );
    expect(cats.data?.categories.map((c) => c.slug)).not.toContain('medisch-verbruik');
    expect(cats.data?.categories.map((c) => c.slug)).toContain('pbm');
  });

  it('finds an article by exact SKU before anything that merely contains it', async () => {
    const page = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, {
      first: 1,
      categorySlug: 'gereedschap',
    });
    const sku = page.data!.products.edges[0].node.variants[0].sku;
    const found = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, {
      first: 3,
      search: sku.toLowerCase(),
    });
    expect(found.data!.products.edges[0].node.variants.map((v) => v.sku)).toContain(sku);
  });

  it('searches names in full text and says how each quick-order number matched', async () => {
    const byName = await gql<ProductsData>(api.port, JANSEN, PRODUCTS, {
      first: 5,
      search: 'handschoenen',
    });
    expect(byName.errors).toBeUndefined();
    expect(byName.data!.products.totalCount).toBeGreaterThan(0);
    const sku = byName.data!.products.edges[0].node.variants[0].sku;
    const lookup = await gql<{ lookupSkus: Array<{ sku: string; matchedBy: string | null }> }>(
      api.port,
      JANSEN,
      'query($s: [String!]!) { lookupSkus(skus: $s) { sku matchedBy } }',
      { s: [sku.toLowerCase(), 'NO-SUCH-SKU'] },
    );
    expect(lookup.data?.lookupSkus).toEqual([
      { sku: sku.toLowerCase(), matchedBy: 'SKU' },
      { sku: 'NO-SUCH-SKU', matchedBy: null },
    ]);
  });

  describe('bad input gets a 4xx with a clear code, never a 500 or a stack trace', () => {
    const cases: Array<[string, () => Promise<{ status: number; body: string }>, number, string]> =
      [
        [
          'first over 100',
          () => raw({ query: PRODUCTS, variables: { first: 101 } }),
          400,
          'BAD_USER_INPUT',
        ],
        [
          'negative first',
          () => raw({ query: PRODUCTS, variables: { first: -1 } }),
          400,
          'BAD_USER_INPUT',
        ],
        [
          'an over-long search',
          () => raw({ query: PRODUCTS, variables: { first: 5, search: 'x'.repeat(10_000) } }),
          400,
          'BAD_USER_INPUT',
        ],
        [
          'a broken cursor',
          () => raw({ query: PRODUCTS, variables: { first: 5, after: 'garbage' } }),
          400,
          'BAD_USER_INPUT',
        ],
        [
          'malformed GraphQL',
          () => raw({ query: '{ products(first: 5 { edges }' }),
          400,
          'GRAPHQL_PARSE_FAILED',
        ],
        [
          'an unknown field',
          () => raw({ query: '{ products { nope } }' }),
          400,
          'GRAPHQL_VALIDATION_FAILED',
        ],
        [
          'product with neither slug nor sku',
          () => raw({ query: '{ product { slug } }' }),
          400,
          'BAD_USER_INPUT',
        ],
        [
          'a non-UTF-8 body',
          () =>
            rawBytes(
              Buffer.concat([
                Buffer.from('{"query":"{ tenant { slug } }","x":"'),
                Buffer.from([0xff, 0xfe]),
                Buffer.from('"}'),
              ]),
            ),
          400,
          'BAD_USER_INPUT',
        ],
        ['invalid JSON', () => rawBytes(Buffer.from('{"query": ')), 400, 'BAD_USER_INPUT'],
        [
          '501 SKUs in lookupSkus',
          () =>
            raw({
              query: 'query($s: [String!]!) { lookupSkus(skus: $s) { sku } }',
              variables: { s: Array.from({ length: 501 }, (_, i) => `SKU-${i}`) },
            }),
          400,
          'BAD_USER_INPUT',
        ],
      ];

    cases.push(
      [
        'a 2 MB body',
        () =>
          rawBytes(
            Buffer.from(JSON.stringify({ query: `{ tenant { slug } } #${'x'.repeat(2_000_000)}` })),
          ),
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'a body that is not JSON',
        () =>
          httpRequest(api.port, {
            host: JANSEN,
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'text/csv' },
            body: 'a;b',
          }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'an unknown path',
        () => httpRequest(api.port, { host: JANSEN, path: '/wp-admin' }),
        404,
        'NOT_FOUND',
      ],
    );

    it.each(cases)('%s', async (_name, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      const body = JSON.parse(res.body) as {
        errors: Array<{ message: string; extensions: { code: string } }>;
      };
      expect(body.errors[0].extensions.code).toBe(code);
      expect(body.errors[0].message.length).toBeGreaterThan(5);
      expect(res.body).not.toMatch(/stacktrace|at .*\.(ts|js):\d+/);
    });

    function raw(payload: unknown) {
      return rawBytes(Buffer.from(JSON.stringify(payload)));
    }
    async function rawBytes(body: Buffer) {
      return httpRequest(api.port, {
        host: JANSEN,
        method: 'POST',
        path: '/graphql',
        headers: {
          'content-type': 'application/json',
          ...(await buyerHeaders(api, 'jansen-bouw')),
        },
        body,
      });
    }
  });

  it("serves the tenant's own theme assets and nothing outside them", async () => {
    const tenant = await gql<{ tenant: { theme: { logoUrl: string | null } } }>(
      api.port,
      JANSEN,
      '{ tenant { theme { logoUrl } } }',
    );
    const logo = tenant.data!.tenant.theme.logoUrl;
    expect(logo).toMatch(/^\/theme\/assets\//);
    const ok = await httpRequest(api.port, { host: JANSEN, path: logo! });
    expect(ok.status).toBe(200);
    const escape = await httpRequest(api.port, {
      host: JANSEN,
      path: '/theme/assets/../../../package.json',
    });
    expect(escape.status).toBe(404);
  });
});
