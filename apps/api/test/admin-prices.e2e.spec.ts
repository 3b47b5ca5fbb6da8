import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { MemoryBus } from '@vitrine/cache';
import { TenantDirectory } from '@vitrine/tenancy';
import { gql, httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import {
  buyerHeaders,
  maintenanceSql,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';
const PASSWORD = 'correct horse battery staple';

type Row = Record<string, unknown>;
const LIST_FIELDS = 'code name currency validFrom validUntil tenants entryCount';
const PRICE_FIELDS = 'sku minQuantity price currency validFrom validUntil';
const LISTS = `query($c: String, $f: Int, $a: String) { priceLists(currency: $c, first: $f, after: $a) {
  edges { cursor node { ${LIST_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const LIST = `query($c: String!) { priceList(code: $c) { ${LIST_FIELDS} } }`;
const ENTRIES = `query($c: String!, $s: String, $f: Int, $a: String) { priceListEntries(code: $c, sku: $s, first: $f, after: $a) {
  edges { cursor node { ${PRICE_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const CONTRACTS = `query($t: String!, $c: String!, $s: String) { contractPrices(tenant: $t, company: $c, sku: $s) {
  edges { node { ${PRICE_FIELDS} } } pageInfo { hasNextPage } } }`;
const CREATE = `mutation($i: CreatePriceListInput!) { createPriceList(input: $i) { ${LIST_FIELDS} } }`;
const UPDATE = `mutation($c: String!, $i: UpdatePriceListInput!) { updatePriceList(code: $c, input: $i) { ${LIST_FIELDS} } }`;
const SET = `mutation($c: String!, $p: [AdminPriceInput!]!) { setPriceListPrices(code: $c, prices: $p) { created updated unchanged } }`;
const REMOVE = `mutation($c: String!, $k: [AdminPriceKeyInput!]!) { removePriceListPrices(code: $c, keys: $k) }`;
const SET_CONTRACT = `mutation($t: String!, $c: String!, $p: [AdminPriceInput!]!) {
  setContractPrices(tenant: $t, company: $c, prices: $p) { created updated unchanged } }`;
const REMOVE_CONTRACT = `mutation($t: String!, $c: String!, $k: [AdminPriceKeyInput!]!) {
  removeContractPrices(tenant: $t, company: $c, keys: $k) }`;
const UPDATE_TENANT = `mutation($s: String!, $i: UpdateTenantInput!) { updateTenant(slug: $s, input: $i) { priceLists } }`;
const LOOKUP = `query($skus: [String!]!) { lookupSkus(skus: $skus) { variant {
  sku price { unit { amount currency } source } tier25: price(quantity: 25) { unit { amount } source } } } }`;

interface Problem {
  path: string;
  message: string;
}
type Price = { unit: { amount: string; currency: string }; source: string } | null;

/**
 * Price lists and contract prices through the admin API: create and change lists, set and
 * remove prices with the price import's rules, the storefront (a second instance too) showing
 * the new price on the next request, validity, contract prices winning for their company; every
 * bad input refused with nothing applied and a REFUSED audit row; the PRICES policy; tenant
 * isolation of contract prices.
 */
describe('price lists and contract prices (admin API, end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let other: RunningApp;
  let superToken: string;
  let catalogToken: string;
  let managerToken: string;
  let managerId: string;
  /** Articles of jansen-bouw's assortment without a contract price of its company. */
  let sku: string;
  let sku2: string;
  let sku3: string;
  let jansenBuyer: Record<string, string>;
  const running = () => api;
  const sql = maintenanceSql(running);

  async function admin<T = Row>(query: string, variables: Row, bearer = superToken) {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  }
  const code = (res: { errors?: GraphQLResult['errors'] }) => res.errors?.[0]?.extensions?.code;
  const problems = (res: { errors?: GraphQLResult['errors'] }) =>
    (res.errors?.[0]?.extensions?.problems ?? []) as Problem[];

  /** What a buyer of jansen-bouw pays for one piece of `s` (and 25), on instance `app`. */
  /**
   * Waits until `other` has received every tenant change `api` published so far: a change is
   * seen on another instance within one pub/sub round trip, not synchronously. A marker
   * published after them arrives after them (pub/sub keeps the order of one channel).
   */
  async function changesArrived(): Promise<void> {
    const directory = other.app.get(TenantDirectory);
    await new Promise<void>((resolve) => {
      const stop = directory.onChange(() => {
        stop();
        resolve();
      });
      void api.app.get(TenantDirectory).invalidate([]);
    });
  }

  async function buyerPrice(s: string, app = other): Promise<{ one: Price; tier25: Price }> {
    if (app === other) await changesArrived();
    const res = await gql<{ lookupSkus: Array<{ variant: { price: Price; tier25: Price } }> }>(
      app.port,
      JANSEN,
      LOOKUP,
      { skus: [s] },
      jansenBuyer,
    );
    expect(res.errors).toBeUndefined();
    const v = res.data!.lookupSkus[0].variant;
    return { one: v.price, tier25: v.tier25 };
  }

  const count = async (table: string) =>
    (await sql<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  /** Everything a price change could touch, and the APPLIED audit rows. */
  const snapshot = async () => ({
    price_list: await count('price_list'),
    entries: await sql<Row[]>(
      `SELECT price_list_id, variant_id, min_quantity, valid_from::text, valid_until::text, amount_minor::text
         FROM price_list_entry ORDER BY 1, 2, 3, 4`,
    ),
    contracts: await sql<Row[]>(
      `SELECT tenant_id, company_id, variant_id, min_quantity, valid_from::text, valid_until::text, amount_minor::text
         FROM contract_price ORDER BY 1, 2, 3, 4, 5`,
    ),
    lists: await sql<Row[]>(
      `SELECT code, name, valid_from::text, valid_until::text FROM price_list ORDER BY code`,
    ),
    versions: await sql<Row[]>(`SELECT slug, version FROM tenant ORDER BY slug`),
    applied: (
      await sql<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'APPLIED'`,
      )
    )[0].n,
  });
  const audit = (action: string, target: string) =>
    sql<
      Array<{
        actor: string;
        tenant_id: string | null;
        before: Row | null;
        after: Row | null;
        outcome: string;
        reason: string | null;
      }>
    >(
      `SELECT actor, tenant_id, before, after, outcome, reason FROM audit_log WHERE action = $1 AND target = $2 ORDER BY id`,
      [action, target],
    );
  const lastAudit = async (action: string, target: string) => (await audit(action, target)).at(-1);

  /** Runs a refused call: the error code, nothing changed, and a new REFUSED row for the action. */
  async function refused(
    call: () => Promise<{ errors?: GraphQLResult['errors'] }>,
    expected: string,
    action: string,
    target: string,
  ) {
    const before = await snapshot();
    const rowsBefore = (await audit(action, target)).length;
    const res = await call();
    expect(code(res)).toBe(expected);
    expect(res.errors![0].message).toMatch(/./);
    expect(await snapshot()).toEqual(before);
    const rows = await audit(action, target);
    expect(rows).toHaveLength(rowsBefore + 1);
    expect(rows.at(-1)).toMatchObject({
      outcome: 'REFUSED',
      reason: expect.stringContaining(expected),
    });
    return res;
  }

  async function login(email: string): Promise<string> {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }`,
        variables: { e: email, p: PASSWORD },
      }),
    });
    return (res.json() as { data: { adminLogin: { token: string } } }).data.adminLogin.token;
  }

  beforeAll(async () => {
    db = await seededDatabase(200);
    const bus = new MemoryBus();
    api = await startApp(db, testConfig(), bus);
    other = await startApp(db, testConfig(), bus);
    superToken = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    const accounts = api.app.get(AdminAccountService);
    await accounts.create('test', {
      email: 'cm@seller.example',
      name: 'Catalog Manager',
      roles: ['CATALOG_MANAGER'],
      password: PASSWORD,
    });
    const { admin: manager } = await accounts.create('test', {
      email: 'am@seller.example',
      name: 'Account Manager',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['jansen-bouw'],
      password: PASSWORD,
    });
    managerId = manager.id;
    catalogToken = await login('cm@seller.example');
    managerToken = await login('am@seller.example');
    const skus = await sql<Array<{ sku: string }>>(
      `SELECT v.sku FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
        JOIN tenant t ON t.id = tv.tenant_id AND t.slug = 'jansen-bouw'
        WHERE NOT EXISTS (SELECT 1 FROM contract_price c WHERE c.tenant_id = t.id AND c.variant_id = v.id)
          AND EXISTS (SELECT 1 FROM list_price lp WHERE lp.variant_id = v.id AND lp.currency = 'EUR')
        ORDER BY v.sku LIMIT 3`,
    );
    [sku, sku2, sku3] = skus.map((r) => r.sku);
    jansenBuyer = await buyerHeaders(api, 'jansen-bouw');
  }, 120_000);

  afterAll(async () => {
    await other?.app.close();
    await api?.app.close();
    await db?.close();
  });

  it('creates a price list, audited; a second one with the code is CONFLICT', async () => {
    const created = await admin<{ createPriceList: Row }>(
      CREATE,
      { i: { code: 'api-promo', name: 'API promo', currency: 'eur', validUntil: '2099-12-31' } },
      catalogToken,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createPriceList).toEqual({
      code: 'api-promo',
      name: 'API promo',
      currency: 'EUR',
      validFrom: null,
      validUntil: '2099-12-31T23:00:00.000Z', // the next midnight in Europe/Amsterdam: 2099-12-31 is the last day
      tenants: [],
      entryCount: 0,
    });
    expect(await lastAudit('price-list.create', 'api-promo')).toMatchObject({
      outcome: 'APPLIED',
      tenant_id: null,
      before: null,
      after: { name: 'API promo', currency: 'EUR', validFrom: null },
    });
    const again = await refused(
      () => admin(CREATE, { i: { code: 'api-promo', name: 'Again', currency: 'EUR' } }),
      'CONFLICT',
      'price-list.create',
      'api-promo',
    );
    expect(again.errors![0].message).toContain('exists already');
  });

  it('refuses a bad list: code, name, currency, empty period — every problem, nothing applied', async () => {
    const res = await refused(
      () =>
        admin(CREATE, {
          i: {
            code: 'bad-list',
            name: ' ',
            currency: 'EURO',
            validFrom: '2027-01-01',
            validUntil: '2026-12-31',
          },
        }),
      'BAD_USER_INPUT',
      'price-list.create',
      'bad-list',
    );
    expect(
      problems(res)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['input.currency', 'input.name', 'input.validUntil']);
  });

  it('sets prices; a buyer of a tenant using the list sees them on the next request, on every instance', async () => {
    const assigned = await admin<{ updateTenant: { priceLists: string[] } }>(UPDATE_TENANT, {
      s: 'jansen-bouw',
      i: { priceLists: ['api-promo', 'jansen-contract-2026', 'bouw-staffel'] },
    });
    expect(assigned.errors).toBeUndefined();
    const before = await buyerPrice(sku);
    expect(before.one!.unit.amount).not.toBe('1.23');

    const set = await admin<{ setPriceListPrices: Row }>(
      SET,
      {
        c: 'api-promo',
        p: [
          { sku, price: '1.23' },
          { sku: sku.toLowerCase(), minQuantity: 10, price: '1.10', currency: 'EUR' },
          { sku: sku2, price: '5', validFrom: '2099-01-01' },
        ],
      },
      catalogToken,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setPriceListPrices).toEqual({ created: 3, updated: 0, unchanged: 0 });
    // Instance `other` cached the old price: the version bump and publish dropped it.
    const after = await buyerPrice(sku);
    expect(after.one).toEqual({ unit: { amount: '1.23', currency: 'EUR' }, source: 'PRICE_LIST' });
    expect(after.tier25).toEqual({ unit: { amount: '1.10' }, source: 'PRICE_LIST' });
    // Not valid before 2099.
    expect((await buyerPrice(sku2)).one!.unit.amount).not.toBe('5.00');

    const row = await lastAudit('price-list.prices.set', 'api-promo');
    expect(row).toMatchObject({
      outcome: 'APPLIED',
      actor: expect.any(String),
      before: { entries: 0 },
      after: { entries: 3, created: 3, updated: 0, unchanged: 0 },
    });
    expect((row!.after as { keys: string[] }).keys).toHaveLength(3);
    expect(JSON.stringify(row!.after).length).toBeLessThan(500);

    const list = await admin<{ priceList: Row }>(LIST, { c: 'api-promo' });
    expect(list.data!.priceList).toMatchObject({ tenants: ['jansen-bouw'], entryCount: 3 });
  });

  it('upserts by key: the same prices again are unchanged, a new amount updates', async () => {
    const same = await admin<{ setPriceListPrices: Row }>(SET, {
      c: 'api-promo',
      p: [{ sku, price: '1.23', minQuantity: 1 }],
    });
    expect(same.data!.setPriceListPrices).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const changed = await admin<{ setPriceListPrices: Row }>(SET, {
      c: 'api-promo',
      p: [
        { sku, price: '1.19' },
        { sku, minQuantity: 10, price: '1.10' },
      ],
    });
    expect(changed.data!.setPriceListPrices).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect((await buyerPrice(sku)).one!.unit.amount).toBe('1.19');
  });

  it('lists lists and entries, paged', async () => {
    const lists = await admin<{ priceLists: { edges: Array<{ node: Row }> } }>(LISTS, { c: 'EUR' });
    const codes = lists.data!.priceLists.edges.map((e) => e.node.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(
      expect.arrayContaining(['api-promo', 'bouw-staffel', 'jansen-contract-2026']),
    );
    const page1 = await admin<{
      priceListEntries: { edges: Array<{ cursor: string; node: Row }>; pageInfo: Row };
    }>(ENTRIES, { c: 'api-promo', f: 2 });
    expect(page1.data!.priceListEntries.edges.map((e) => e.node)).toEqual([
      { sku, minQuantity: 1, price: '1.19', currency: 'EUR', validFrom: null, validUntil: null },
      { sku, minQuantity: 10, price: '1.10', currency: 'EUR', validFrom: null, validUntil: null },
    ]);
    expect(page1.data!.priceListEntries.pageInfo.hasNextPage).toBe(true);
    const page2 = await admin<{ priceListEntries: { edges: Array<{ node: Row }>; pageInfo: Row } }>(
      ENTRIES,
      { c: 'api-promo', a: page1.data!.priceListEntries.pageInfo.endCursor },
    );
    expect(page2.data!.priceListEntries.edges.map((e) => e.node)).toEqual([
      {
        sku: sku2,
        minQuantity: 1,
        price: '5.00',
        currency: 'EUR',
        validFrom: '2098-12-31T23:00:00.000Z',
        validUntil: null,
      },
    ]);
    expect(page2.data!.priceListEntries.pageInfo.hasNextPage).toBe(false);
    const one = await admin<{ priceListEntries: { edges: unknown[] } }>(ENTRIES, {
      c: 'api-promo',
      s: sku2,
    });
    expect(one.data!.priceListEntries.edges).toHaveLength(1);
    expect(code(await admin(ENTRIES, { c: 'no-such-list' }))).toBe('NOT_FOUND');
    expect(code(await admin(ENTRIES, { c: 'api-promo', a: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(
      (await admin<{ priceList: null }>(LIST, { c: 'no-such-list' })).data!.priceList,
    ).toBeNull();
  });

  it("a list's validity reprices its tenants at once", async () => {
    const closed = await admin<{ updatePriceList: Row }>(UPDATE, {
      c: 'api-promo',
      i: { validFrom: '2098-01-01', name: 'API promo (later)' },
    });
    expect(closed.errors).toBeUndefined();
    expect(closed.data!.updatePriceList).toMatchObject({
      name: 'API promo (later)',
      validFrom: '2097-12-31T23:00:00.000Z',
      validUntil: '2099-12-31T23:00:00.000Z',
    });
    expect((await buyerPrice(sku)).one!.unit.amount).not.toBe('1.19');
    expect(await lastAudit('price-list.update', 'api-promo')).toMatchObject({
      outcome: 'APPLIED',
      before: { name: 'API promo', validFrom: null },
      after: { name: 'API promo (later)', validFrom: '2097-12-31T23:00:00.000Z' },
    });
    // A validUntil before the kept validFrom is an empty period.
    const empty = await refused(
      () => admin(UPDATE, { c: 'api-promo', i: { validUntil: '2050-01-01' } }),
      'BAD_USER_INPUT',
      'price-list.update',
      'api-promo',
    );
    expect(problems(empty)[0].path).toBe('input.validUntil');
    const open = await admin(UPDATE, { c: 'api-promo', i: { validFrom: null, validUntil: null } });
    expect(open.errors).toBeUndefined();
    expect((await buyerPrice(sku)).one!.unit.amount).toBe('1.19');
    await refused(
      () => admin(UPDATE, { c: 'no-such-list', i: { name: 'x' } }),
      'NOT_FOUND',
      'price-list.update',
      'no-such-list',
    );
  });

  it('refuses bad prices with every problem by path, nothing applied, REFUSED in the log', async () => {
    const res = await refused(
      () =>
        admin(SET, {
          c: 'api-promo',
          p: [
            { sku: sku3, price: '2.00' }, // fine on its own: not applied either
            { sku: 'NO-SUCH-SKU-1', price: '1.00' },
            { sku: sku3, price: '1.234' },
            { sku: sku3, minQuantity: 0, price: '1.00' },
            { sku: sku3, price: '1.00', currency: 'USD' },
            { sku: sku3, price: '1.00', validFrom: '2027-02-01', validUntil: '2027-01-01' },
            { sku: sku3, price: '-1' },
            { sku: sku3, price: '3.00' }, // the key of prices[0] again
          ],
        }),
      'BAD_USER_INPUT',
      'price-list.prices.set',
      'api-promo',
    );
    const paths = problems(res).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'prices[2].price',
        'prices[3].minQuantity',
        'prices[4].currency',
        'prices[5].validUntil',
        'prices[6].price',
        'prices[7]',
      ]),
    );
    expect(res.errors![0].message).toContain('Nothing was applied');
    // The unknown SKU is found by the writer once the rest is valid.
    const unknown = await refused(
      () =>
        admin(SET, {
          c: 'api-promo',
          p: [
            { sku: sku3, price: '2.00' },
            { sku: 'NO-SUCH-SKU-1', price: '1.00' },
          ],
        }),
      'BAD_USER_INPUT',
      'price-list.prices.set',
      'api-promo',
    );
    expect(problems(unknown)).toEqual([
      { path: 'prices[1].sku', message: 'unknown SKU "NO-SUCH-SKU-1"' },
    ]);
  });

  it('refuses overlapping periods as the import does', async () => {
    // sku has an open-ended price from the start of time: a later period overlaps it.
    const res = await refused(
      () => admin(SET, { c: 'api-promo', p: [{ sku, price: '1.00', validFrom: '2030-01-01' }] }),
      'BAD_USER_INPUT',
      'price-list.prices.set',
      'api-promo',
    );
    expect(problems(res)[0]).toMatchObject({
      path: 'prices[0].validFrom',
      message: expect.stringContaining('overlaps the stored period'),
    });
    const within = await refused(
      () =>
        admin(SET, {
          c: 'api-promo',
          p: [
            { sku: sku3, price: '1.00', validFrom: '2030-01-01', validUntil: '2030-12-31' },
            { sku: sku3, price: '1.00', validFrom: '2030-06-01', validUntil: '2031-06-30' },
          ],
        }),
      'BAD_USER_INPUT',
      'price-list.prices.set',
      'api-promo',
    );
    expect(problems(within)[0]).toMatchObject({
      path: 'prices[1].validFrom',
      message: expect.stringContaining('at prices[0]'),
    });
  });

  it('refuses more than 1,000 prices, pointing to the import job', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({
      sku,
      minQuantity: i + 1,
      price: '1.00',
    }));
    const res = await refused(
      () => admin(SET, { c: 'api-promo', p: many }),
      'BAD_USER_INPUT',
      'price-list.prices.set',
      'api-promo',
    );
    expect(res.errors![0].message).toContain('vitrine import prices');
    expect(problems(res)).toEqual([
      { path: 'prices', message: expect.stringContaining('at most 1000') },
    ]);
  });

  it('takes 1,000 prices in one call (measured), and the same again as unchanged', async () => {
    expect(
      (await admin(CREATE, { i: { code: 'api-bulk', name: 'Bulk', currency: 'EUR' } })).errors,
    ).toBeUndefined();
    const many = Array.from({ length: 1000 }, (_, i) => ({
      sku: sku3,
      minQuantity: i + 1,
      price: '2.00',
    }));
    let t = performance.now();
    const first = await admin<{ setPriceListPrices: Row }>(SET, { c: 'api-bulk', p: many });
    const created = performance.now() - t;
    expect(first.data!.setPriceListPrices).toEqual({ created: 1000, updated: 0, unchanged: 0 });
    t = performance.now();
    const again = await admin<{ setPriceListPrices: Row }>(SET, { c: 'api-bulk', p: many });
    const unchanged = performance.now() - t;
    expect(again.data!.setPriceListPrices).toEqual({ created: 0, updated: 0, unchanged: 1000 });
    const row = await lastAudit('price-list.prices.set', 'api-bulk');
    expect((row!.after as { keys: string[] }).keys).toHaveLength(5);
    expect(JSON.stringify(row!.after).length).toBeLessThan(500);
    process.stdout.write(
      `setPriceListPrices, 1,000 prices: ${created.toFixed(0)} ms created, ${unchanged.toFixed(0)} ms unchanged\n`,
    );
  });

  it('refuses prices for a list in another currency than a tenant using it', async () => {
    const created = await admin(CREATE, {
      i: { code: 'api-usd', name: 'USD list', currency: 'USD' },
    });
    expect(created.errors).toBeUndefined();
    // tenant.yaml refuses such an assignment; a list whose tenant changed currency can still be in this state.
    await sql(
      `INSERT INTO tenant_price_list (tenant_id, price_list_id, priority)
       SELECT t.id, pl.id, 99 FROM tenant t, price_list pl WHERE t.slug = 'vitrine-shop' AND pl.code = 'api-usd'`,
    );
    try {
      const res = await refused(
        () => admin(SET, { c: 'api-usd', p: [{ sku, price: '1.00' }] }),
        'BAD_USER_INPUT',
        'price-list.prices.set',
        'api-usd',
      );
      expect(problems(res)).toEqual([
        { path: 'code', message: expect.stringContaining('vitrine-shop (EUR)') },
      ]);
      await refused(
        () => admin(SET, { c: 'api-usd', p: [{ sku, price: '1.00', currency: 'EUR' }] }),
        'BAD_USER_INPUT',
        'price-list.prices.set',
        'api-usd',
      );
    } finally {
      await sql(`DELETE FROM tenant_price_list WHERE priority = 99`);
    }
    await refused(
      () => admin(SET, { c: 'no-such-list', p: [{ sku, price: '1.00' }] }),
      'NOT_FOUND',
      'price-list.prices.set',
      'no-such-list',
    );
  });

  it('a contract price wins for its company; listed, changed and removed', async () => {
    const set = await admin<{ setContractPrices: Row }>(
      SET_CONTRACT,
      {
        t: 'jansen-bouw',
        c: 'jansen-bouw',
        p: [
          { sku, price: '0.99' },
          { sku, minQuantity: 25, price: '0.95', currency: 'EUR' },
        ],
      },
      catalogToken,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setContractPrices).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(await buyerPrice(sku)).toEqual({
      one: { unit: { amount: '0.99', currency: 'EUR' }, source: 'CONTRACT' },
      tier25: { unit: { amount: '0.95' }, source: 'CONTRACT' },
    });
    const tenantId = (
      await sql<Array<{ id: string }>>(`SELECT id FROM tenant WHERE slug = 'jansen-bouw'`)
    )[0].id;
    expect(await lastAudit('contract-price.set', 'jansen-bouw/jansen-bouw')).toMatchObject({
      outcome: 'APPLIED',
      tenant_id: tenantId,
      after: { created: 2 },
    });
    const listed = await admin<{ contractPrices: { edges: Array<{ node: Row }> } }>(CONTRACTS, {
      t: 'jansen-bouw',
      c: 'jansen-bouw',
      s: sku,
    });
    expect(listed.data!.contractPrices.edges.map((e) => e.node)).toEqual([
      { sku, minQuantity: 1, price: '0.99', currency: 'EUR', validFrom: null, validUntil: null },
      { sku, minQuantity: 25, price: '0.95', currency: 'EUR', validFrom: null, validUntil: null },
    ]);

    // The tenant sells in EUR.
    const usd = await refused(
      () =>
        admin(SET_CONTRACT, {
          t: 'jansen-bouw',
          c: 'jansen-bouw',
          p: [{ sku, price: '1', currency: 'USD' }],
        }),
      'BAD_USER_INPUT',
      'contract-price.set',
      'jansen-bouw/jansen-bouw',
    );
    expect(problems(usd)[0]).toMatchObject({
      path: 'prices[0].currency',
      message: expect.stringContaining('sells in EUR'),
    });

    const removed = await admin<{ removeContractPrices: number }>(REMOVE_CONTRACT, {
      t: 'jansen-bouw',
      c: 'jansen-bouw',
      k: [{ sku }, { sku, minQuantity: 25 }, { sku: sku2 }],
    });
    expect(removed.data!.removeContractPrices).toBe(2);
    expect((await buyerPrice(sku)).one).toEqual({
      unit: { amount: '1.19', currency: 'EUR' },
      source: 'PRICE_LIST',
    });
    expect(await lastAudit('contract-price.remove', 'jansen-bouw/jansen-bouw')).toMatchObject({
      outcome: 'APPLIED',
      before: { prices: expect.any(Number) },
      after: { removed: 2 },
    });
  });

  it('removes price-list prices by key', async () => {
    const removed = await admin<{ removePriceListPrices: number }>(
      REMOVE,
      {
        c: 'api-promo',
        k: [
          { sku },
          { sku: sku.toLowerCase(), minQuantity: 10 },
          { sku: sku2, validFrom: '2099-01-01' },
          { sku: sku3 },
        ],
      },
      catalogToken,
    );
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removePriceListPrices).toBe(3);
    expect((await buyerPrice(sku)).one!.unit.amount).not.toBe('1.19');
    const list = await admin<{ priceList: Row }>(LIST, { c: 'api-promo' });
    expect(list.data!.priceList).toMatchObject({ entryCount: 0 });
    await refused(
      () => admin(REMOVE, { c: 'api-promo', k: [{ sku: 'NO-SUCH-SKU-1' }] }),
      'BAD_USER_INPUT',
      'price-list.prices.remove',
      'api-promo',
    );
    // Nothing stored under the key: nothing removed, no change logged.
    const none = await admin<{ removePriceListPrices: number }>(REMOVE, {
      c: 'api-promo',
      k: [{ sku }],
    });
    expect(none.data!.removePriceListPrices).toBe(0);
  });

  it('refuses an account manager — even on their own tenant — and logs it', async () => {
    await refused(
      () =>
        admin(
          SET_CONTRACT,
          { t: 'jansen-bouw', c: 'jansen-bouw', p: [{ sku, price: '0.50' }] },
          managerToken,
        ),
      'FORBIDDEN',
      'contract-price.set',
      'jansen-bouw/jansen-bouw',
    );
    expect((await lastAudit('contract-price.set', 'jansen-bouw/jansen-bouw'))!.actor).toBe(
      managerId,
    );
    await refused(
      () => admin(CREATE, { i: { code: 'am-list', name: 'x', currency: 'EUR' } }, managerToken),
      'FORBIDDEN',
      'price-list.create',
      'am-list',
    );
    await refused(
      () => admin(SET, { c: 'api-promo', p: [{ sku, price: '0.50' }] }, managerToken),
      'FORBIDDEN',
      'price-list.prices.set',
      'api-promo',
    );
    expect(code(await admin(LISTS, {}, managerToken))).toBe('FORBIDDEN');
    expect(code(await admin(ENTRIES, { c: 'api-promo' }, managerToken))).toBe('FORBIDDEN');
    expect(code(await admin(CONTRACTS, { t: 'jansen-bouw', c: 'jansen-bouw' }, managerToken))).toBe(
      'FORBIDDEN',
    );
  });

  it("isolates tenants: tenant B's slug with tenant A's company is NOT_FOUND, nothing changed", async () => {
    const set = await admin(SET_CONTRACT, {
      t: 'jansen-bouw',
      c: 'jansen-bouw',
      p: [{ sku, price: '0.77' }],
    });
    expect(set.errors).toBeUndefined();
    await refused(
      () =>
        admin(SET_CONTRACT, {
          t: 'zorggroep-noord',
          c: 'jansen-bouw',
          p: [{ sku, price: '0.01' }],
        }),
      'NOT_FOUND',
      'contract-price.set',
      'zorggroep-noord/jansen-bouw',
    );
    await refused(
      () => admin(REMOVE_CONTRACT, { t: 'zorggroep-noord', c: 'jansen-bouw', k: [{ sku }] }),
      'NOT_FOUND',
      'contract-price.remove',
      'zorggroep-noord/jansen-bouw',
    );
    expect(code(await admin(CONTRACTS, { t: 'zorggroep-noord', c: 'jansen-bouw' }))).toBe(
      'NOT_FOUND',
    );
    await refused(
      () =>
        admin(SET_CONTRACT, { t: 'no-such-tenant', c: 'jansen-bouw', p: [{ sku, price: '0.01' }] }),
      'NOT_FOUND',
      'contract-price.set',
      'no-such-tenant/jansen-bouw',
    );
    // B's own company lists B's prices only.
    const b = await admin<{ contractPrices: { edges: Array<{ node: Row }> } }>(CONTRACTS, {
      t: 'zorggroep-noord',
      c: 'zorggroep-noord',
      s: sku,
    });
    expect(b.errors).toBeUndefined();
    expect(b.data!.contractPrices.edges).toEqual([]);
    // A's price is intact.
    expect((await buyerPrice(sku)).one!.unit.amount).toBe('0.77');
  });
});
