import { ADMIN_LOGIN_LIMITS, AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { TenantDb } from '@vitrine/database';
import { gql, httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';
const PASSWORD = 'correct horse battery staple';

type Row = Record<string, unknown>;
type AuditNode = {
  actor: string;
  actorEmail: string | null;
  action: string;
  tenantSlug: string | null;
  target: string | null;
  before: string | null;
  after: string | null;
  outcome: string;
  reason: string | null;
};
const AUDIT = `query($t: String, $a: String, $f: Int, $after: String) {
  auditLog(tenant: $t, actor: $a, first: $f, after: $after) {
    edges { cursor node { actor actorEmail action tenantSlug target before after outcome reason } }
    pageInfo { hasNextPage endCursor } } }`;
const LOGIN = `mutation($e: String!, $p: String!) {
  adminLogin(email: $e, password: $p) { token expiresAt admin { id email name roles status tenants } } }`;
const SET_STATUS = `mutation($t: String!, $n: String!, $s: OrderStatus!) {
  setOrderStatus(tenant: $t, number: $n, status: $s) { number status tenantSlug } }`;
const OFFER = `mutation($n: String!, $l: [QuoteOfferLineInput!]!, $v: DateTime!) {
  offerQuote(number: $n, lines: $l, validUntil: $v) { number status tenantSlug } }`;

/**
 * Admin accounts end to end: sign-in (adminLogin) with its rate limits, roles and tenant
 * assignments read per request, the policy on quotes and orders, and the audit log of changes
 * and refused attempts. Quotes and orders are seeded with SQL.
 */
describe('admin accounts, roles and audit log (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let bootstrap: string;
  let accounts: AdminAccountService;
  const tenants: Record<string, { tenant: string; company: string; user: string }> = {};
  let variant: { id: number; sku: string };
  let seq = 0;

  const sql = <T = Row>(text: string, params: unknown[] = []) =>
    api.app.get(TenantDb).maintenance((em) => em.query(text, params) as Promise<T[]>);
  async function admin<T = Row>(query: string, variables: Row = {}, bearer: string | null) {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...(res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>) };
  }
  const code = (res: { errors?: GraphQLResult['errors'] }) => res.errors?.[0]?.extensions?.code;

  async function createAdmin(
    email: string,
    roles: string[],
    tenantSlugs: string[] = [],
  ): Promise<{ id: string; token: string }> {
    const { admin: a } = await accounts.create('test', {
      email,
      name: email.split('@')[0],
      roles,
      tenants: tenantSlugs,
      password: PASSWORD,
    });
    const res = await admin<{ adminLogin: { token: string } }>(
      LOGIN,
      { e: email, p: PASSWORD },
      null,
    );
    expect(res.errors).toBeUndefined();
    return { id: a.id, token: res.data!.adminLogin.token };
  }

  async function seedQuote(slug: string): Promise<string> {
    const t = tenants[slug];
    const number = `Q2098-${String(++seq).padStart(6, '0')}`;
    const [q] = await sql<{ id: string }>(
      `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, status, currency)
       VALUES ($1, $2, $3, $4, 'buyer@example.com', 'REQUESTED', 'EUR') RETURNING id`,
      [t.tenant, number, t.company, t.user],
    );
    await sql(
      `INSERT INTO quote_line (tenant_id, quote_id, line_no, sku, name, quantity) VALUES ($1, $2, 1, $3, $3, 4)`,
      [t.tenant, q.id, variant.sku],
    );
    return number;
  }

  async function seedOrder(slug: string): Promise<string> {
    const t = tenants[slug];
    const number = `ACC-${String(++seq).padStart(5, '0')}`;
    const [o] = await sql<{ id: string }>(
      `INSERT INTO customer_order (tenant_id, number, company_id, placed_by, status, ship_to, currency,
         subtotal_minor, shipping_minor, tax_minor, total_minor, vat, credit_reserved_minor)
       VALUES ($1, $2, $3, $4, 'PLACED', '{"name":"X","street":"Y 1","postalCode":"1234 AB","city":"Utrecht","country":"NL"}',
         'EUR', 1000, 0, 210, 1210, '{"rates":[{"rate":"21.00","netMinor":1000,"taxMinor":210}],"note":null}', 0)
       RETURNING id`,
      [t.tenant, number, t.company, t.user],
    );
    await sql(
      `INSERT INTO order_line (tenant_id, order_id, line_no, variant_id, sku, name, quantity, unit_minor,
         price_source, net_minor, tax_rate, tax_minor)
       VALUES ($1, $2, 1, $3, $4, $4, 1, 1000, 'CONTRACT', 1000, 21, 210)`,
      [t.tenant, o.id, variant.id, variant.sku],
    );
    return number;
  }

  const auditRows = (action: string, target: string) =>
    sql<{
      actor: string;
      tenant_id: string | null;
      before: Row | null;
      after: Row | null;
      outcome: string;
      reason: string | null;
    }>(
      `SELECT actor, tenant_id, before, after, outcome, reason FROM audit_log
        WHERE action = $1 AND target = $2 ORDER BY id`,
      [action, target],
    );

  beforeAll(async () => {
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    accounts = api.app.get(AdminAccountService);
    bootstrap = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    for (const slug of ['jansen-bouw', 'zorggroep-noord']) {
      await sql(
        `INSERT INTO company (tenant_id, code, name, country)
         SELECT id, 'acc-test', 'Accounts Test BV', 'NL' FROM tenant WHERE slug = $1`,
        [slug],
      );
      const [row] = await sql<{ tenant: string; company: string }>(
        `SELECT t.id AS tenant, c.id AS company FROM tenant t JOIN company c ON c.tenant_id = t.id
          WHERE t.slug = $1 AND c.code = 'acc-test'`,
        [slug],
      );
      const [user] = await sql<{ id: string }>(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status)
         VALUES ($1, $2, $3, 'Buyer', '{BUYER}', 'ACTIVE') RETURNING id`,
        [row.tenant, row.company, `acc-test@${slug}.example`],
      );
      tenants[slug] = { ...row, user: user.id };
    }
    [variant] = await sql<{ id: number; sku: string }>(
      `SELECT id, sku FROM variant ORDER BY id LIMIT 1`,
    );
    await sql(`UPDATE variant SET stock_on_hand = 100 WHERE id = $1`, [variant.id]);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  describe('signing in', () => {
    it('signs an admin in with e-mail and password, without a token, and the token works', async () => {
      const { admin: created } = await accounts.create('test', {
        email: 'Anna@Seller.example',
        name: 'Anna',
        roles: ['ACCOUNT_MANAGER'],
        tenants: ['jansen-bouw'],
        password: PASSWORD,
      });
      expect(created).toMatchObject({ email: 'anna@seller.example', tenants: ['jansen-bouw'] });
      const res = await admin<{
        adminLogin: { token: string; expiresAt: string; admin: Row };
      }>(LOGIN, { e: ' ANNA@seller.example ', p: PASSWORD }, null);
      expect(res.errors).toBeUndefined();
      expect(res.data!.adminLogin.admin).toEqual({
        id: created.id,
        email: 'anna@seller.example',
        name: 'Anna',
        roles: ['ACCOUNT_MANAGER'],
        status: 'ACTIVE',
        tenants: ['jansen-bouw'],
      });
      expect(new Date(res.data!.adminLogin.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const me = await admin(`{ quotes { edges { cursor } } }`, {}, res.data!.adminLogin.token);
      expect([me.status, me.errors]).toEqual([200, undefined]);
    });

    it('answers a wrong password, an unknown e-mail and a deactivated account alike, and logs the attempts', async () => {
      await createAdmin('bert@seller.example', ['SUPER_ADMIN']);
      const wrong = await admin(
        LOGIN,
        { e: 'bert@seller.example', p: 'not the password at all' },
        null,
      );
      const unknown = await admin(LOGIN, { e: 'nobody@seller.example', p: PASSWORD }, null);
      expect([code(wrong), code(unknown)]).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
      expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
      expect(wrong.data ?? null).toBeNull();
      expect(
        (await auditRows('admin.login', 'bert@seller.example')).map((r) => [r.outcome, r.reason]),
      ).toEqual([['REFUSED', 'wrong password']]);
      expect((await auditRows('admin.login', 'nobody@seller.example'))[0]).toMatchObject({
        outcome: 'REFUSED',
        reason: 'unknown e-mail',
      });
    });

    it('lets nothing but adminLogin through without a token', async () => {
      for (const query of [
        `mutation { adminLogin(email: "x@y.z", password: "p") { token } setOrderStatus(tenant: "jansen-bouw", number: "1", status: CONFIRMED) { number } }`,
        `{ __schema { types { name } } }`,
        `query { quotes { edges { cursor } } }`,
        `mutation A { adminLogin(email: "x@y.z", password: "p") { token } } mutation B { offerQuote(number: "Q", lines: [], validUntil: "2099-01-01T00:00:00Z") { number } }`,
      ]) {
        const res = await admin(query, {}, null);
        expect([query, res.status, code(res)]).toEqual([query, 401, 'UNAUTHENTICATED']);
      }
    });

    it('stops a deactivated admin’s token at once and refuses their sign-in', async () => {
      const { id, token } = await createAdmin('carla@seller.example', ['SUPER_ADMIN']);
      expect((await admin(`{ quotes { edges { cursor } } }`, {}, token)).status).toBe(200);
      await accounts.setStatus('test', id, 'DEACTIVATED');
      const after = await admin(`{ quotes { edges { cursor } } }`, {}, token);
      expect([after.status, code(after)]).toEqual([401, 'UNAUTHENTICATED']);
      expect(after.errors![0].message).toMatch(/deactivated/);
      const login = await admin(LOGIN, { e: 'carla@seller.example', p: PASSWORD }, null);
      expect(code(login)).toBe('UNAUTHENTICATED');
      const [status] = await auditRows('admin.status', 'carla@seller.example');
      expect([status.before?.status, status.after?.status]).toEqual(['ACTIVE', 'DEACTIVATED']);
    });

    it('refuses an adminLogin token on a microsite, and adminLogin is not served there', async () => {
      const { token } = await createAdmin('dirk@seller.example', ['SUPER_ADMIN']);
      const onSite = await gql(
        api.port,
        JANSEN,
        '{ tenant { name } }',
        {},
        { authorization: `Bearer ${token}` },
      );
      expect([onSite.status, onSite.errors?.[0]?.extensions?.code]).toEqual([
        401,
        'UNAUTHENTICATED',
      ]);
      const loginOnSite = await gql(api.port, JANSEN, LOGIN, {
        e: 'dirk@seller.example',
        p: PASSWORD,
      });
      expect(loginOnSite.data ?? null).toBeNull();
      expect(loginOnSite.errors?.[0]?.message).toMatch(/adminLogin/);
      const adminPathOnSite = await httpRequest(api.port, {
        host: JANSEN,
        method: 'POST',
        path: '/admin/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ quotes { edges { cursor } } }' }),
      });
      expect(adminPathOnSite.status).toBe(404);
    });

    it('limits sign-in attempts per account, even with the right password afterwards', async () => {
      await createAdmin('eva@seller.example', ['SUPER_ADMIN']); // one attempt, successful
      const codes: unknown[] = [];
      for (let i = 1; i < ADMIN_LOGIN_LIMITS.perAccount; i++)
        codes.push(
          code(await admin(LOGIN, { e: 'eva@seller.example', p: 'wrong password here' }, null)),
        );
      expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED']));
      const limited = await admin(LOGIN, { e: 'EVA@seller.example', p: PASSWORD }, null);
      expect(code(limited)).toBe('RATE_LIMITED');
      expect(limited.errors![0].message).toMatch(/Too many sign-in attempts/);
    });
  });

  describe('roles and tenants', () => {
    let manager: { id: string; token: string };
    let catalog: { id: string; token: string };
    let superAdmin: { id: string; token: string };

    beforeAll(async () => {
      manager = await createAdmin('frank@seller.example', ['ACCOUNT_MANAGER'], ['jansen-bouw']);
      catalog = await createAdmin('gina@seller.example', ['CATALOG_MANAGER']);
      superAdmin = await createAdmin('hugo@seller.example', ['SUPER_ADMIN']);
    });

    it('lists an account manager’s tenants’ quotes and orders only; a super admin sees all', async () => {
      const jq = await seedQuote('jansen-bouw');
      const zq = await seedQuote('zorggroep-noord');
      const jo = await seedOrder('jansen-bouw');
      const zo = await seedOrder('zorggroep-noord');
      const numbers = async (token: string) => {
        const q = await admin<{
          quotes: { edges: Array<{ node: { number: string; tenantSlug: string } }> };
        }>(`{ quotes(first: 100) { edges { node { number tenantSlug } } } }`, {}, token);
        const o = await admin<{
          orders: { edges: Array<{ node: { number: string; tenantSlug: string } }> };
        }>(`{ orders(first: 100) { edges { node { number tenantSlug } } } }`, {}, token);
        expect([q.errors, o.errors]).toEqual([undefined, undefined]);
        return {
          quotes: q.data!.quotes.edges.map((e) => e.node),
          orders: o.data!.orders.edges.map((e) => e.node),
        };
      };
      const mine = await numbers(manager.token);
      expect(mine.quotes.map((q) => q.number)).toContain(jq);
      expect(mine.orders.map((o) => o.number)).toContain(jo);
      expect(new Set([...mine.quotes, ...mine.orders].map((n) => n.tenantSlug))).toEqual(
        new Set(['jansen-bouw']),
      );
      const all = await numbers(superAdmin.token);
      expect(all.quotes.map((q) => q.number)).toEqual(expect.arrayContaining([jq, zq]));
      expect(all.orders.map((o) => o.number)).toEqual(expect.arrayContaining([jo, zo]));
    });

    it('refuses an account manager an unassigned tenant’s order (FORBIDDEN, nothing changed, the attempt logged)', async () => {
      const number = await seedOrder('zorggroep-noord');
      const set = await admin(
        SET_STATUS,
        { t: 'zorggroep-noord', n: number, s: 'CONFIRMED' },
        manager.token,
      );
      expect(code(set)).toBe('FORBIDDEN');
      expect(set.errors![0].message).toMatch(/not assigned to you/);
      const [order] = await sql<{ status: string }>(
        `SELECT status FROM customer_order WHERE number = $1`,
        [number],
      );
      expect(order.status).toBe('PLACED');
      expect(await auditRows('order.status', `zorggroep-noord/${number}`)).toEqual([
        {
          actor: manager.id,
          tenant_id: tenants['zorggroep-noord'].tenant,
          before: null,
          after: null,
          outcome: 'REFUSED',
          reason: expect.stringMatching(/^FORBIDDEN: .*not assigned to you/),
        },
      ]);
      const read = await admin(
        `query($n: String!) { order(tenant: "zorggroep-noord", number: $n) { number } }`,
        { n: number },
        manager.token,
      );
      expect(code(read)).toBe('FORBIDDEN');
      expect((await auditRows('order.read', number))[0]).toMatchObject({
        outcome: 'REFUSED',
        actor: manager.id,
      });
      const list = await admin(
        `{ orders(tenant: "zorggroep-noord") { edges { cursor } } }`,
        {},
        manager.token,
      );
      expect(code(list)).toBe('FORBIDDEN');
      // Their own tenant's order is theirs to move on.
      const own = await seedOrder('jansen-bouw');
      const ok = await admin(
        SET_STATUS,
        { t: 'jansen-bouw', n: own, s: 'CONFIRMED' },
        manager.token,
      );
      expect([ok.errors, (ok.data as Row).setOrderStatus]).toEqual([
        undefined,
        { number: own, status: 'CONFIRMED', tenantSlug: 'jansen-bouw' },
      ]);
    });

    it('refuses an account manager an unassigned tenant’s quote offer, and logs it', async () => {
      const number = await seedQuote('zorggroep-noord');
      const res = await admin(
        OFFER,
        {
          n: number,
          l: [{ sku: variant.sku, unitPrice: '9.99' }],
          v: new Date(Date.now() + 86_400_000).toISOString(),
        },
        manager.token,
      );
      expect(code(res)).toBe('FORBIDDEN');
      const [quote] = await sql<{ status: string }>(`SELECT status FROM quote WHERE number = $1`, [
        number,
      ]);
      expect(quote.status).toBe('REQUESTED');
      expect(await auditRows('quote.offer', number)).toEqual([
        expect.objectContaining({
          outcome: 'REFUSED',
          actor: manager.id,
          tenant_id: tenants['zorggroep-noord'].tenant,
        }),
      ]);
    });

    it('counts a changed tenant assignment at once, with the same token', async () => {
      const number = await seedOrder('zorggroep-noord');
      const query = `query($n: String!) { order(tenant: "zorggroep-noord", number: $n) { number } }`;
      expect(code(await admin(query, { n: number }, manager.token))).toBe('FORBIDDEN');
      await accounts.setTenants('test', manager.id, ['jansen-bouw', 'zorggroep-noord']);
      const now = await admin(query, { n: number }, manager.token);
      expect([now.errors, now.data]).toEqual([undefined, { order: { number } }]);
      await accounts.setTenants('test', manager.id, ['jansen-bouw']);
      expect(code(await admin(query, { n: number }, manager.token))).toBe('FORBIDDEN');
    });

    it('gives a catalog manager no quotes, orders or audit log', async () => {
      for (const query of [
        `{ quotes { edges { cursor } } }`,
        `{ orders { edges { cursor } } }`,
        `{ auditLog { edges { cursor } } }`,
      ]) {
        const res = await admin(query, {}, catalog.token);
        expect([query, code(res)]).toEqual([query, 'FORBIDDEN']);
      }
      const number = await seedOrder('jansen-bouw');
      expect(
        code(
          await admin(SET_STATUS, { t: 'jansen-bouw', n: number, s: 'CONFIRMED' }, catalog.token),
        ),
      ).toBe('FORBIDDEN');
    });

    it('records offerQuote and setOrderStatus with before and after, and refusals with the reason', async () => {
      const quote = await seedQuote('jansen-bouw');
      const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const offered = await admin(
        OFFER,
        { n: quote, l: [{ sku: variant.sku, unitPrice: '12.50' }], v: validUntil },
        superAdmin.token,
      );
      expect(offered.errors).toBeUndefined();
      const [q] = await auditRows('quote.offer', quote);
      expect(q).toMatchObject({
        actor: superAdmin.id,
        outcome: 'APPLIED',
        tenant_id: tenants['jansen-bouw'].tenant,
      });
      expect(q.before).toMatchObject({
        status: 'REQUESTED',
        lines: [{ sku: variant.sku, quantity: 4, offeredUnitPrice: null }],
      });
      expect(q.after).toMatchObject({
        status: 'OFFERED',
        lines: [{ sku: variant.sku, quantity: 4, offeredUnitPrice: '12.50' }],
      });

      const order = await seedOrder('jansen-bouw');
      expect(
        (await admin(SET_STATUS, { t: 'jansen-bouw', n: order, s: 'CONFIRMED' }, superAdmin.token))
          .errors,
      ).toBeUndefined();
      const conflict = await admin(
        SET_STATUS,
        { t: 'jansen-bouw', n: order, s: 'INVOICED' },
        superAdmin.token,
      );
      expect(code(conflict)).toBe('BAD_USER_INPUT'); // INVOICED needs an invoice number
      const rows = await auditRows('order.status', `jansen-bouw/${order}`);
      expect(
        rows.map((r) => [r.outcome, r.before?.status ?? null, r.after?.status ?? null]),
      ).toEqual([
        ['APPLIED', 'PLACED', 'CONFIRMED'],
        ['REFUSED', null, null],
      ]);
      expect(rows[1].reason).toMatch(/^BAD_USER_INPUT: /);

      // The same through the API, newest first, with the account's e-mail.
      const log = await admin<{ auditLog: { edges: Array<{ node: AuditNode }> } }>(
        AUDIT,
        { t: 'jansen-bouw', a: 'hugo@seller.example', f: 3 },
        superAdmin.token,
      );
      expect(log.errors).toBeUndefined();
      const nodes = log.data!.auditLog.edges.map((e) => e.node);
      expect(nodes.map((n) => [n.action, n.outcome, n.target])).toEqual([
        ['order.status', 'REFUSED', `jansen-bouw/${order}`],
        ['order.status', 'APPLIED', `jansen-bouw/${order}`],
        ['quote.offer', 'APPLIED', quote],
      ]);
      expect(nodes[1]).toMatchObject({
        actor: superAdmin.id,
        actorEmail: 'hugo@seller.example',
        tenantSlug: 'jansen-bouw',
      });
      expect(JSON.parse(nodes[1].before!)).toMatchObject({ status: 'PLACED' });
      expect(JSON.parse(nodes[1].after!)).toMatchObject({ status: 'CONFIRMED' });
    });

    it('shows an account manager the audit log of their tenants only; a super admin all of it', async () => {
      const theirs = await admin<{ auditLog: { edges: Array<{ node: AuditNode }> } }>(
        AUDIT,
        { f: 100 },
        manager.token,
      );
      expect(theirs.errors).toBeUndefined();
      const slugs = new Set(theirs.data!.auditLog.edges.map((e) => e.node.tenantSlug));
      expect(slugs).toEqual(new Set(['jansen-bouw']));
      expect(code(await admin(AUDIT, { t: 'zorggroep-noord' }, manager.token))).toBe('FORBIDDEN');

      const all = await admin<{
        auditLog: {
          edges: Array<{ cursor: string; node: AuditNode }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(AUDIT, { f: 2 }, superAdmin.token);
      expect(all.data!.auditLog.pageInfo.hasNextPage).toBe(true);
      const next = await admin<{ auditLog: { edges: Array<{ cursor: string }> } }>(
        AUDIT,
        { f: 2, after: all.data!.auditLog.pageInfo.endCursor },
        superAdmin.token,
      );
      const cursors = [...all.data!.auditLog.edges, ...next.data!.auditLog.edges].map(
        (e) => e.cursor,
      );
      expect(new Set(cursors).size).toBe(4);
      const everything = await admin<{ auditLog: { edges: Array<{ node: AuditNode }> } }>(
        AUDIT,
        { f: 100 },
        superAdmin.token,
      );
      const actions = new Set(everything.data!.auditLog.edges.map((e) => e.node.action));
      expect([...actions]).toEqual(
        expect.arrayContaining(['admin.create', 'admin.login', 'order.status', 'quote.offer']),
      );
      expect(code(await admin(AUDIT, { after: 'garbage' }, superAdmin.token))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('keeps the bootstrap token a super admin, recorded by its subject', async () => {
      const number = await seedOrder('zorggroep-noord');
      expect(
        (await admin(SET_STATUS, { t: 'zorggroep-noord', n: number, s: 'CONFIRMED' }, bootstrap))
          .errors,
      ).toBeUndefined();
      expect((await auditRows('order.status', `zorggroep-noord/${number}`))[0]).toMatchObject({
        actor: 'ops@seller.example',
        outcome: 'APPLIED',
      });
    });
  });

  describe('bad input on admin accounts', () => {
    it('refuses a duplicate e-mail, an unknown role or tenant, tenants for a non-manager, a short password', async () => {
      const base = { name: 'X', password: PASSWORD };
      await expect(
        accounts.create('test', { ...base, email: 'ANNA@seller.example', roles: ['SUPER_ADMIN'] }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(
        accounts.create('test', { ...base, email: 'i@seller.example', roles: ['ROOT'] }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(
        accounts.create('test', { ...base, email: 'i@seller.example', roles: [] }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(
        accounts.create('test', {
          ...base,
          email: 'i@seller.example',
          roles: ['ACCOUNT_MANAGER'],
          tenants: ['no-such-site'],
        }),
      ).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringMatching(/no-such-site/),
      });
      await expect(
        accounts.create('test', {
          ...base,
          email: 'i@seller.example',
          roles: ['CATALOG_MANAGER'],
          tenants: ['jansen-bouw'],
        }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(
        accounts.create('test', { ...base, email: 'not-an-email', roles: ['SUPER_ADMIN'] }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      await expect(
        accounts.create('test', {
          ...base,
          email: 'i@seller.example',
          roles: ['SUPER_ADMIN'],
          password: 'short',
        }),
      ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await sql(`SELECT 1 FROM admin_user WHERE email = 'i@seller.example'`)).toEqual([]);
      const generated = await accounts.create('test', {
        name: 'J',
        email: 'j@seller.example',
        roles: ['SUPER_ADMIN'],
      });
      expect(generated.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const login = await admin(LOGIN, { e: 'j@seller.example', p: generated.password }, null);
      expect(login.errors).toBeUndefined();
    });
  });

  describe('per client address', () => {
    it('limits sign-in attempts per client address across accounts', async () => {
      let limited: string | undefined;
      for (let i = 0; i <= ADMIN_LOGIN_LIMITS.perIp && !limited; i++) {
        const res = await admin(
          LOGIN,
          { e: `probe-${i}@seller.example`, p: 'wrong password here' },
          null,
        );
        if (code(res) === 'RATE_LIMITED') limited = res.errors![0].message;
      }
      expect(limited).toMatch(/Too many sign-in attempts/);
    });
  });
});
