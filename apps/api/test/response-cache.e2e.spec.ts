import { createHash } from 'node:crypto';
import { MemoryBus } from '@vitrine/cache';
import { CatalogQueryService } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { PriceChangeService } from '@vitrine/pricing';
import { gql, httpRequest, type TestDatabase } from '@vitrine/testing';
import { buyerHeaders, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const SHOP = 'vitrine-shop.localhost';

/** A catalog page as a listing asks for it: prices, list prices, customer SKUs, stock. */
const PAGE = `query Page($first: Int) { products(first: $first) { totalCount edges { node { slug name variants {
  sku customerSku inStock price { unit { amount currency } source taxRate } listPrice { amount } } } } } }`;
const CART = `{ cart { id } }`;

type Headers = Record<string, string>;

/**
 * The whole-response cache in front of Apollo (docs/caching.md): answers never cross tenants,
 * companies, users with other price visibility or anonymous visitors; a price change made
 * through one instance is served by the other at once; mutations and user data are never
 * cached; Cache-Control and Vary; persisted queries over GET.
 */
describe('response cache (end to end)', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  /** The same code with the response cache off: the reference answers. */
  let ref: RunningApp;
  let viewers: Array<{ name: string; host: string; headers: Headers }>;

  const post = async (
    app: RunningApp,
    host: string,
    query: string,
    headers: Headers = {},
    variables: Record<string, unknown> = { first: 5 },
  ) => {
    const res = await httpRequest(app.port, {
      host,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return res;
  };

  beforeAll(async () => {
    db = await seededDatabase(300);
    const bus = new MemoryBus();
    a = await startApp(db, testConfig({ RESPONSE_CACHE_SHARED: 'on' }), bus);
    b = await startApp(db, testConfig({ RESPONSE_CACHE_SHARED: 'on' }), bus);
    ref = await startApp(db, testConfig({ RESPONSE_CACHE: 'off' }), bus);
    await a.app.get(TenantDb).maintenance((em) =>
      em.query(
        `INSERT INTO company (tenant_id, code, name, country)
         SELECT id, 'JB-NOORD', 'Jansen Bouw Noord', 'NL' FROM tenant WHERE slug = 'jansen-bouw'`,
      ),
    );
    viewers = [
      { name: 'jansen buyer', host: JANSEN, headers: await buyerHeaders(a, 'jansen-bouw') },
      {
        name: 'jansen noord buyer',
        host: JANSEN,
        headers: await buyerHeaders(a, 'jansen-bouw', { companyCode: 'JB-NOORD' }),
      },
      {
        name: 'jansen buyer without prices',
        host: JANSEN,
        headers: await buyerHeaders(a, 'jansen-bouw', { canSeePrices: false, userId: 'np' }),
      },
      { name: 'zorggroep buyer', host: ZORG, headers: await buyerHeaders(a, 'zorggroep-noord') },
      { name: 'shop anonymous', host: SHOP, headers: {} },
      {
        name: 'shop buyer without prices',
        host: SHOP,
        headers: await buyerHeaders(a, 'vitrine-shop', { canSeePrices: false }),
      },
      { name: 'shop anonymous, English', host: SHOP, headers: { 'accept-language': 'en' } },
    ];
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await ref?.app.close();
    await db?.close();
  });

  it("never serves one tenant's, company's or viewer's answer to another", async () => {
    const expected = new Map<string, string>();
    for (const v of viewers) {
      const res = await post(ref, v.host, PAGE, v.headers);
      expect(res.status).toBe(200);
      expected.set(v.name, res.body);
    }
    // The answers really differ, or the test proves nothing.
    const distinct = (x: string, y: string) => expect(expected.get(x)).not.toBe(expected.get(y));
    distinct('jansen buyer', 'jansen noord buyer');
    distinct('jansen buyer', 'jansen buyer without prices');
    distinct('jansen buyer', 'zorggroep buyer');
    distinct('shop anonymous', 'shop buyer without prices');
    distinct('shop anonymous', 'shop anonymous, English');
    // Interleaved, three rounds: misses first, hits after; always the viewer's own answer.
    for (let round = 0; round < 3; round++) {
      for (const v of round === 1 ? [...viewers].reverse() : viewers) {
        const res = await post(a, v.host, PAGE, v.headers);
        expect({ viewer: v.name, body: res.body }).toEqual({
          viewer: v.name,
          body: expected.get(v.name),
        });
        expect(res.headers['x-vitrine-cache']).toBe(round === 0 ? 'MISS' : 'HIT');
      }
    }
  });

  it('computes a missing answer once when identical requests arrive together (coalescing)', async () => {
    const jansen = viewers[0];
    const listProducts = jest.spyOn(CatalogQueryService.prototype, 'listProducts');
    try {
      // A page size no other test asks for: a miss on both instances.
      const variables = { first: 7 };
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => post(a, jansen.host, PAGE, jansen.headers, variables)),
      );
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
      expect(new Set(answers.map((r) => r.body)).size).toBe(1);
      const outcomes = answers.map((r) => r.headers['x-vitrine-cache']).sort();
      expect(outcomes).toEqual([...Array.from({ length: 11 }, () => 'HIT'), 'MISS']);
      expect(listProducts).toHaveBeenCalledTimes(1);
      // Answers with errors are never stored: the waiting requests compute their own.
      listProducts.mockClear();
      const bad = await Promise.all(
        Array.from({ length: 3 }, () =>
          post(a, jansen.host, PAGE, jansen.headers, { first: -1 }),
        ),
      );
      for (const r of bad)
        expect(JSON.parse(r.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(bad.map((r) => r.headers['x-vitrine-cache'])).toEqual(['MISS', 'MISS', 'MISS']);
    } finally {
      listProducts.mockRestore();
    }
  });

  it('serves a price change made through one instance on the other at once', async () => {
    const jansen = viewers[0];
    const first = await post(b, jansen.host, PAGE, jansen.headers);
    expect((await post(b, jansen.host, PAGE, jansen.headers)).headers['x-vitrine-cache']).toBe(
      'HIT',
    );
    const before = JSON.parse(first.body) as {
      data: {
        products: {
          edges: Array<{
            node: { variants: Array<{ sku: string; price: { unit: { amount: string } } }> };
          }>;
        };
      };
    };
    const variant = before.data.products.edges[0].node.variants[0];
    const db = a.app.get(TenantDb);
    const changes = a.app.get(PriceChangeService);
    const changed = await db.maintenance(async (em) => {
      const [t] = (await em.query(`SELECT id FROM tenant WHERE slug = 'jansen-bouw'`)) as Array<{
        id: string;
      }>;
      await em.query(
        `DELETE FROM contract_price WHERE tenant_id = $1 AND variant_id = (SELECT id FROM variant WHERE sku = $2)`,
        [t.id, variant.sku],
      );
      await em.query(
        `INSERT INTO contract_price (tenant_id, company_id, variant_id, currency, min_quantity, amount_minor)
         SELECT $1, c.id, v.id, 'EUR', 1, 12345 FROM company c, variant v
          WHERE c.tenant_id = $1 AND c.code = 'jansen-bouw' AND v.sku = $2`,
        [t.id, variant.sku],
      );
      return changes.record(em, { tenantIds: [t.id] });
    });
    await changes.publish(changed);
    const start = Date.now();
    let body = '';
    while (Date.now() - start < 1000) {
      body = (await post(b, jansen.host, PAGE, jansen.headers)).body;
      if (body.includes('"amount":"123.45"')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(body).toContain('"amount":"123.45"');
    expect(body).toBe((await post(ref, jansen.host, PAGE, jansen.headers)).body);
  });

  it('never caches mutations or user data, and says so (no-store)', async () => {
    const headers = viewers[0].headers;
    for (let i = 0; i < 2; i++) {
      const cart = await post(a, JANSEN, CART, headers, {});
      expect(cart.headers['x-vitrine-cache']).toBe('BYPASS');
      expect(cart.headers['cache-control']).toBe('no-store');
      const mutation = await post(
        a,
        SHOP,
        `mutation { requestPasswordReset(email: "nobody@example.com") }`,
        {},
        {},
      );
      expect(mutation.status).toBe(200);
      expect(mutation.headers['x-vitrine-cache']).toBe('BYPASS');
      expect(mutation.headers['cache-control']).toBe('no-store');
    }
    // An answer with errors is not kept: anonymous on a login-only site.
    for (let i = 0; i < 2; i++) {
      const refused = await post(a, JANSEN, PAGE);
      expect(refused.status).toBe(401);
      expect(refused.headers['x-vitrine-cache']).toBe('MISS');
      expect(refused.headers['cache-control']).toBe('no-store');
    }
  });

  it('marks company prices private and anonymous public answers public, varying on what the key reads', async () => {
    const buyer = await post(a, JANSEN, PAGE, viewers[0].headers);
    expect(buyer.headers['cache-control']).toBe('private, no-cache');
    const anonymous = await post(a, SHOP, PAGE);
    expect(anonymous.headers['cache-control']).toBe('public, max-age=60');
    for (const res of [buyer, anonymous])
      expect(String(res.headers['vary']).toLowerCase().split(/, */)).toEqual(
        expect.arrayContaining(['accept', 'accept-language', 'authorization']),
      );
  });

  describe('automatic persisted queries over GET', () => {
    const query = `{ products(first: 2) { edges { node { slug variants { sku price { unit { amount } } } } } } }`;
    const hash = createHash('sha256').update(query).digest('hex');
    const ext = (h: string) =>
      encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: h } }));
    const get = (
      app: RunningApp,
      h: string,
      headers: Headers = { 'apollo-require-preflight': 'true' },
    ) =>
      httpRequest(app.port, {
        host: SHOP,
        method: 'GET',
        path: `/graphql?extensions=${ext(h)}`,
        headers,
      });

    it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash', async () => {
      const res = await get(a, createHash('sha256').update('{ tenant { name } }#').digest('hex'));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('serves a registered query by its hash, from the cache the second time', async () => {
      const registered = await gql(a.port, SHOP, query, undefined, {});
      expect(registered.errors).toBeUndefined();
      const reg = await httpRequest(a.port, {
        host: SHOP,
        method: 'POST',
        path: '/graphql',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query,
          extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
        }),
      });
      expect(reg.status).toBe(200);
      const first = await get(a, hash);
      expect(first.status).toBe(200);
      expect(first.body).toBe(JSON.stringify({ data: registered.data }) + '\n');
      expect(first.headers['cache-control']).toBe('public, max-age=60');
      const second = await get(a, hash);
      expect(second.headers['x-vitrine-cache']).toBe('HIT');
      expect(second.body).toBe(first.body);
      if (process.env.REDIS_URL) {
        // The query and the answer are shared through Redis: B knows the hash it never saw.
        const other = await get(b, hash);
        expect(other.status).toBe(200);
        expect(other.body).toBe(first.body);
      }
    });

    it('refuses a GET without a preflight header (CSRF prevention), even when the answer is cached', async () => {
      const res = await get(a, hash, {});
      expect(res.status).toBe(400);
      expect(res.headers['x-vitrine-cache']).not.toBe('HIT');
    });
  });
});
