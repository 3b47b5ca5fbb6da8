import { formatDecimal, parseDecimal, roundHalfUp } from '@vitrine/pricing';
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

type Cart = {
  lines: Array<{
    sku: string;
    quantity: number;
    unitPrice: { amount: string };
    lineTotal: { amount: string };
  }>;
  subtotal: { amount: string };
  shipping: { amount: string } | null;
  tax: { amount: string };
  total: { amount: string };
};
const CART = `lines { sku quantity unitPrice { amount } lineTotal { amount } } subtotal { amount } shipping { amount } tax { amount } total { amount }`;

/** Carts through the storefront API: real users of the demo companies, prices from the engine. */
describe('cart (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const tokens: Record<string, string> = {};
  let jansenSkus: string[];
  let zorgOnly: string;

  const maintenance = maintenanceSql(() => api);
  const call = <T>(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
    host = JANSEN,
  ) => gql<T>(api.port, host, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  const code = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    tokens.buyer = await companyUser(api, 'jansen-bouw', 'koper@jansenbouw.example', ['BUYER']);
    tokens.other = await companyUser(api, 'jansen-bouw', 'collega@jansenbouw.example', [
      'REQUISITIONER',
    ]);
    tokens.viewer = await companyUser(api, 'jansen-bouw', 'kijker@jansenbouw.example', ['VIEWER']);
    tokens.hidden = await companyUser(
      api,
      'jansen-bouw',
      'bouwplaats@jansenbouw.example',
      ['REQUISITIONER'],
      { canSeePrices: false },
    );
    tokens.zorg = await companyUser(api, 'zorggroep-noord', 'inkoop@zorggroep.example', ['BUYER']);
    const rows = await maintenance<Array<{ sku: string; slug: string }>>(
      `SELECT v.sku, t.slug FROM tenant_variant tv JOIN tenant t ON t.id = tv.tenant_id JOIN variant v ON v.id = tv.variant_id
       WHERE t.slug IN ('jansen-bouw', 'zorggroep-noord') AND v.status = 'ACTIVE' ORDER BY v.sku`,
    );
    jansenSkus = rows.filter((r) => r.slug === 'jansen-bouw').map((r) => r.sku);
    const inJansen = new Set(jansenSkus);
    zorgOnly = rows.find((r) => r.slug === 'zorggroep-noord' && !inJansen.has(r.sku))!.sku;
    // One article sold in boxes of 10, from 20.
    await maintenance(
      `UPDATE variant SET order_multiple = 10, min_order_quantity = 20 WHERE sku = $1`,
      [jansenSkus[1]],
    );
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('adds an article at the price the product page shows, with VAT per line', async () => {
    const [sku] = jansenSkus;
    const added = await call<{ addToCart: Cart }>(
      tokens.buyer,
      `mutation($s: String!) { addToCart(sku: $s, quantity: 3) { ${CART} } }`,
      { s: sku.toLowerCase() },
    );
    expect(added.errors).toBeUndefined();
    const page = await call<{
      product: {
        variants: Array<{ sku: string; price: { unit: { amount: string }; taxRate: string } }>;
      };
    }>(
      tokens.buyer,
      `query($s: String!) { product(sku: $s) { variants { sku price(quantity: 3) { unit { amount } taxRate } } } }`,
      { s: sku },
    );
    const shown = page.data!.product.variants.find((v) => v.sku === sku)!.price;
    const cart = added.data!.addToCart;
    const cents = (a: string) => parseDecimal(a, 'EUR');
    expect(cart.lines).toEqual([
      {
        sku,
        quantity: 3,
        unitPrice: { amount: shown.unit.amount },
        lineTotal: { amount: formatDecimal(cents(shown.unit.amount) * 3, 'EUR') },
      },
    ]);
    // Shipping to the company's default ship-to address (NL) is estimated and taxed like the goods.
    expect(cart.shipping).not.toBeNull();
    const shipping = cents(cart.shipping!.amount);
    expect(cents(cart.tax.amount)).toBe(
      Number(roundHalfUp(BigInt(cents(cart.subtotal.amount)) * 21n, 100n)) +
        Number(roundHalfUp(BigInt(shipping) * 21n, 100n)),
    );
    expect(cents(cart.total.amount)).toBe(
      cents(cart.subtotal.amount) + shipping + cents(cart.tax.amount),
    );
    // Adding again adds up.
    const again = await call<{ addToCart: Cart }>(
      tokens.buyer,
      `mutation($s: String!) { addToCart(sku: $s, quantity: 2) { lines { sku quantity } } }`,
      { s: sku },
    );
    expect(again.data!.addToCart.lines).toEqual([{ sku, quantity: 5 }]);
  });

  it('quick order: refuses each bad line with its reason and adds the rest', async () => {
    const lines = [
      { sku: jansenSkus[2], quantity: 4 },
      { sku: 'NOPE-123', quantity: 1 },
      { sku: zorgOnly, quantity: 1 },
      { sku: jansenSkus[1], quantity: 15 },
      { sku: jansenSkus[1], quantity: 10 },
      { sku: jansenSkus[3], quantity: 0 },
    ];
    const res = await call<{
      addLinesToCart: {
        cart: { lines: Array<{ sku: string; quantity: number }> };
        rejected: Array<{ sku: string; reason: string }>;
      };
    }>(
      tokens.other,
      `mutation($l: [CartLineInput!]!) { addLinesToCart(lines: $l) { cart { lines { sku quantity } } rejected { sku reason } } }`,
      { l: lines },
    );
    expect(res.errors).toBeUndefined();
    const { cart, rejected } = res.data!.addLinesToCart;
    expect(rejected).toEqual([
      { sku: 'NOPE-123', reason: 'NOPE-123 is not an article of this shop.' },
      { sku: zorgOnly, reason: `${zorgOnly} is not an article of this shop.` },
      {
        sku: jansenSkus[1],
        reason: `${jansenSkus[1]} is sold from 20 pieces; the cart would hold 15.`,
      },
      {
        sku: jansenSkus[1],
        reason: `${jansenSkus[1]} is sold from 20 pieces; the cart would hold 10.`,
      },
      { sku: jansenSkus[3], reason: expect.stringContaining('must be a whole number from 1') },
    ]);
    expect(cart.lines).toEqual([{ sku: jansenSkus[2], quantity: 4 }]);
    // The other user's cart is their own.
    const buyers = await call<{ cart: { lines: Array<{ sku: string }> } }>(
      tokens.buyer,
      '{ cart { lines { sku } } }',
    );
    expect(buyers.data!.cart.lines.map((l) => l.sku)).toEqual([jansenSkus[0]]);
  });

  it('enforces order multiples on update, removes a line at 0, and refuses bad input', async () => {
    const set = (sku: string, q: number) =>
      call<{ updateCartLine: { lines: Array<{ sku: string; quantity: number }> } }>(
        tokens.other,
        `mutation($s: String!, $q: Int!) { updateCartLine(sku: $s, quantity: $q) { lines { sku quantity } } }`,
        { s: sku, q },
      );
    const bad = await set(jansenSkus[1], 25);
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].message).toBe(
      `${jansenSkus[1]} is sold in multiples of 10; the cart would hold 25.`,
    );
    expect((await set(jansenSkus[1], 30)).data!.updateCartLine.lines).toContainEqual({
      sku: jansenSkus[1],
      quantity: 30,
    });
    expect((await set(jansenSkus[1], 0)).data!.updateCartLine.lines).toEqual([
      { sku: jansenSkus[2], quantity: 4 },
    ]);
    expect(code(await set(jansenSkus[2], -1))).toBe('BAD_USER_INPUT');
    expect(code(await set(zorgOnly, 1))).toBe('NOT_FOUND');
  });

  it('needs a role that may fill carts, and a signed-in user', async () => {
    expect(code(await call(tokens.viewer, '{ cart { lines { sku } } }'))).toBe('FORBIDDEN');
    expect(code(await call(null, '{ cart { lines { sku } } }', {}, 'vitrine-shop.localhost'))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('refuses money fields to a user who may not see prices, and keeps the lines readable', async () => {
    await call(
      tokens.hidden,
      `mutation($s: String!) { addToCart(sku: $s, quantity: 1) { lines { sku } } }`,
      { s: jansenSkus[0] },
    );
    const lines = await call<{ cart: { lines: Array<{ sku: string; quantity: number }> } }>(
      tokens.hidden,
      '{ cart { lines { sku quantity } } }',
    );
    expect(lines.data!.cart.lines).toEqual([{ sku: jansenSkus[0], quantity: 1 }]);
    const money = await call<{ cart: unknown }>(tokens.hidden, '{ cart { subtotal { amount } } }');
    expect(code(money)).toBe('FORBIDDEN');
    expect(money.data?.cart ?? null).toBeNull();
  });

  it("keeps one tenant's carts from another tenant, also where the SQL forgets the tenant", async () => {
    const zorgCart = await call<{ cart: unknown }>(
      tokens.zorg,
      '{ cart { lines { sku } } }',
      {},
      ZORG,
    );
    expect(zorgCart.data!.cart).toBeNull();
    const [zorg] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
    );
    const seen = await asTenantRuntime(
      db.dataSource,
      zorg.id,
      ['cart', 'cart_line'],
      async (em) => {
        const carts = (await em.query(`SELECT * FROM cart`)) as unknown[];
        const lines = (await em.query(`SELECT * FROM cart_line`)) as unknown[];
        await em.query(`UPDATE cart_line SET quantity = 999`);
        await em.query(`DELETE FROM cart`);
        return carts.length + lines.length;
      },
    );
    expect(seen).toBe(0);
    const still = await call<{ cart: { lines: Array<{ quantity: number }> } }>(
      tokens.buyer,
      '{ cart { lines { quantity } } }',
    );
    expect(still.data!.cart.lines).toEqual([{ quantity: 5 }]);
  });
});
