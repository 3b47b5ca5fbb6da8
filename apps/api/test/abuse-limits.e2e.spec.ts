import { AdminTokenService, TenantAdminService } from '@vitrine/admin';
import { CatalogQueryService } from '@vitrine/catalog';
import { httpRequest, type HttpResponse, type TestDatabase } from '@vitrine/testing';
import { buyerHeaders, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const SHOP = 'vitrine-shop.localhost'; // public browsing: anonymous buyers see the catalog
const JANSEN = 'jansen-bouw.localhost'; // also shop.jansenbouw.example
const ZORG = 'zorggroep-noord.localhost';

type Body = { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

/**
 * Abuse limits (docs/security.md) on both GraphQL endpoints: every refusal comes before any
 * resolver runs — the storefront's `products` and the admin API's `tenants` are spied on (through their services), and a
 * request within the limits shows the spy does count.
 */
describe('abuse limits (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let adminToken: string;
  // The resolvers of `products` and `tenants` start with these (spying on a resolver method would
  // lose Nest's metadata on it).
  const products = jest.spyOn(CatalogQueryService.prototype, 'listProducts');
  const tenants = jest.spyOn(TenantAdminService.prototype, 'list');
  const resolverCalls = () => products.mock.calls.length + tenants.mock.calls.length;

  function post(
    app: RunningApp,
    host: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    return httpRequest(app.port, {
      host,
      method: 'POST',
      path: host === ADMIN ? '/admin/graphql' : '/graphql',
      headers: {
        'content-type': 'application/json',
        ...(host === ADMIN ? { authorization: `Bearer ${adminToken}` } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  const errorOf = (res: HttpResponse) => res.json<Body>().errors?.[0];

  /** Sends, then checks the refusal: status, code, and no resolver ran. */
  async function refused(
    res: Promise<HttpResponse>,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> {
    const before = resolverCalls();
    const answer = await res;
    expect({ status: answer.status, code: errorOf(answer)?.extensions?.code }).toEqual({
      status,
      code,
    });
    expect(resolverCalls()).toBe(before);
    return { message: errorOf(answer)!.message, ...errorOf(answer)!.extensions };
  }

  beforeAll(async () => {
    db = await seededDatabase(40);
    api = await startApp(
      db,
      testConfig({
        GRAPHQL_MAX_DEPTH: '5',
        GRAPHQL_MAX_COST: '400',
        GRAPHQL_MAX_ALIASES: '3',
        GRAPHQL_MAX_TOKENS: '300',
        GRAPHQL_INTROSPECTION: 'false',
        BODY_LIMIT_BYTES: '4096',
        HSTS_MAX_AGE_S: '3600',
      }),
    );
    adminToken = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
  });
  afterAll(async () => {
    await api?.app.close();
    await db?.close();
    jest.restoreAllMocks();
  });

  const PAGE = (first: number | string) =>
    `{ products(first: ${first}) { edges { node { slug name variants { sku } } } } }`;
  const TENANTS = (first: number) => `{ tenants(first: ${first}) { edges { node { slug } } } }`;

  it('runs a request within every limit (the spies count)', async () => {
    const before = resolverCalls();
    expect((await post(api, SHOP, { query: PAGE(5) })).status).toBe(200);
    expect((await post(api, ADMIN, { query: TENANTS(5) })).status).toBe(200);
    expect(resolverCalls()).toBe(before + 2);
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH on both endpoints', async () => {
    const deep = `{ products(first: 1) { edges { node { category { parent { parent { slug } } } } } } }`;
    expect(await refused(post(api, SHOP, { query: deep }), 400, 'QUERY_TOO_COMPLEX')).toMatchObject(
      { limit: 'depth', max: 5, actual: 7 },
    );
    const adminDeep = `{ tenants(first: 1) { edges { node { company { addresses { country } } } } } }`;
    const admin = await refused(post(api, ADMIN, { query: adminDeep }), 400, 'QUERY_TOO_COMPLEX');
    expect(admin).toMatchObject({ limit: 'depth', max: 5, actual: 6 });
  });

  it('refuses a query whose cost, with `first` multiplying its subtree, is over GRAPHQL_MAX_COST', async () => {
    const cost = await refused(post(api, SHOP, { query: PAGE(100) }), 400, 'QUERY_TOO_COMPLEX');
    expect(cost).toMatchObject({ limit: 'cost', max: 400 });
    expect(cost['actual']).toBeGreaterThan(400);
    expect(cost['message']).toMatch(/Lower `first`/);
    // A variable counts with its value; the same document with a small page runs.
    const query = `query($n: Int) ${PAGE('$n')}`;
    await refused(post(api, SHOP, { query, variables: { n: 100 } }), 400, 'QUERY_TOO_COMPLEX');
    expect((await post(api, SHOP, { query, variables: { n: 2 } })).status).toBe(200);
    await refused(post(api, ADMIN, { query: TENANTS(200) }), 400, 'QUERY_TOO_COMPLEX');
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES', async () => {
    const aliases = `{ a: products(first: 1) { totalCount } b: products(first: 1) { totalCount }
      c: products(first: 1) { totalCount } d: products(first: 1) { totalCount } }`;
    expect(
      await refused(post(api, SHOP, { query: aliases }), 400, 'QUERY_TOO_COMPLEX'),
    ).toMatchObject({ limit: 'aliases', max: 3, actual: 4 });
    const adminAliases = `{ a: tenants(first: 1) { totalCount } b: tenants(first: 1) { totalCount }
      c: tenants(first: 1) { totalCount } d: tenants(first: 1) { totalCount } }`;
    await refused(post(api, ADMIN, { query: adminAliases }), 400, 'QUERY_TOO_COMPLEX');
  });

  it('refuses a document of more than GRAPHQL_MAX_TOKENS tokens (the parser stops there)', async () => {
    const long = `{ products(first: 1) { edges { node { ${'slug '.repeat(400)} } } } }`;
    expect(await refused(post(api, SHOP, { query: long }), 400, 'QUERY_TOO_COMPLEX')).toMatchObject(
      {
        limit: 'tokens',
        max: 300,
      },
    );
    const adminLong = `{ tenants(first: 1) { edges { node { ${'slug '.repeat(400)} } } } }`;
    await refused(post(api, ADMIN, { query: adminLong }), 400, 'QUERY_TOO_COMPLEX');
  });

  it('refuses batched operations (a JSON array body)', async () => {
    const batch = [{ query: PAGE(1) }, { query: PAGE(1) }];
    await refused(post(api, SHOP, batch), 400, 'BATCHING_NOT_ALLOWED');
    await refused(post(api, ADMIN, [{ query: TENANTS(1) }]), 400, 'BATCHING_NOT_ALLOWED');
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = { query: PAGE(1), variables: { pad: 'x'.repeat(5000) } };
    const site = await refused(post(api, SHOP, big), 413, 'PAYLOAD_TOO_LARGE');
    expect(site['message']).toMatch(/4096 bytes/);
    await refused(post(api, ADMIN, big), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('has introspection and field suggestions off when GRAPHQL_INTROSPECTION is false (production default)', async () => {
    for (const host of [SHOP, ADMIN]) {
      const introspection = await post(api, host, { query: '{ __schema { types { name } } }' });
      expect(introspection.status).toBe(400);
      expect(errorOf(introspection)?.message).toMatch(/introspection is not allowed/);
    }
    const typo = await refused(
      post(api, SHOP, { query: '{ prodcts(first: 1) { totalCount } }' }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
    expect(typo['message']).toMatch(/Cannot query field "prodcts"/);
    expect(typo['message']).not.toMatch(/Did you mean/);
  });

  it("keeps Apollo's CSRF prevention: simple requests (GET without a preflight header, form posts) are refused", async () => {
    const before = resolverCalls();
    const get = await httpRequest(api.port, {
      host: SHOP,
      path: `/graphql?query=${encodeURIComponent(PAGE(1))}`,
    });
    expect(get.status).toBe(400);
    expect(get.body).toMatch(/CSRF/);
    const form = await httpRequest(api.port, {
      host: SHOP,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(PAGE(1))}`,
    });
    expect(form.status).toBe(400);
    expect(resolverCalls()).toBe(before);
    // With the header a browser can only send after a preflight, GET runs.
    const preflighted = await httpRequest(api.port, {
      host: SHOP,
      path: `/graphql?query=${encodeURIComponent(PAGE(1))}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it("allows CORS only from the tenant's own domains, and on the admin host only from itself", async () => {
    const preflight = (host: string, origin: string) =>
      httpRequest(api.port, {
        host,
        method: 'OPTIONS',
        path: '/graphql',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const own = await preflight(JANSEN, 'http://shop.jansenbouw.example');
    expect(own.status).toBe(204);
    expect(own.headers['access-control-allow-origin']).toBe('http://shop.jansenbouw.example');
    expect(own.headers['access-control-allow-credentials']).toBe('true');
    const foreign = await preflight(JANSEN, `http://${SHOP}`);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();

    // A request from a foreign page never reaches Apollo; the site's own domain does.
    const other = { origin: `http://${ZORG}` };
    const site = await refused(
      post(api, SHOP, { query: PAGE(1) }, other),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    expect(site['message']).toMatch(/only the site's own domains/);
    await refused(
      post(api, ADMIN, { query: TENANTS(1) }, { origin: `http://${SHOP}` }),
      403,
      'ORIGIN_NOT_ALLOWED',
    );
    const self = await post(api, ADMIN, { query: TENANTS(1) }, { origin: `http://${ADMIN}` });
    expect(self.status).toBe(200);
    expect(self.headers['access-control-allow-origin']).toBe(`http://${ADMIN}`);
  });

  it("sends security headers on every host without replacing the admin pages' policy", async () => {
    const page = await httpRequest(api.port, { host: SHOP, path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'same-origin',
      'strict-transport-security': 'max-age=3600',
    });
    // Microsite pages: their own policy, a fresh nonce per response on their inline style.
    const policy = String(page.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]{22})'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(policy).toContain(`style-src 'nonce-${nonce}'`);
    expect(policy).not.toContain('unsafe-inline');
    expect(page.body).toContain(`<style nonce="${nonce}">`);
    const again = await httpRequest(api.port, { host: SHOP, path: '/' });
    expect(again.headers['content-security-policy']).not.toBe(policy);
    // The API keeps the API-wide policy.
    const graphql = await httpRequest(api.port, {
      host: SHOP,
      path: '/graphql?query=%7B__typename%7D',
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(graphql.headers['content-security-policy']).toBe(
      "base-uri 'self';object-src 'none';frame-ancestors 'self'",
    );
    const login = await httpRequest(api.port, { host: ADMIN, path: '/admin/login' });
    expect(login.status).toBe(200);
    expect(login.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(login.headers['x-frame-options']).toBe('DENY');
    const notFound = await httpRequest(api.port, { host: 'nobody.localhost', path: '/graphql' });
    expect(notFound.status).toBe(404);
    expect(notFound.headers['x-content-type-options']).toBe('nosniff');
  });

  describe('rate limits', () => {
    let limited: RunningApp;
    beforeAll(async () => {
      limited = await startApp(
        db,
        testConfig({
          // Clients are told apart by X-Forwarded-For from this (trusted) proxy address.
          TRUSTED_PROXIES: '127.0.0.1',
          RATE_LIMIT_TENANT: '6',
          RATE_LIMIT_IP: '4',
          RATE_LIMIT_ACCOUNT: '3',
        }),
      );
    });
    afterAll(async () => {
      await limited?.app.close();
    });
    let client = 0;
    /** A request from its own client address unless one is given. */
    const from = (ip = `198.51.100.${++client}`) => ({ 'x-forwarded-for': ip });

    async function exhaust(send: () => Promise<HttpResponse>, allowed: number) {
      for (let i = 0; i < allowed; i++) expect((await send()).status).toBe(200);
      const before = resolverCalls();
      const res = await send();
      expect({ status: res.status, code: errorOf(res)?.extensions?.code }).toEqual({
        status: 429,
        code: 'RATE_LIMITED',
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(resolverCalls()).toBe(before);
      return { message: errorOf(res)!.message, ...errorOf(res)!.extensions };
    }

    it('per client address (behind a trusted proxy): another address goes on', async () => {
      const ip = '203.0.113.7';
      const send = () => post(limited, SHOP, { query: PAGE(1) }, from(ip));
      expect(await exhaust(send, 4)).toMatchObject({ scope: 'ip' });
      expect((await post(limited, SHOP, { query: PAGE(1) }, from())).status).toBe(200);
    });

    it('per account: a buyer, then an admin', async () => {
      const buyer = await buyerHeaders(limited, 'jansen-bouw');
      const send = () => post(limited, JANSEN, { query: PAGE(1) }, { ...buyer, ...from() });
      expect(await exhaust(send, 3)).toMatchObject({ scope: 'account' });
      const admin = () => post(limited, ADMIN, { query: TENANTS(1) }, from());
      expect(await exhaust(admin, 3)).toMatchObject({ scope: 'account' });
    });

    it('per tenant: another tenant goes on', async () => {
      // 1 request above went to SHOP from a fresh address, 4 from 203.0.113.7 (the 5th refused
      // by its address, but counted for the tenant): 6 in all reached the tenant's limit.
      const send = () => post(limited, SHOP, { query: PAGE(1) }, from());
      const res = await exhaust(send, 0);
      expect(res).toMatchObject({ scope: 'tenant' });
      expect(res['message']).toMatch(/to this site/);
      const buyer = await buyerHeaders(limited, 'zorggroep-noord');
      expect((await post(limited, ZORG, { query: PAGE(1) }, { ...buyer, ...from() })).status).toBe(
        200,
      );
    });
  });
});
