import { AdminTokenService } from '@vitrine/admin';
import { TenantDb } from '@vitrine/database';
import { gql, httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { buyerHeaders, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';

type Row = Record<string, unknown>;
type Quote = {
  number: string;
  status: string;
  tenantSlug: string;
  companyName: string | null;
  contactEmail: string;
  validUntil: string | null;
  lines: Array<{
    sku: string;
    quantity: number;
    offeredUnitPrice: { amount: string; currency: string } | null;
  }>;
};
type Order = {
  number: string;
  status: string;
  tenantSlug: string;
  company: { code: string };
  placedBy: { email: string };
  total: { amount: string };
  lines: Array<{ sku: string; quantity: number; unitPrice: { amount: string } }>;
  tracking: { carrier: string; code: string; url: string | null } | null;
  invoiceNumber: string | null;
  statusHistory: Array<{ status: string; changedBy: string | null; note: string | null }>;
};
const QUOTE = `number status tenantSlug companyName contactEmail validUntil lines { sku quantity offeredUnitPrice { amount currency } }`;
const ORDER = `number status tenantSlug company { code } placedBy { email } total { amount }
  lines { sku quantity unitPrice { amount } } tracking { carrier code url } invoiceNumber
  statusHistory { status changedBy note }`;
const SET_STATUS = `mutation($t: String!, $n: String!, $s: OrderStatus!, $tr: TrackingInput, $i: String, $note: String) {
  setOrderStatus(tenant: $t, number: $n, status: $s, tracking: $tr, invoiceNumber: $i, note: $note) { ${ORDER} } }`;
const OFFER = `mutation($n: String!, $l: [QuoteOfferLineInput!]!, $v: DateTime!) {
  offerQuote(number: $n, lines: $l, validUntil: $v) { ${QUOTE} } }`;

/**
 * The admin API end to end: its own host and schema, admin tokens, the seller's answer to
 * quotes and the fulfilment of orders. Quotes and orders are seeded with SQL (the storefront
 * flows that create them are tested on their own).
 */
describe('admin API (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let token: string;
  const ids: Record<string, { tenant: string; company: string; user: string; email: string }> = {};
  let variants: Array<{ id: number; sku: string }>;
  let seq = 0;

  const sql = <T = Row>(text: string, params: unknown[] = []) =>
    api.app.get(TenantDb).maintenance((em) => em.query(text, params) as Promise<T[]>);
  const post = (host: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    httpRequest(api.port, {
      host,
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  async function admin<T>(query: string, variables: Row = {}, bearer: string | null = token) {
    const res = await post(
      ADMIN,
      '/admin/graphql',
      { query, variables },
      bearer ? { authorization: `Bearer ${bearer}` } : {},
    );
    return { status: res.status, ...(res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>) };
  }
  const code = (res: { errors?: GraphQLResult['errors'] }) => res.errors?.[0]?.extensions?.code;

  async function seedQuote(
    slug: string,
    lines: Array<{ sku: string; quantity: number }>,
    options: { status?: string; anonymous?: boolean; createdAt?: string } = {},
  ): Promise<{ id: string; number: string }> {
    const t = ids[slug];
    const number = `Q2099-${String(++seq).padStart(6, '0')}`;
    const [q] = await sql<{ id: string }>(
      `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, status, currency, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'EUR', $7) RETURNING id`,
      [
        t.tenant,
        number,
        options.anonymous ? null : t.company,
        options.anonymous ? null : t.user,
        options.anonymous ? 'prospect@example.com' : t.email,
        options.status ?? 'REQUESTED',
        options.createdAt ?? new Date().toISOString(),
      ],
    );
    for (const [i, l] of lines.entries())
      await sql(
        `INSERT INTO quote_line (tenant_id, quote_id, line_no, sku, name, quantity) VALUES ($1, $2, $3, $4, $4, $5)`,
        [t.tenant, q.id, i + 1, l.sku, l.quantity],
      );
    return { id: q.id, number };
  }

  async function seedOrder(
    slug: string,
    options: {
      status?: string;
      creditMinor?: number;
      createdAt?: string;
      number?: string;
      lines?: Array<{ variant: number; sku: string; quantity: number }>;
    } = {},
  ): Promise<{ id: string; number: string }> {
    const t = ids[slug];
    const number = options.number ?? `ADM-${String(++seq).padStart(5, '0')}`;
    const lines = options.lines ?? [{ variant: variants[0].id, sku: variants[0].sku, quantity: 1 }];
    const net = lines.reduce((s, l) => s + l.quantity * 1000, 0);
    const [o] = await sql<{ id: string }>(
      `INSERT INTO customer_order (tenant_id, number, company_id, placed_by, status, ship_to, currency,
         subtotal_minor, shipping_minor, tax_minor, total_minor, vat, credit_reserved_minor, created_at)
       VALUES ($1, $2, $3, $4, $5, '{"name":"Bouwplaats","street":"Dorpsstraat 1","postalCode":"1234 AB","city":"Utrecht","country":"NL"}',
         'EUR', $6, 0, $7, $6::bigint + $7::bigint, $8, $9, $10) RETURNING id`,
      [
        t.tenant,
        number,
        t.company,
        t.user,
        options.status ?? 'PLACED',
        net,
        Math.round(net * 0.21),
        JSON.stringify({
          rates: [{ rate: '21.00', netMinor: net, taxMinor: Math.round(net * 0.21) }],
          note: null,
        }),
        options.creditMinor ?? 0,
        options.createdAt ?? new Date().toISOString(),
      ],
    );
    for (const [i, l] of lines.entries())
      await sql(
        `INSERT INTO order_line (tenant_id, order_id, line_no, variant_id, sku, name, quantity, unit_minor,
           price_source, net_minor, tax_rate, tax_minor)
         VALUES ($1, $2, $3, $4, $5, $5, $6, 1000, 'CONTRACT', $6::int * 1000, 21, $6::int * 210)`,
        [t.tenant, o.id, i + 1, l.variant, l.sku, l.quantity],
      );
    if (options.creditMinor)
      await sql(`UPDATE company SET credit_used_minor = credit_used_minor + $2 WHERE id = $1`, [
        t.company,
        options.creditMinor,
      ]);
    return { id: o.id, number };
  }

  const outbox = (tenantSlug: string, template: string) =>
    sql<{
      dedupe_key: string;
      payload: { template: string; to: string[]; locale: string; data: Row };
    }>(
      `SELECT e.dedupe_key, e.payload FROM outbox_event e JOIN tenant t ON t.id = e.tenant_id
        WHERE t.slug = $1 AND e.topic = 'mail' AND e.payload->>'template' = $2 ORDER BY e.id`,
      [tenantSlug, template],
    );

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    token = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    for (const slug of ['jansen-bouw', 'zorggroep-noord', 'vitrine-shop']) {
      // The key account's company (the public shop has none: one is made for its orders).
      const [row] = await sql<{ tenant: string; company: string }>(
        `INSERT INTO company (tenant_id, code, name, country)
         SELECT id, 'admin-test', 'Admin Test BV', 'NL' FROM tenant WHERE slug = $1
         ON CONFLICT (tenant_id, code) DO NOTHING`,
        [slug],
      ).then(() =>
        sql<{ tenant: string; company: string }>(
          `SELECT t.id AS tenant, c.id AS company FROM tenant t JOIN company c ON c.tenant_id = t.id
            WHERE t.slug = $1 ORDER BY c.code = t.slug DESC, c.code LIMIT 1`,
          [slug],
        ),
      );
      const email = `admin-test@${slug}.example`;
      const [user] = await sql<{ id: string }>(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status) VALUES ($1, $2, $3, 'Test Buyer', '{BUYER}', 'ACTIVE') RETURNING id`,
        [row.tenant, row.company, email],
      );
      ids[slug] = { ...row, user: user.id, email };
    }
    variants = await sql<{ id: number; sku: string }>(
      `SELECT id, sku FROM variant ORDER BY id LIMIT 3`,
    );
    await sql(`UPDATE variant SET stock_on_hand = 100 WHERE id = ANY($1::int[])`, [
      variants.map((v) => v.id),
    ]);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  describe('host separation and tokens', () => {
    it('serves /admin/graphql on the admin host only, and nothing else there', async () => {
      const onTenant = await post(
        JANSEN,
        '/admin/graphql',
        { query: '{ quotes { edges { cursor } } }' },
        { authorization: `Bearer ${token}` },
      );
      expect([
        onTenant.status,
        onTenant.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0].extensions
          .code,
      ]).toEqual([404, 'NOT_FOUND']);
      const storefrontOnAdmin = await post(
        ADMIN,
        '/graphql',
        { query: '{ tenant { name } }' },
        { authorization: `Bearer ${token}` },
      );
      expect(storefrontOnAdmin.status).toBe(404);
      expect(storefrontOnAdmin.body).toContain('NOT_FOUND');
      expect((await httpRequest(api.port, { host: ADMIN, path: '/' })).status).toBe(404);
      expect((await httpRequest(api.port, { host: ADMIN, path: '/healthz' })).status).toBe(200);
      // The storefront still answers on its hosts.
      expect((await gql(api.port, 'vitrine-shop.localhost', '{ tenant { slug } }')).data).toEqual({
        tenant: { slug: 'vitrine-shop' },
      });
    });

    it('refuses every admin request without a valid admin token with 401, introspection included', async () => {
      const none = await admin('{ quotes { edges { cursor } } }', {}, null);
      expect([none.status, code(none)]).toEqual([401, 'UNAUTHENTICATED']);
      expect(none.errors![0].message).toMatch(/admin token/);
      const introspection = await admin('{ __schema { types { name } } }', {}, null);
      expect(introspection.status).toBe(401);
      const garbage = await admin('{ quotes { edges { cursor } } }', {}, 'not.a.token');
      expect([garbage.status, code(garbage)]).toEqual([401, 'UNAUTHENTICATED']);
      const buyer = (await buyerHeaders(api, 'jansen-bouw')).authorization.slice('Bearer '.length);
      const asBuyer = await admin('{ quotes { edges { cursor } } }', {}, buyer);
      expect([asBuyer.status, code(asBuyer)]).toEqual([401, 'UNAUTHENTICATED']);
      expect(asBuyer.errors![0].message).toMatch(/not a valid admin token/);
    });

    it('refuses an expired admin token with a message that says so', async () => {
      const short = await api.app.get(AdminTokenService).sign('ops@seller.example', 1 / 3600);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await admin('{ quotes { edges { cursor } } }', {}, short.token);
      expect([res.status, code(res)]).toEqual([401, 'UNAUTHENTICATED']);
      expect(res.errors![0].message).toMatch(/expired/);
    });

    it('refuses an admin token on a microsite', async () => {
      const res = await gql(
        api.port,
        JANSEN,
        '{ tenant { name } }',
        {},
        { authorization: `Bearer ${token}` },
      );
      expect([res.status, res.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('signs only sensible tokens', async () => {
      const tokens = api.app.get(AdminTokenService);
      await expect(tokens.sign('', 1)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(tokens.sign('ops', 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(tokens.sign('ops', 10_000)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      // A bootstrap token (`vitrine admin token`): no account behind it, a super admin.
      await expect(tokens.verify((await tokens.sign('ops', 1)).token)).resolves.toEqual({
        subject: 'ops',
        roles: ['SUPER_ADMIN'],
      });
    });
  });

  describe('quotes', () => {
    it('offers prices for every line: OFFERED, prices and validity stored, the e-mail enqueued to the contact', async () => {
      const q = await seedQuote('jansen-bouw', [
        { sku: variants[0].sku, quantity: 10 },
        { sku: variants[1].sku, quantity: 5 },
      ]);
      const validUntil = new Date(Date.now() + 14 * 86_400_000).toISOString();
      const res = await admin<{ offerQuote: Quote }>(OFFER, {
        n: q.number,
        l: [
          { sku: variants[1].sku.toLowerCase(), unitPrice: '3' },
          { sku: variants[0].sku, unitPrice: '12.50' },
        ],
        v: validUntil,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.offerQuote).toMatchObject({
        number: q.number,
        status: 'OFFERED',
        tenantSlug: 'jansen-bouw',
        contactEmail: ids['jansen-bouw'].email,
        validUntil,
        lines: [
          {
            sku: variants[0].sku,
            quantity: 10,
            offeredUnitPrice: { amount: '12.50', currency: 'EUR' },
          },
          {
            sku: variants[1].sku,
            quantity: 5,
            offeredUnitPrice: { amount: '3.00', currency: 'EUR' },
          },
        ],
      });
      const stored = await sql(
        `SELECT line_no, offered_unit_minor::int AS p FROM quote_line WHERE quote_id = $1 ORDER BY line_no`,
        [q.id],
      );
      expect(stored).toEqual([
        { line_no: 1, p: 1250 },
        { line_no: 2, p: 300 },
      ]);
      const [row] = await sql<{ offered_at: Date | null }>(
        `SELECT offered_at FROM quote WHERE id = $1`,
        [q.id],
      );
      expect(row.offered_at).not.toBeNull();
      const mails = (await outbox('jansen-bouw', 'quote-offered')).filter((m) =>
        m.dedupe_key.includes(q.id),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0].payload).toMatchObject({
        template: 'quote-offered',
        to: [ids['jansen-bouw'].email],
        locale: 'nl',
        data: {
          quote: {
            number: q.number,
            status: 'OFFERED',
            lines: [{ offeredUnitPrice: '12.50' }, { offeredUnitPrice: '3.00' }],
          },
        },
      });

      // A re-offer replaces the prices and sends a new offer.
      const again = await admin<{ offerQuote: Quote }>(OFFER, {
        n: q.number,
        l: [
          { sku: variants[0].sku, unitPrice: '11' },
          { sku: variants[1].sku, unitPrice: '0' },
        ],
        v: validUntil,
      });
      expect(again.data!.offerQuote.lines.map((l) => l.offeredUnitPrice!.amount)).toEqual([
        '11.00',
        '0.00',
      ]);
      expect(
        (await outbox('jansen-bouw', 'quote-offered')).filter((m) => m.dedupe_key.includes(q.id)),
      ).toHaveLength(2);
    });

    it('refuses a bad offer with a clear code and writes nothing', async () => {
      const q = await seedQuote('zorggroep-noord', [
        { sku: variants[0].sku, quantity: 1 },
        { sku: variants[1].sku, quantity: 2 },
      ]);
      const v = new Date(Date.now() + 86_400_000).toISOString();
      const both = (a: string, b: string) => [
        { sku: variants[0].sku, unitPrice: a },
        { sku: variants[1].sku, unitPrice: b },
      ];
      const cases: Array<[string, Row, string, RegExp | Row]> = [
        ['unknown number', { n: 'Q1999-000001', l: both('1', '1'), v }, 'NOT_FOUND', /no quote/],
        [
          'missing line',
          { n: q.number, l: both('1', '1').slice(0, 1), v },
          'BAD_USER_INPUT',
          { missingSkus: [variants[1].sku] },
        ],
        [
          'extra line',
          { n: q.number, l: [...both('1', '1'), { sku: variants[2].sku, unitPrice: '1' }], v },
          'BAD_USER_INPUT',
          { unknownSkus: [variants[2].sku] },
        ],
        [
          'repeated line',
          { n: q.number, l: [...both('1', '1'), { sku: variants[0].sku, unitPrice: '2' }], v },
          'BAD_USER_INPUT',
          { duplicateSkus: [variants[0].sku.toUpperCase()] },
        ],
        [
          'too many decimals',
          { n: q.number, l: both('1.005', '1'), v },
          'BAD_USER_INPUT',
          /not a valid EUR amount/,
        ],
        ['negative price', { n: q.number, l: both('1', '-1'), v }, 'BAD_USER_INPUT', /negative/],
        ['not a decimal', { n: q.number, l: both('1', 'abc'), v }, 'BAD_USER_INPUT', /Decimal/],
        [
          'validity in the past',
          { n: q.number, l: both('1', '1'), v: new Date(Date.now() - 1000).toISOString() },
          'BAD_USER_INPUT',
          /future/,
        ],
        ['no lines', { n: q.number, l: [], v }, 'BAD_USER_INPUT', /every line/],
      ];
      for (const [what, variables, expected, detail] of cases) {
        const res = await admin(OFFER, variables);
        expect([what, code(res)]).toEqual([what, expected]);
        if (detail instanceof RegExp) expect(res.errors![0].message).toMatch(detail);
        else expect(res.errors![0].extensions).toMatchObject(detail);
      }
      const [after] = await sql(`SELECT status, offered_at, valid_until FROM quote WHERE id = $1`, [
        q.id,
      ]);
      expect(after).toEqual({ status: 'REQUESTED', offered_at: null, valid_until: null });
      expect(
        await sql(
          `SELECT 1 FROM quote_line WHERE quote_id = $1 AND offered_unit_minor IS NOT NULL`,
          [q.id],
        ),
      ).toEqual([]);
      expect(
        await sql(`SELECT 1 FROM outbox_event WHERE dedupe_key LIKE $1`, [`%${q.id}%`]),
      ).toEqual([]);

      for (const status of ['ACCEPTED', 'DECLINED', 'EXPIRED']) {
        const closed = await seedQuote('zorggroep-noord', [{ sku: variants[0].sku, quantity: 1 }], {
          status,
        });
        const res = await admin(OFFER, {
          n: closed.number,
          l: [{ sku: variants[0].sku, unitPrice: '1' }],
          v,
        });
        expect(code(res)).toBe('CONFLICT');
        expect(res.errors![0].message).toContain(status);
      }
    });

    it('lists every tenant’s quotes newest first, by status, page by page', async () => {
      const base = Date.parse('2030-01-01T00:00:00Z');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const slug = i % 2 ? 'vitrine-shop' : 'jansen-bouw';
        const q = await seedQuote(slug, [{ sku: variants[0].sku, quantity: 1 }], {
          anonymous: slug === 'vitrine-shop',
          // Two quotes share a timestamp: the cursor must still neither skip nor repeat.
          createdAt: new Date(base + Math.min(i, 3) * 1000).toISOString(),
        });
        made.push(q.number);
      }
      const seen: Quote[] = [];
      let after: string | null = null;
      for (let page = 0; page < 3; page++) {
        const res: {
          data?: {
            quotes: {
              edges: Array<{ cursor: string; node: Quote }>;
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          };
        } = await admin(
          `query($a: String) { quotes(status: REQUESTED, first: 2, after: $a) { edges { cursor node { ${QUOTE} } } pageInfo { hasNextPage endCursor } } }`,
          { a: after },
        );
        seen.push(...res.data!.quotes.edges.map((e) => e.node));
        after = res.data!.quotes.pageInfo.endCursor;
        if (page < 2) expect(res.data!.quotes.pageInfo.hasNextPage).toBe(true);
      }
      // The newest five REQUESTED quotes are these, newest first (ties: any order, each once).
      expect(new Set(seen.slice(0, 5).map((q) => q.number))).toEqual(new Set(made));
      expect([made[3], made[4]]).toContain(seen[0].number); // made[3] and made[4] tie
      expect(seen.every((q) => q.status === 'REQUESTED')).toBe(true);
      expect(new Set(seen.map((q) => q.number)).size).toBe(seen.length);
      const prospect = seen.find((q) => q.tenantSlug === 'vitrine-shop')!;
      expect(prospect).toMatchObject({ companyName: null, contactEmail: 'prospect@example.com' });
      const offered = await admin<{ quotes: { edges: Array<{ node: Quote }> } }>(
        `{ quotes(status: OFFERED) { edges { node { status } } } }`,
      );
      expect(offered.data!.quotes.edges.length).toBeGreaterThan(0);
      expect(offered.data!.quotes.edges.every((e) => e.node.status === 'OFFERED')).toBe(true);
      expect(code(await admin(`{ quotes(after: "nope") { edges { cursor } } }`))).toBe(
        'BAD_USER_INPUT',
      );
      expect(code(await admin(`{ quotes(first: 0) { edges { cursor } } }`))).toBe('BAD_USER_INPUT');
    });
  });

  describe('orders', () => {
    it('moves an order PLACED → CONFIRMED → SHIPPED → INVOICED, logging who did it and e-mailing the buyer', async () => {
      const o = await seedOrder('jansen-bouw');
      const confirm = await admin<{ setOrderStatus: Order }>(SET_STATUS, {
        t: 'jansen-bouw',
        n: o.number,
        s: 'CONFIRMED',
        note: 'Levering week 12',
      });
      expect(confirm.errors).toBeUndefined();
      expect(confirm.data!.setOrderStatus).toMatchObject({
        status: 'CONFIRMED',
        statusHistory: [
          { status: 'CONFIRMED', changedBy: 'ops@seller.example', note: 'Levering week 12' },
        ],
      });
      const noTracking = await admin(SET_STATUS, { t: 'jansen-bouw', n: o.number, s: 'SHIPPED' });
      expect(code(noTracking)).toBe('BAD_USER_INPUT');
      const badUrl = await admin(SET_STATUS, {
        t: 'jansen-bouw',
        n: o.number,
        s: 'SHIPPED',
        tr: { carrier: 'PostNL', code: '3S123', url: 'javascript:alert(1)' },
      });
      expect(code(badUrl)).toBe('BAD_USER_INPUT');
      const shipped = await admin<{ setOrderStatus: Order }>(SET_STATUS, {
        t: 'jansen-bouw',
        n: o.number,
        s: 'SHIPPED',
        tr: { carrier: 'PostNL', code: '3S123', url: 'https://postnl.example/3S123' },
      });
      expect(shipped.data!.setOrderStatus.tracking).toEqual({
        carrier: 'PostNL',
        code: '3S123',
        url: 'https://postnl.example/3S123',
      });
      expect(code(await admin(SET_STATUS, { t: 'jansen-bouw', n: o.number, s: 'INVOICED' }))).toBe(
        'BAD_USER_INPUT',
      );
      const invoiced = await admin<{ setOrderStatus: Order }>(SET_STATUS, {
        t: 'jansen-bouw',
        n: o.number,
        s: 'INVOICED',
        i: 'F2026-0042',
      });
      expect(invoiced.data!.setOrderStatus).toMatchObject({
        status: 'INVOICED',
        invoiceNumber: 'F2026-0042',
        tracking: { carrier: 'PostNL' },
      });
      expect(invoiced.data!.setOrderStatus.statusHistory.map((h) => h.status)).toEqual([
        'CONFIRMED',
        'SHIPPED',
        'INVOICED',
      ]);
      const mails = (await outbox('jansen-bouw', 'order-status')).filter((m) =>
        m.dedupe_key.includes(o.id),
      );
      expect(mails.map((m) => m.dedupe_key)).toEqual(
        ['CONFIRMED', 'SHIPPED', 'INVOICED'].map((s) => `order-status:${o.id}:${s}`),
      );
      for (const m of mails)
        expect(m.payload).toMatchObject({
          to: [ids['jansen-bouw'].email],
          locale: 'nl',
          data: { order: { number: o.number } },
        });
      expect(mails[1].payload.data).toMatchObject({
        order: { status: 'SHIPPED' },
        tracking: { code: '3S123' },
      });
      const [row] = await sql<{ updated_at: Date; created_at: Date }>(
        `SELECT updated_at, created_at FROM customer_order WHERE id = $1`,
        [o.id],
      );
      expect(row.updated_at.getTime()).toBeGreaterThanOrEqual(row.created_at.getTime());
    });

    it('refuses a transition that is not allowed, naming the status and the next ones, and writes nothing', async () => {
      const o = await seedOrder('jansen-bouw');
      const before = await sql(`SELECT status, updated_at FROM customer_order WHERE id = $1`, [
        o.id,
      ]);
      const res = await admin(SET_STATUS, {
        t: 'jansen-bouw',
        n: o.number,
        s: 'SHIPPED',
        tr: { carrier: 'DHL', code: 'X' },
      });
      expect(code(res)).toBe('CONFLICT');
      expect(res.errors![0].message).toBe(
        `Order ${o.number} is PLACED; it can go to CONFIRMED or CANCELLED only, not SHIPPED.`,
      );
      expect(res.errors![0].extensions).toMatchObject({
        currentStatus: 'PLACED',
        allowedStatuses: ['CONFIRMED', 'CANCELLED'],
      });
      for (const s of ['PLACED', 'PENDING_APPROVAL', 'REJECTED'])
        expect(code(await admin(SET_STATUS, { t: 'jansen-bouw', n: o.number, s }))).toBe(
          'CONFLICT',
        );
      expect(
        await sql(`SELECT status, updated_at FROM customer_order WHERE id = $1`, [o.id]),
      ).toEqual(before);
      expect(await sql(`SELECT 1 FROM order_status_change WHERE order_id = $1`, [o.id])).toEqual(
        [],
      );
      expect(
        await sql(`SELECT 1 FROM outbox_event WHERE dedupe_key LIKE $1`, [`%${o.id}%`]),
      ).toEqual([]);
    });

    it('cancels an order and releases its stock and credit exactly once', async () => {
      const stock = async () =>
        (
          await sql<{ s: number }>(
            `SELECT stock_on_hand AS s FROM variant WHERE id = ANY($1::int[]) ORDER BY id`,
            [[variants[0].id, variants[1].id]],
          )
        ).map((r) => r.s);
      const credit = async () =>
        Number(
          (
            await sql<{ c: string }>(`SELECT credit_used_minor AS c FROM company WHERE id = $1`, [
              ids['zorggroep-noord'].company,
            ])
          )[0].c,
        );
      const o = await seedOrder('zorggroep-noord', {
        status: 'CONFIRMED',
        creditMinor: 4321,
        lines: [
          { variant: variants[0].id, sku: variants[0].sku, quantity: 3 },
          { variant: variants[1].id, sku: variants[1].sku, quantity: 2 },
          { variant: variants[0].id, sku: variants[0].sku, quantity: 1 },
        ],
      });
      const [stockBefore, creditBefore] = [await stock(), await credit()];
      const res = await admin<{ setOrderStatus: Order }>(SET_STATUS, {
        t: 'zorggroep-noord',
        n: o.number,
        s: 'CANCELLED',
        note: 'Klant annuleert',
      });
      expect(res.data!.setOrderStatus.status).toBe('CANCELLED');
      expect(await stock()).toEqual([stockBefore[0] + 4, stockBefore[1] + 2]);
      expect(await credit()).toBe(creditBefore - 4321);
      expect(
        await sql(`SELECT credit_reserved_minor::int AS c FROM customer_order WHERE id = $1`, [
          o.id,
        ]),
      ).toEqual([{ c: 0 }]);
      const twice = await admin(SET_STATUS, { t: 'zorggroep-noord', n: o.number, s: 'CANCELLED' });
      expect(code(twice)).toBe('CONFLICT');
      expect(twice.errors![0].message).toContain('CANCELLED');
      expect(await stock()).toEqual([stockBefore[0] + 4, stockBefore[1] + 2]);
      expect(await credit()).toBe(creditBefore - 4321);
      const pending = await seedOrder('zorggroep-noord', { status: 'PENDING_APPROVAL' });
      expect(
        (
          await admin<{ setOrderStatus: Order }>(SET_STATUS, {
            t: 'zorggroep-noord',
            n: pending.number,
            s: 'CANCELLED',
          })
        ).data!.setOrderStatus.status,
      ).toBe('CANCELLED');
      const shipped = await seedOrder('zorggroep-noord', { status: 'SHIPPED' });
      expect(
        code(await admin(SET_STATUS, { t: 'zorggroep-noord', n: shipped.number, s: 'CANCELLED' })),
      ).toBe('CONFLICT');
    });

    it("addresses an order by tenant and number: another tenant's slug does not reach it", async () => {
      const number = 'SAME-0001';
      const a = await seedOrder('jansen-bouw', { number });
      const onlyA = await seedOrder('jansen-bouw');
      await seedOrder('zorggroep-noord', { number, status: 'CONFIRMED' });
      const read = await admin<{ order: Order | null }>(
        `query($t: String!, $n: String!) { order(tenant: $t, number: $n) { ${ORDER} } }`,
        { t: 'jansen-bouw', n: number },
      );
      expect(read.data!.order).toMatchObject({
        tenantSlug: 'jansen-bouw',
        status: 'PLACED',
        company: { code: 'jansen-bouw' },
        total: { amount: '12.10' },
      });
      const other = await admin<{ order: Order | null }>(
        `query($t: String!, $n: String!) { order(tenant: $t, number: $n) { status } }`,
        { t: 'zorggroep-noord', n: onlyA.number },
      );
      expect(other.data!.order).toBeNull();
      const cross = await admin(SET_STATUS, {
        t: 'zorggroep-noord',
        n: onlyA.number,
        s: 'CONFIRMED',
      });
      expect(code(cross)).toBe('NOT_FOUND');
      expect(await sql(`SELECT status FROM customer_order WHERE id = $1`, [onlyA.id])).toEqual([
        { status: 'PLACED' },
      ]);
      // The same number in the other tenant changes that tenant's order only.
      await admin(SET_STATUS, {
        t: 'zorggroep-noord',
        n: number,
        s: 'SHIPPED',
        tr: { carrier: 'DHL', code: 'Z1' },
      });
      expect(await sql(`SELECT status FROM customer_order WHERE id = $1`, [a.id])).toEqual([
        { status: 'PLACED' },
      ]);
      expect(
        code(await admin(SET_STATUS, { t: 'no-such-tenant', n: number, s: 'CONFIRMED' })),
      ).toBe('NOT_FOUND');
      expect(code(await admin(`{ order(tenant: "no-such-tenant", number: "X") { status } }`))).toBe(
        'NOT_FOUND',
      );
    });

    it('lists orders of one tenant or all, by status, page by page', async () => {
      const base = Date.parse('2031-01-01T00:00:00Z');
      const made: string[] = [];
      for (let i = 0; i < 5; i++)
        made.push(
          (
            await seedOrder('vitrine-shop', {
              createdAt: new Date(base + Math.min(i, 3) * 1000).toISOString(),
            })
          ).number,
        );
      const page = (variables: Row) =>
        admin<{
          orders: {
            edges: Array<{ node: Order }>;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        }>(
          `query($t: String, $s: OrderStatus, $f: Int, $a: String) { orders(tenant: $t, status: $s, first: $f, after: $a) { edges { node { number status tenantSlug } } pageInfo { hasNextPage endCursor } } }`,
          variables,
        );
      const seen: string[] = [];
      let after: string | null = null;
      let more = true;
      while (more) {
        const res = await page({ t: 'vitrine-shop', f: 2, a: after });
        expect(res.errors).toBeUndefined();
        expect(res.data!.orders.edges.every((e) => e.node.tenantSlug === 'vitrine-shop')).toBe(
          true,
        );
        seen.push(...res.data!.orders.edges.map((e) => e.node.number));
        ({ hasNextPage: more, endCursor: after } = res.data!.orders.pageInfo);
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen)).toEqual(new Set(made));
      expect([made[3], made[4]]).toContain(seen[0]); // made[3] and made[4] tie
      const all = await page({ f: 100 });
      expect(new Set(all.data!.orders.edges.map((e) => e.node.tenantSlug))).toEqual(
        new Set(['jansen-bouw', 'zorggroep-noord', 'vitrine-shop']),
      );
      const cancelled = await page({ s: 'CANCELLED', f: 100 });
      expect(cancelled.data!.orders.edges.length).toBeGreaterThan(0);
      expect(cancelled.data!.orders.edges.every((e) => e.node.status === 'CANCELLED')).toBe(true);
      expect(code(await page({ t: 'no-such-tenant' }))).toBe('NOT_FOUND');
      expect(code(await page({ f: 1000 }))).toBe('BAD_USER_INPUT');
    });
  });
});
