import { randomUUID } from 'node:crypto';
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
const SHOP = 'vitrine-shop.localhost';
const ZORG = 'zorggroep-noord.localhost';

const QUOTE = `number status validUntil contactEmail note orderNumber lines { sku quantity offeredUnitPrice { amount currency } }`;

interface Quote {
  number: string;
  status: string;
  contactEmail: string;
  orderNumber: string | null;
  lines: Array<{ sku: string; quantity: number; offeredUnitPrice: { amount: string } | null }>;
}

/** Quotes: requests by buyers and prospects, offers, acceptance into an order at quoted prices. */
describe('quotes (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const tokens: Record<string, string> = {};
  let skus: string[];
  let shopSku: string;

  const maintenance = maintenanceSql(() => api);
  const call = <T>(
    token: string | null,
    query: string,
    variables: Record<string, unknown> = {},
    host = JANSEN,
    headers: Record<string, string> = {},
  ) =>
    gql<T>(api.port, host, query, variables, {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    });
  const code = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;
  const request = (
    token: string | null,
    input: Record<string, unknown>,
    host = JANSEN,
    headers = {},
  ) =>
    call<{ requestQuote: Quote }>(
      token,
      `mutation($i: QuoteRequestInput!) { requestQuote(input: $i) { ${QUOTE} } }`,
      { i: input },
      host,
      headers,
    );
  const accept = (token: string, number: string, key = randomUUID()) =>
    call<{
      acceptQuote: {
        number: string;
        status: string;
        lines: Array<{ sku: string; unitPrice: { amount: string } }>;
        poNumber: string;
      };
    }>(
      token,
      `mutation($n: String!, $k: String!) { acceptQuote(number: $n, idempotencyKey: $k, input: { poNumber: "PO-Q" }) { number status poNumber lines { sku unitPrice { amount } } } }`,
      { n: number, k: key },
    );
  /** The seller's offer, as the admin API writes it. */
  const offer = (number: string, cents: number, validUntil: string) =>
    maintenance(
      `WITH q AS (UPDATE quote SET status = 'OFFERED', valid_until = $2, offered_at = now() WHERE number = $1 RETURNING id)
       UPDATE quote_line SET offered_unit_minor = $3 WHERE quote_id = (SELECT id FROM q)`,
      [number, validUntil, cents],
    );

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    tokens.buyer = await companyUser(api, 'jansen-bouw', 'koper@jansenbouw.example', ['BUYER']);
    tokens.viewer = await companyUser(api, 'jansen-bouw', 'kijker@jansenbouw.example', ['VIEWER']);
    tokens.zorg = await companyUser(api, 'zorggroep-noord', 'inkoop@zorggroep.example', ['BUYER']);
    const rows = await maintenance<Array<{ sku: string; slug: string }>>(
      `SELECT v.sku, t.slug FROM tenant_variant tv JOIN tenant t ON t.id = tv.tenant_id JOIN variant v ON v.id = tv.variant_id
        WHERE t.slug IN ('jansen-bouw', 'vitrine-shop') AND v.status = 'ACTIVE' ORDER BY v.sku`,
    );
    skus = rows
      .filter((r) => r.slug === 'jansen-bouw')
      .map((r) => r.sku)
      .slice(0, 5);
    shopSku = rows.find((r) => r.slug === 'vitrine-shop')!.sku;
    await maintenance(
      `UPDATE variant SET stock_on_hand = 1000, weight_grams = 100 WHERE sku = ANY($1::text[])`,
      [skus],
    );
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('a buyer requests a quote, the seller offers, the buyer accepts: an order at the quoted prices', async () => {
    const res = await request(tokens.buyer, {
      lines: [
        { sku: skus[0], quantity: 500 },
        { sku: skus[0].toLowerCase(), quantity: 100 },
        { sku: skus[1], quantity: 50 },
      ],
      note: 'Jaarafname',
    });
    expect(res.errors).toBeUndefined();
    const quote = res.data!.requestQuote;
    expect(quote.number).toMatch(/^Q\d{4}-\d{6}$/);
    expect(quote.status).toBe('REQUESTED');
    expect(quote.contactEmail).toBe('koper@jansenbouw.example');
    expect(quote.lines).toEqual([
      { sku: skus[0], quantity: 600, offeredUnitPrice: null },
      { sku: skus[1], quantity: 50, offeredUnitPrice: null },
    ]);
    // Not offered yet: nothing to accept.
    expect(code(await accept(tokens.buyer, quote.number))).toBe('CONFLICT');
    await offer(quote.number, 123, '2099-12-31T00:00:00Z');
    const seen = await call<{ quotes: { edges: Array<{ node: Quote }> } }>(
      tokens.viewer,
      `{ quotes { edges { node { ${QUOTE} } } } }`,
    );
    expect(seen.data!.quotes.edges[0].node).toMatchObject({
      number: quote.number,
      status: 'OFFERED',
      lines: [
        { sku: skus[0], offeredUnitPrice: { amount: '1.23', currency: 'EUR' } },
        { sku: skus[1], offeredUnitPrice: { amount: '1.23', currency: 'EUR' } },
      ],
    });
    // A viewer may look but not order.
    expect(code(await accept(tokens.viewer, quote.number))).toBe('FORBIDDEN');
    const key = randomUUID();
    const accepted = await accept(tokens.buyer, quote.number, key);
    expect(accepted.errors).toBeUndefined();
    const order = accepted.data!.acceptQuote;
    expect(order.status).toBe('PLACED');
    expect(order.poNumber).toBe('PO-Q');
    expect(order.lines).toEqual([
      { sku: skus[0], unitPrice: { amount: '1.23' } },
      { sku: skus[1], unitPrice: { amount: '1.23' } },
    ]);
    const [{ price_source }] = await maintenance<Array<{ price_source: string }>>(
      `SELECT DISTINCT l.price_source FROM order_line l JOIN customer_order o ON o.id = l.order_id WHERE o.number = $1`,
      [order.number],
    );
    expect(price_source).toBe('QUOTE');
    // A retry returns the same order; a second acceptance is refused.
    expect((await accept(tokens.buyer, quote.number, key)).data!.acceptQuote.number).toBe(
      order.number,
    );
    expect(code(await accept(tokens.buyer, quote.number))).toBe('CONFLICT');
    const after = await call<{ quote: Quote }>(
      tokens.buyer,
      `query($n: String!) { quote(number: $n) { ${QUOTE} } }`,
      {
        n: quote.number,
      },
    );
    expect(after.data!.quote).toMatchObject({ status: 'ACCEPTED', orderNumber: order.number });
  });

  it('refuses an expired offer (QUOTE_EXPIRED) and writes nothing', async () => {
    const quote = (await request(tokens.buyer, { lines: [{ sku: skus[2], quantity: 10 }] })).data!
      .requestQuote;
    await offer(quote.number, 99, '2020-01-01T00:00:00Z');
    const before = await maintenance<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM customer_order`,
    );
    const res = await accept(tokens.buyer, quote.number);
    expect(code(res)).toBe('QUOTE_EXPIRED');
    expect(res.errors![0].message).toMatch(/expired on 2020-01-01/);
    expect(await maintenance(`SELECT count(*) AS n FROM customer_order`)).toEqual(before);
    const seen = await call<{ quote: Quote }>(
      tokens.buyer,
      `query($n: String!) { quote(number: $n) { status } }`,
      {
        n: quote.number,
      },
    );
    expect(seen.data!.quote.status).toBe('EXPIRED');
  });

  it('prospects request quotes anonymously on a public site, with a contact e-mail and a rate limit', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.7' };
    expect(code(await request(null, { lines: [{ sku: shopSku, quantity: 5 }] }, SHOP, ip))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      code(
        await request(
          null,
          { lines: [{ sku: shopSku, quantity: 5 }], contactEmail: 'nope' },
          SHOP,
          ip,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const res = await request(
      null,
      { lines: [{ sku: shopSku, quantity: 5 }], contactEmail: 'Inkoop@Prospect.example' },
      SHOP,
      ip,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.requestQuote.contactEmail).toBe('inkoop@prospect.example');
    const mails = await maintenance<Array<{ template: string; to: string }>>(
      `SELECT payload->>'template' AS template, payload->'to'->>0 AS to FROM outbox_event
        WHERE topic = 'mail' AND payload->'data'->'quote'->>'number' = $1`,
      [res.data!.requestQuote.number],
    );
    expect(mails).toEqual([{ template: 'quote-requested', to: 'inkoop@prospect.example' }]);
    // Five per hour and address; the sixth is refused.
    const again = () =>
      request(
        null,
        { lines: [{ sku: shopSku, quantity: 1 }], contactEmail: 'x@prospect.example' },
        SHOP,
        ip,
      );
    for (let i = 0; i < 4; i++) expect((await again()).errors).toBeUndefined();
    const limited = await again();
    expect(code(limited)).toBe('RATE_LIMITED');
    expect(limited.errors![0].message).toMatch(/try again in \d+ minutes/);
    // A login-only site takes no anonymous requests.
    expect(
      code(
        await request(null, {
          lines: [{ sku: skus[0], quantity: 1 }],
          contactEmail: 'a@b.example',
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    // Bad lines: unknown or out-of-assortment SKUs and bad quantities are refused, nothing written.
    const count = await maintenance(`SELECT count(*) FROM quote`);
    for (const lines of [[{ sku: 'NOPE-1', quantity: 1 }], [{ sku: skus[0], quantity: 0 }], []])
      expect(code(await request(tokens.buyer, { lines }))).toBe('BAD_USER_INPUT');
    expect(await maintenance(`SELECT count(*) FROM quote`)).toEqual(count);
  });

  it('tenant isolation: another tenant cannot read, accept, change or delete a quote', async () => {
    const quote = (await request(tokens.buyer, { lines: [{ sku: skus[3], quantity: 10 }] })).data!
      .requestQuote;
    await offer(quote.number, 500, '2099-01-01T00:00:00Z');
    const read = await call<{ quote: unknown }>(
      tokens.zorg,
      `query($n: String!) { quote(number: $n) { number } }`,
      { n: quote.number },
      ZORG,
    );
    expect(read.data!.quote).toBeNull();
    const stolen = await call(
      tokens.zorg,
      `mutation($n: String!) { acceptQuote(number: $n, idempotencyKey: "x") { number } }`,
      { n: quote.number },
      ZORG,
    );
    expect(code(stolen)).toBe('NOT_FOUND');
    const [zorg] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
    );
    const asZorg = (sql: string) =>
      asTenantRuntime(db.dataSource, zorg.id, ['quote', 'quote_line'], (em) => em.query(sql));
    expect(await asZorg(`SELECT * FROM quote`)).toEqual([]);
    await asZorg(`UPDATE quote_line SET offered_unit_minor = 1`);
    await asZorg(`DELETE FROM quote`);
    const [after] = await maintenance<Array<{ status: string; price: string }>>(
      `SELECT q.status, l.offered_unit_minor AS price FROM quote q JOIN quote_line l ON l.quote_id = q.id WHERE q.number = $1`,
      [quote.number],
    );
    expect(after).toEqual({ status: 'OFFERED', price: expect.stringMatching(/^500$/) });
  });
});
