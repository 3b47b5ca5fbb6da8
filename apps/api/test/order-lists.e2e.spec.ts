import { asTenantRuntime, gql, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import {
  companyUser,
  maintenanceSql,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const LIST = `id name shared mine ownerName lines { sku quantity }`;

interface List {
  id: string;
  name: string;
  shared: boolean;
  mine: boolean;
  lines: Array<{ sku: string; quantity: number }>;
}

/** Saved order lists: own and shared, into the cart in one call, isolated between tenants. */
describe('order lists (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const tokens: Record<string, string> = {};
  let skus: string[];

  const maintenance = maintenanceSql(() => api);
  const call = <T>(
    token: string,
    query: string,
    variables: Record<string, unknown> = {},
    host = JANSEN,
  ) => gql<T>(api.port, host, query, variables, { authorization: `Bearer ${token}` });
  const code = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    tokens.owner = await companyUser(api, 'jansen-bouw', 'eigenaar@jansenbouw.example', ['BUYER']);
    tokens.colleague = await companyUser(api, 'jansen-bouw', 'collega@jansenbouw.example', [
      'REQUISITIONER',
    ]);
    tokens.zorg = await companyUser(api, 'zorggroep-noord', 'inkoop@zorggroep.example', ['BUYER']);
    const rows = await maintenance<Array<{ sku: string }>>(
      `SELECT v.sku FROM tenant_variant tv JOIN tenant t ON t.id = tv.tenant_id JOIN variant v ON v.id = tv.variant_id
        WHERE t.slug = 'jansen-bouw' AND v.status = 'ACTIVE' AND v.order_multiple = 1 AND v.min_order_quantity = 1
        ORDER BY v.sku LIMIT 3`,
    );
    skus = rows.map((r) => r.sku);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('creates, edits, shares and adds a list to the cart; only the owner changes it', async () => {
    const created = await call<{ createOrderList: List }>(
      tokens.owner,
      `mutation($l: [CartLineInput!]!) { createOrderList(name: " Maandvoorraad bouwplaats ", lines: $l) { ${LIST} } }`,
      {
        l: [
          { sku: skus[0], quantity: 4 },
          { sku: skus[1], quantity: 2 },
        ],
      },
    );
    expect(created.errors).toBeUndefined();
    const list = created.data!.createOrderList;
    expect(list).toMatchObject({ name: 'Maandvoorraad bouwplaats', shared: false, mine: true });
    // Private: the colleague does not see it until it is shared.
    const hidden = await call<{ orderList: List | null }>(
      tokens.colleague,
      `query($id: ID!) { orderList(id: $id) { id } }`,
      { id: list.id },
    );
    expect(hidden.data!.orderList).toBeNull();
    await call(
      tokens.owner,
      `mutation($id: ID!) { updateOrderList(id: $id, shared: true) { id } }`,
      { id: list.id },
    );
    const edited = await call<{ setOrderListLine: List }>(
      tokens.owner,
      `mutation($id: ID!, $s: String!) { setOrderListLine(id: $id, sku: $s, quantity: 0) { ${LIST} } }`,
      { id: list.id, s: skus[1] },
    );
    expect(edited.data!.setOrderListLine.lines).toEqual([{ sku: skus[0], quantity: 4 }]);
    const seen = await call<{ orderLists: List[] }>(tokens.colleague, `{ orderLists { ${LIST} } }`);
    expect(seen.data!.orderLists).toEqual([
      expect.objectContaining({ id: list.id, shared: true, mine: false }),
    ]);
    const changed = await call(
      tokens.colleague,
      `mutation($id: ID!) { deleteOrderList(id: $id) }`,
      { id: list.id },
    );
    expect(code(changed)).toBe('FORBIDDEN');
    // The colleague uses it: the lines go into their cart.
    const added = await call<{
      addOrderListToCart: {
        cart: { lines: Array<{ sku: string; quantity: number }> };
        rejected: unknown[];
      };
    }>(
      tokens.colleague,
      `mutation($id: ID!) { addOrderListToCart(id: $id) { cart { lines { sku quantity } } rejected { sku reason } } }`,
      { id: list.id },
    );
    expect(added.data!.addOrderListToCart).toEqual({
      cart: { lines: [{ sku: skus[0], quantity: 4 }] },
      rejected: [],
    });
    // The cart saved as a list.
    const saved = await call<{ saveCartAsOrderList: List }>(
      tokens.colleague,
      `mutation { saveCartAsOrderList(name: "Kopie") { ${LIST} } }`,
    );
    expect(saved.data!.saveCartAsOrderList).toMatchObject({
      name: 'Kopie',
      mine: true,
      lines: [{ sku: skus[0], quantity: 4 }],
    });
    expect(
      (
        await call<{ deleteOrderList: boolean }>(
          tokens.owner,
          `mutation($id: ID!) { deleteOrderList(id: $id) }`,
          { id: list.id },
        )
      ).data,
    ).toEqual({
      deleteOrderList: true,
    });
  });

  it('refuses bad input with a clear code and writes nothing', async () => {
    const before = await maintenance(`SELECT count(*) FROM order_list`);
    const bad: Array<[string, Record<string, unknown>]> = [
      [`mutation { createOrderList(name: "  ") { id } }`, {}],
      [
        `mutation($l: [CartLineInput!]!) { createOrderList(name: "x", lines: $l) { id } }`,
        { l: [{ sku: 'NOPE-9', quantity: 1 }] },
      ],
      [
        `mutation($l: [CartLineInput!]!) { createOrderList(name: "x", lines: $l) { id } }`,
        { l: [{ sku: skus[0], quantity: 0 }] },
      ],
    ];
    for (const [query, variables] of bad)
      expect(code(await call(tokens.owner, query, variables))).toBe('BAD_USER_INPUT');
    expect(
      code(
        await call(
          tokens.owner,
          `mutation { addOrderListToCart(id: "not-an-id") { rejected { sku } } }`,
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(await maintenance(`SELECT count(*) FROM order_list`)).toEqual(before);
  });

  it('tenant isolation: another tenant cannot read, change or delete a list', async () => {
    const list = (
      await call<{ createOrderList: List }>(
        tokens.owner,
        `mutation($l: [CartLineInput!]!) { createOrderList(name: "Gedeeld", shared: true, lines: $l) { id } }`,
        { l: [{ sku: skus[2], quantity: 1 }] },
      )
    ).data!.createOrderList;
    const read = await call<{ orderList: unknown }>(
      tokens.zorg,
      `query($id: ID!) { orderList(id: $id) { id } }`,
      { id: list.id },
      ZORG,
    );
    expect(read.data!.orderList).toBeNull();
    expect(
      code(
        await call(
          tokens.zorg,
          `mutation($id: ID!) { deleteOrderList(id: $id) }`,
          { id: list.id },
          ZORG,
        ),
      ),
    ).toBe('NOT_FOUND');
    const [zorg] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
    );
    const asZorg = (sql: string) =>
      asTenantRuntime(db.dataSource, zorg.id, ['order_list', 'order_list_line'], (em) =>
        em.query(sql),
      );
    expect(await asZorg(`SELECT * FROM order_list`)).toEqual([]);
    await asZorg(`UPDATE order_list SET name = 'stolen'`);
    await asZorg(`DELETE FROM order_list_line`);
    const [after] = await maintenance<Array<{ name: string; lines: string }>>(
      `SELECT name, (SELECT count(*) FROM order_list_line WHERE list_id = l.id) AS lines FROM order_list l WHERE id = $1`,
      [list.id],
    );
    expect(after).toEqual({ name: 'Gedeeld', lines: expect.anything() });
    expect(Number(after.lines)).toBe(1);
  });
});
