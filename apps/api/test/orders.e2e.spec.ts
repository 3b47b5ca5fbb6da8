import { randomUUID } from 'node:crypto';
import { parseDecimal } from '@vitrine/pricing';
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

const ORDER = `number status poNumber costCentre requestedDeliveryDate note
  lines { sku quantity unitPrice { amount } lineTotal { amount } }
  subtotal { amount currency } shipping { amount } tax { amount } total { amount }
  vat { rate base { amount } tax { amount } } shipTo { city country }
  placedBy { email } approvalReason rejectionReason decidedBy history { status note }`;

interface Order {
  number: string;
  status: string;
  poNumber: string | null;
  lines: Array<{ sku: string; quantity: number; unitPrice: { amount: string } }>;
  subtotal: { amount: string; currency: string };
  shipping: { amount: string };
  tax: { amount: string };
  total: { amount: string };
  vat: Array<{ rate: string; base: { amount: string }; tax: { amount: string } }>;
  shipTo: { city: string; country: string };
  placedBy: { email: string };
  approvalReason: string | null;
  rejectionReason: string | null;
  decidedBy: string | null;
  history: Array<{ status: string; note: string | null }>;
}

const cents = (a: string) => parseDecimal(a, 'EUR');

/** Checkout, idempotency, stock and credit under concurrency, approvals, history, isolation. */
describe('orders (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const tokens: Record<string, string> = {};
  /** Orderable articles of jansen-bouw: active, sold per piece, priced. */
  let skus: string[];

  const maintenance = maintenanceSql(() => api);
  const call = <T>(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
    host = JANSEN,
  ) => gql<T>(api.port, host, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  const code = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;

  const addLines = (token: string, lines: Array<{ sku: string; quantity: number }>) =>
    call<{ addLinesToCart: { rejected: unknown[] } }>(
      token,
      `mutation($l: [CartLineInput!]!) { addLinesToCart(lines: $l) { rejected { sku reason } } }`,
      { l: lines },
    );
  const place = (
    token: string,
    input: Record<string, unknown>,
    key: string = randomUUID(),
    host = JANSEN,
  ) =>
    call<{ placeOrder: Order }>(
      token,
      `mutation($i: PlaceOrderInput!, $k: String!) { placeOrder(input: $i, idempotencyKey: $k) { ${ORDER} } }`,
      { i: input, k: key },
      host,
    );
  const stock = async (sku: string) =>
    (
      await maintenance<Array<{ stock_on_hand: number }>>(
        `SELECT stock_on_hand FROM variant WHERE sku = $1`,
        [sku],
      )
    )[0].stock_on_hand;
  const creditUsed = async () =>
    Number(
      (
        await maintenance<Array<{ credit_used_minor: string }>>(
          `SELECT credit_used_minor FROM company WHERE code = 'jansen-bouw'`,
        )
      )[0].credit_used_minor,
    );
  const orderCount = async () =>
    Number(
      (
        await maintenance<Array<{ n: string }>>(
          `SELECT count(*) AS n FROM customer_order o JOIN tenant t ON t.id = o.tenant_id WHERE t.slug = 'jansen-bouw'`,
        )
      )[0].n,
    );

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    tokens.buyer = await companyUser(api, 'jansen-bouw', 'koper@jansenbouw.example', ['BUYER']);
    tokens.requisitioner = await companyUser(api, 'jansen-bouw', 'aanvrager@jansenbouw.example', [
      'REQUISITIONER',
    ]);
    tokens.approver = await companyUser(api, 'jansen-bouw', 'fiat@jansenbouw.example', [
      'APPROVER',
    ]);
    tokens.limited = await companyUser(
      api,
      'jansen-bouw',
      'beperkt@jansenbouw.example',
      ['BUYER', 'APPROVER'],
      { spendLimitMinor: 5000 },
    );
    tokens.zorg = await companyUser(api, 'zorggroep-noord', 'inkoop@zorggroep.example', [
      'BUYER',
      'APPROVER',
    ]);
    const rows = await maintenance<Array<{ sku: string }>>(
      `SELECT v.sku FROM tenant_variant tv JOIN tenant t ON t.id = tv.tenant_id JOIN variant v ON v.id = tv.variant_id
        WHERE t.slug = 'jansen-bouw' AND v.status = 'ACTIVE' AND v.order_multiple = 1 AND v.min_order_quantity = 1
        ORDER BY v.sku LIMIT 40`,
    );
    // Plenty of stock and a known weight, so shipping is the light-parcel rate unless a test says otherwise.
    await maintenance(
      `UPDATE variant SET stock_on_hand = 1000, weight_grams = 100 WHERE sku = ANY($1::text[])`,
      [rows.map((r) => r.sku)],
    );
    const priced = await call<{ lookupSkus: Array<{ sku: string; variant: { price: unknown } }> }>(
      tokens.buyer,
      `query($s: [String!]!) { lookupSkus(skus: $s) { sku variant { price { unit { amount } } } } }`,
      { s: rows.map((r) => r.sku) },
    );
    skus = priced.data!.lookupSkus.filter((l) => l.variant?.price).map((l) => l.sku);
    expect(skus.length).toBeGreaterThan(12);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('places an order: prices, shipping and VAT per line, stock and credit reserved, cart emptied, e-mail and ERP export queued', async () => {
    const [a, b] = skus;
    const stockBefore = await stock(a);
    const creditBefore = await creditUsed();
    expect(
      (
        await addLines(tokens.buyer, [
          { sku: a, quantity: 3 },
          { sku: b, quantity: 1 },
        ])
      ).errors,
    ).toBeUndefined();
    // The cart estimates shipping to the default ship-to address: what checkout will charge.
    const estimate = (
      await call<{
        cart: Record<'subtotal' | 'shipping' | 'tax' | 'total', { amount: string }>;
      }>(
        tokens.buyer,
        `{ cart { subtotal { amount } shipping { amount } tax { amount } total { amount } } }`,
      )
    ).data!.cart;
    const res = await place(tokens.buyer, {
      poNumber: ' PO-2026-001 ',
      requestedDeliveryDate: '2099-01-01',
      note: 'Achterom leveren',
    });
    expect(res.errors?.[0]?.message).toMatch(/between today/);
    expect(code(res)).toBe('BAD_USER_INPUT');
    const ok = await place(tokens.buyer, { poNumber: ' PO-2026-001 ', note: 'Achterom leveren' });
    expect(ok.errors).toBeUndefined();
    const order = ok.data!.placeOrder;
    expect(order.number).toMatch(/^\d{4}-\d{5}$/);
    expect(order.status).toBe('PLACED');
    expect(order.poNumber).toBe('PO-2026-001');
    expect(order.shipTo).toEqual({ city: 'Utrecht', country: 'NL' });
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [a, 3],
      [b, 1],
    ]);
    const subtotal = cents(order.subtotal.amount);
    expect(subtotal).toBe(
      order.lines.reduce((s, l) => s + cents(l.unitPrice.amount) * l.quantity, 0),
    );
    // 0.4 kg to NL: the parcel rate of tenant.yaml, or free above 500.00.
    expect(order.shipping.amount).toBe(subtotal >= 50_000 ? '0.00' : '9.95');
    expect(cents(order.total.amount)).toBe(
      subtotal + cents(order.shipping.amount) + cents(order.tax.amount),
    );
    expect(order.vat.reduce((s, r) => s + cents(r.tax.amount), 0)).toBe(cents(order.tax.amount));
    expect(order.history).toEqual([{ status: 'PLACED', note: null }]);
    expect(estimate).toEqual({
      subtotal: { amount: order.subtotal.amount },
      shipping: order.shipping,
      tax: order.tax,
      total: order.total,
    });
    expect(await stock(a)).toBe(stockBefore - 3);
    expect(await creditUsed()).toBe(creditBefore + cents(order.total.amount));
    const cart = await call<{ cart: { lines: unknown[] } | null }>(
      tokens.buyer,
      `{ cart { lines { sku } } }`,
    );
    expect(cart.data!.cart?.lines ?? []).toEqual([]);
    const outbox = await maintenance<
      Array<{ topic: string; template: string | null; to: string[] | null }>
    >(
      `SELECT topic, payload->>'template' AS template, ARRAY(SELECT jsonb_array_elements_text(payload->'to')) AS to
         FROM outbox_event WHERE payload->'order'->>'number' = $1 OR payload->'data'->'order'->>'number' = $1
         ORDER BY topic`,
      [order.number],
    );
    expect(outbox).toEqual([
      { topic: 'erp-file', template: null, to: [] },
      { topic: 'mail', template: 'order-confirmation', to: ['koper@jansenbouw.example'] },
    ]);
    // History: the company's orders, newest first, and the order by number.
    const history = await call<{ orders: { edges: Array<{ node: { number: string } }> } }>(
      tokens.approver,
      `{ orders(first: 5) { edges { node { number } } pageInfo { hasNextPage } } }`,
    );
    expect(history.data!.orders.edges[0].node.number).toBe(order.number);
    const one = await call<{ order: { number: string; total: { amount: string } } }>(
      tokens.buyer,
      `query($n: String!) { order(number: $n) { number total { amount } } }`,
      { n: order.number },
    );
    expect(one.data!.order).toEqual({ number: order.number, total: order.total });
  });

  it('returns the same order for a retry with the same key, and refuses the key for another request', async () => {
    await addLines(tokens.buyer, [{ sku: skus[2], quantity: 1 }]);
    const key = randomUUID();
    const first = await place(tokens.buyer, { poNumber: 'PO-R1' }, key);
    expect(first.errors).toBeUndefined();
    const again = await place(tokens.buyer, { poNumber: 'PO-R1' }, key);
    expect(again.data!.placeOrder.number).toBe(first.data!.placeOrder.number);
    const other = await place(tokens.buyer, { poNumber: 'PO-R2' }, key);
    expect(code(other)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('50 concurrent placeOrder calls with one key make exactly one order', async () => {
    await addLines(tokens.buyer, [{ sku: skus[3], quantity: 2 }]);
    const before = await orderCount();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => place(tokens.buyer, { poNumber: 'PO-50' }, key)),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(new Set(results.map((r) => r.data!.placeOrder.number)).size).toBe(1);
    expect(await orderCount()).toBe(before + 1);
  });

  it('200 concurrent orders for 10 units of stock: exactly 10 succeed, the rest are OUT_OF_STOCK', async () => {
    const sku = skus[4];
    await maintenance(`UPDATE variant SET stock_on_hand = 10 WHERE sku = $1`, [sku]);
    const buyers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        companyUser(api, 'jansen-bouw', `rush${i}@jansenbouw.example`, ['BUYER']),
      ),
    );
    for (const token of buyers)
      expect((await addLines(token, [{ sku, quantity: 1 }])).errors).toBeUndefined();
    const before = await orderCount();
    const results = await Promise.all(buyers.map((t) => place(t, { poNumber: 'PO-RUSH' })));
    const placed = results.filter((r) => r.data?.placeOrder);
    expect(placed).toHaveLength(10);
    expect(results.filter((r) => code(r) === 'OUT_OF_STOCK')).toHaveLength(190);
    expect(await stock(sku)).toBe(0);
    expect(await orderCount()).toBe(before + 10);
    expect(new Set(placed.map((r) => r.data!.placeOrder.number)).size).toBe(10);
  });

  it('refuses bad input with a clear code and writes nothing', async () => {
    const sku = skus[5];
    await addLines(tokens.buyer, [{ sku, quantity: 2 }]);
    const before = {
      orders: await orderCount(),
      stock: await stock(sku),
      credit: await creditUsed(),
    };
    const [zorgAddress] = await maintenance<Array<{ id: string }>>(
      `SELECT a.id FROM company_address a JOIN company c ON c.id = a.company_id WHERE c.code = 'zorggroep-noord'`,
    );
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{}, 'BAD_USER_INPUT', /purchase order/],
      [{ poNumber: 'x'.repeat(65) }, 'BAD_USER_INPUT', /at most 64/],
      [{ poNumber: 'PO', shippingAddressId: zorgAddress.id }, 'NOT_FOUND', /not a ship-to address/],
      [{ poNumber: 'PO', shippingAddressId: 'not-an-id' }, 'NOT_FOUND', /not a ship-to address/],
      [{ poNumber: 'PO', requestedDeliveryDate: '2026-02-30' }, 'BAD_USER_INPUT', /not a date/],
      [{ poNumber: 'PO', requestedDeliveryDate: '2020-01-01' }, 'BAD_USER_INPUT', /between today/],
      [{ poNumber: 'PO', costCentre: 'NOPE' }, 'BAD_USER_INPUT', /cost centre/],
    ];
    for (const [input, expected, message] of cases) {
      const res = await place(tokens.buyer, input);
      expect([JSON.stringify(input), code(res)]).toEqual([JSON.stringify(input), expected]);
      expect(res.errors![0].message).toMatch(message);
    }
    expect(code(await place(tokens.buyer, { poNumber: 'PO' }, ''))).toBe('BAD_USER_INPUT');
    // Quantity rules are enforced by the cart: 0, negative.
    for (const quantity of [0, -3])
      expect(
        (await addLines(tokens.buyer, [{ sku, quantity }])).data!.addLinesToCart.rejected,
      ).toHaveLength(1);
    // Stock: the cart refuses what checkout could not reserve.
    await maintenance(`UPDATE variant SET stock_on_hand = 2 WHERE sku = $1`, [skus[9]]);
    expect(
      (await addLines(tokens.buyer, [{ sku: skus[9], quantity: 3 }])).data!.addLinesToCart.rejected,
    ).toEqual([{ sku: skus[9], reason: `${skus[9]}: only 2 in stock; the cart would hold 3.` }]);
    expect({
      orders: await orderCount(),
      stock: await stock(sku),
      credit: await creditUsed(),
    }).toEqual(before);
  });

  it('refuses an order above the available credit (CREDIT_LIMIT_EXCEEDED) and one no shipping rate covers', async () => {
    const sku = skus[6];
    await addLines(tokens.buyer, [{ sku, quantity: 1 }]);
    const before = { orders: await orderCount(), stock: await stock(sku) };
    const used = await creditUsed();
    await maintenance(`UPDATE company SET credit_limit_minor = $1 WHERE code = 'jansen-bouw'`, [
      used + 1,
    ]);
    const res = await place(tokens.buyer, { poNumber: 'PO-C' });
    expect(code(res)).toBe('CREDIT_LIMIT_EXCEEDED');
    expect(res.errors![0].message).toMatch(/available credit of 0\.01 EUR/);
    await maintenance(`UPDATE company SET credit_limit_minor = 2500000 WHERE code = 'jansen-bouw'`);
    // A ship-to address in France: jansen-bouw ships to NL and BE only.
    const [{ id }] = await maintenance<Array<{ id: string }>>(
      `INSERT INTO company_address (tenant_id, company_id, kind, label, name, street, postal_code, city, country)
       SELECT tenant_id, id, 'SHIPPING', 'Chantier Lille', 'Jansen', 'Rue 1', '59000', 'Lille', 'FR' FROM company WHERE code = 'jansen-bouw'
       RETURNING id`,
    );
    const far = await place(tokens.buyer, { poNumber: 'PO-F', shippingAddressId: id });
    expect(code(far)).toBe('SHIPPING_UNAVAILABLE');
    expect(far.errors![0].message).toMatch(/cannot ship this order to FR/);
    expect({ orders: await orderCount(), stock: await stock(sku) }).toEqual(before);
    // The cart is still there to order from elsewhere: Antwerp is covered.
    const [antwerpen] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM company_address WHERE label = 'Bouwproject Antwerpen'`,
    );
    const ok = await place(tokens.buyer, { poNumber: 'PO-BE', shippingAddressId: antwerpen.id });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.placeOrder.shipTo).toEqual({ city: 'Antwerpen', country: 'BE' });
  });

  it('approvals: a requisitioner’s order waits for an approver, who approves it; rejection releases stock and credit', async () => {
    const sku = skus[7];
    await addLines(tokens.requisitioner, [{ sku, quantity: 2 }]);
    const submitted = await place(tokens.requisitioner, { poNumber: 'PO-A1' });
    expect(submitted.errors).toBeUndefined();
    const pending = submitted.data!.placeOrder;
    expect(pending.status).toBe('PENDING_APPROVAL');
    expect(pending.approvalReason).toMatch(/requisitioners/);
    const waiting = await call<{ orders: { edges: Array<{ node: { number: string } }> } }>(
      tokens.approver,
      `{ orders(status: PENDING_APPROVAL) { edges { node { number } } } }`,
    );
    expect(waiting.data!.orders.edges.map((e) => e.node.number)).toContain(pending.number);
    const approve = (token: string, number: string, host = JANSEN) =>
      call<{ approveOrder: Order }>(
        token,
        `mutation($n: String!) { approveOrder(number: $n) { ${ORDER} } }`,
        { n: number },
        host,
      );
    // Nobody outside the company, and no requisitioner, decides.
    expect(code(await approve(tokens.requisitioner, pending.number))).toBe('FORBIDDEN');
    expect(code(await approve(tokens.zorg, pending.number, ZORG))).toBe('NOT_FOUND');
    // Another company of the same tenant: not found either.
    await maintenance(
      `INSERT INTO company (tenant_id, code, name, country) SELECT id, 'buurman', 'Buurman B.V.', 'NL' FROM tenant WHERE slug = 'jansen-bouw'`,
    );
    const neighbour = await companyUser(api, 'jansen-bouw', 'fiat@buurman.example', ['APPROVER'], {
      companyCode: 'buurman',
    });
    expect(code(await approve(neighbour, pending.number))).toBe('NOT_FOUND');
    const approved = await approve(tokens.approver, pending.number);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveOrder.status).toBe('PLACED');
    expect(approved.data!.approveOrder.decidedBy).toBe('fiat@jansenbouw.example');
    expect(approved.data!.approveOrder.history.map((h) => h.status)).toEqual([
      'PENDING_APPROVAL',
      'PLACED',
    ]);
    expect(code(await approve(tokens.approver, pending.number))).toBe('CONFLICT');
    const mails = await maintenance<Array<{ template: string }>>(
      `SELECT payload->>'template' AS template FROM outbox_event
        WHERE topic = 'mail' AND payload->'data'->'order'->>'number' = $1 ORDER BY id`,
      [pending.number],
    );
    expect(mails.map((m) => m.template)).toEqual([
      'order-submitted',
      'approval-requested',
      'order-approved',
    ]);

    // Rejected: the reservation goes back.
    const stockBefore = await stock(sku);
    const creditBefore = await creditUsed();
    await addLines(tokens.requisitioner, [{ sku, quantity: 5 }]);
    const second = (await place(tokens.requisitioner, { poNumber: 'PO-A2' })).data!.placeOrder;
    expect(await stock(sku)).toBe(stockBefore - 5);
    const reject = (reason: string) =>
      call<{ rejectOrder: Order }>(
        tokens.approver,
        `mutation($n: String!, $r: String!) { rejectOrder(number: $n, reason: $r) { ${ORDER} } }`,
        { n: second.number, r: reason },
      );
    expect(code(await reject('  '))).toBe('BAD_USER_INPUT');
    const rejected = await reject('Niet nodig deze maand');
    expect(rejected.data!.rejectOrder.status).toBe('REJECTED');
    expect(rejected.data!.rejectOrder.rejectionReason).toBe('Niet nodig deze maand');
    expect(await stock(sku)).toBe(stockBefore);
    expect(await creditUsed()).toBe(creditBefore);
    expect(code(await reject('nogmaals'))).toBe('CONFLICT');
    expect(await stock(sku)).toBe(stockBefore);
  });

  it('an order above the spend limit needs another approver; one never approves one’s own order', async () => {
    const sku = skus[8];
    await addLines(tokens.limited, [{ sku, quantity: 40 }]);
    const res = await place(tokens.limited, { poNumber: 'PO-L' });
    expect(res.errors).toBeUndefined();
    const order = res.data!.placeOrder;
    expect(order.status).toBe('PENDING_APPROVAL');
    expect(order.approvalReason).toMatch(/above your spend limit of 50\.00 EUR/);
    const own = await call(
      tokens.limited,
      `mutation($n: String!) { approveOrder(number: $n) { number } }`,
      { n: order.number },
    );
    expect(code(own)).toBe('FORBIDDEN');
    // No approver left who could approve it: the order is refused outright.
    await maintenance(
      `UPDATE app_user SET status = 'DEACTIVATED' WHERE email = 'fiat@jansenbouw.example'`,
    );
    try {
      await addLines(tokens.limited, [{ sku, quantity: 40 }]);
      const refused = await place(tokens.limited, { poNumber: 'PO-L2' });
      expect(code(refused)).toBe('SPEND_LIMIT_EXCEEDED');
    } finally {
      await maintenance(
        `UPDATE app_user SET status = 'ACTIVE' WHERE email = 'fiat@jansenbouw.example'`,
      );
    }
  });

  it('reorders a past order into the cart', async () => {
    const [first] = (
      await call<{
        orders: {
          edges: Array<{
            node: { number: string; lines: Array<{ sku: string; quantity: number }> };
          }>;
        };
      }>(tokens.buyer, `{ orders(first: 50) { edges { node { number lines { sku quantity } } } } }`)
    ).data!.orders.edges.slice(-1);
    const res = await call<{
      reorder: { cart: { lines: Array<{ sku: string; quantity: number }> } };
    }>(
      tokens.buyer,
      `mutation($n: String!) { reorder(number: $n) { cart { lines { sku quantity } } rejected { sku } } }`,
      { n: first.node.number },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.reorder.cart.lines).toEqual(expect.arrayContaining(first.node.lines));
    await call(
      tokens.buyer,
      `mutation { updateCartLine(sku: "${first.node.lines[0].sku}", quantity: 0) { lines { sku } } }`,
    );
  });

  it('tenant isolation: another tenant cannot read, change or delete an order', async () => {
    const [row] = await maintenance<Array<{ number: string; tenant_id: string }>>(
      `SELECT o.number, o.tenant_id FROM customer_order o JOIN tenant t ON t.id = o.tenant_id WHERE t.slug = 'jansen-bouw' LIMIT 1`,
    );
    const read = await call<{ order: unknown }>(
      tokens.zorg,
      `query($n: String!) { order(number: $n) { number } }`,
      { n: row.number },
      ZORG,
    );
    expect(read.data!.order).toBeNull();
    const [zorg] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
    );
    const tables = [
      'customer_order',
      'order_line',
      'order_status_change',
      'idempotency_key',
      'outbox_event',
      'tenant_sequence',
    ];
    const asZorg = (sql: string) =>
      asTenantRuntime(db.dataSource, zorg.id, tables, (em) => em.query(sql));
    // Zorggroep has rows of its own (its invitation mails in the outbox); none of another tenant.
    for (const table of tables)
      expect(await asZorg(`SELECT * FROM ${table} WHERE tenant_id <> '${zorg.id}'`)).toEqual([]);
    const counts = () =>
      maintenance<Array<Record<string, string>>>(
        `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t} WHERE tenant_id = $1) AS ${t}`).join(', ')},
                (SELECT max(value) FROM tenant_sequence WHERE tenant_id = $1) AS sequence`,
        [row.tenant_id],
      );
    const before = await counts();
    await asZorg(`UPDATE customer_order SET status = 'CANCELLED'`);
    await asZorg(`UPDATE tenant_sequence SET value = 0`);
    for (const table of ['order_line', 'order_status_change', 'idempotency_key', 'outbox_event'])
      await asZorg(`DELETE FROM ${table}`);
    await asZorg(`DELETE FROM customer_order`);
    expect(await counts()).toEqual(before);
    const [after] = await maintenance<Array<{ status: string; lines: string }>>(
      `SELECT o.status, (SELECT count(*) FROM order_line l WHERE l.order_id = o.id) AS lines FROM customer_order o WHERE o.number = $1 AND o.tenant_id = $2`,
      [row.number, row.tenant_id],
    );
    expect(after.status).not.toBe('CANCELLED');
    expect(Number(after.lines)).toBeGreaterThan(0);
  });
});
