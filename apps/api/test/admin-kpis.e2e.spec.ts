import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { TenantDb } from '@vitrine/database';
import { parseDecimal } from '@vitrine/pricing';
import { httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';

type Row = Record<string, unknown>;
type Money = { amount: string; currency: string };
type Bucket = { date: string; start: string; end: string; orderCount: number; revenue: Money };
type Kpis = {
  tenantSlug: string;
  from: string;
  to: string;
  timeZone: string;
  currency: string;
  granularity: 'DAY' | 'WEEK';
  orderCount: number;
  otherCurrencyOrderCount: number;
  revenue: Money;
  averageOrderValue: Money | null;
  repeatPurchaseRate: number | null;
  userRepeatPurchaseRate: number | null;
  orderingCompanies: number;
  repeatCompanies: number;
  orderingUsers: number;
  repeatUsers: number;
  quotesOffered: number;
  quotesAccepted: number;
  quoteConversionRate: number | null;
  ordersSubmitted: number;
  ordersNeedingApproval: number;
  approvalShare: number | null;
  series: Bucket[];
};
const KPIS = `query($s: String!, $f: DateTime!, $t: DateTime!) { tenantKpis(slug: $s, from: $f, to: $t) {
  tenantSlug from to timeZone currency granularity orderCount otherCurrencyOrderCount
  revenue { amount currency } averageOrderValue { amount currency }
  repeatPurchaseRate userRepeatPurchaseRate orderingCompanies repeatCompanies orderingUsers repeatUsers
  quotesOffered quotesAccepted quoteConversionRate ordersSubmitted ordersNeedingApproval approvalShare
  series { date start end orderCount revenue { amount currency } } } }`;

/**
 * tenantKpis end to end. Orders and quotes are seeded with SQL at chosen instants (in 2031, a
 * year no other seed touches) so that every KPI has one exact expected value; the demo tenants
 * are in Europe/Amsterdam.
 */
describe('admin API: tenant KPIs (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let token: string;
  /** Per tenant slug: tenant id; per "slug/code": company id; per "slug/name": user id. */
  const tenants: Record<string, string> = {};
  const companies: Record<string, string> = {};
  const users: Record<string, string> = {};
  let seq = 0;

  const sql = <T = Row>(text: string, params: unknown[] = []) =>
    api.app.get(TenantDb).maintenance((em) => em.query(text, params) as Promise<T[]>);

  async function kpis(slug: string, from: string, to: string, bearer: string | null = token) {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query: KPIS, variables: { s: slug, f: from, t: to } }),
    });
    const body = res.json<Omit<GraphQLResult<{ tenantKpis: Kpis }>, 'status' | 'headers'>>();
    return { status: res.status, ...body, code: body.errors?.[0]?.extensions?.code };
  }

  /**
   * An order with a status history. `net` is its value excluding VAT, split over lines and a
   * shipping charge so that revenue must be total − tax (not the subtotal, not the total).
   */
  async function order(
    slug: string,
    company: string,
    user: string,
    createdAt: string,
    net: number,
    history: string[],
    currency = 'EUR',
  ): Promise<void> {
    const shipping = net >= 1000 ? 500 : 0;
    const tax = Math.round(net * 0.21);
    const [o] = await sql<{ id: string }>(
      `INSERT INTO customer_order (tenant_id, number, company_id, placed_by, status, ship_to, currency,
         subtotal_minor, shipping_minor, tax_minor, total_minor, vat, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, '{"name":"Bouwplaats","street":"Dorpsstraat 1","postalCode":"1234 AB","city":"Utrecht","country":"NL"}',
         $6, $7, $8, $9, $10, '{"rates":[],"note":null}', $11, $11) RETURNING id`,
      [
        tenants[slug],
        `KPI-${String(++seq).padStart(5, '0')}`,
        companies[`${slug}/${company}`],
        users[`${slug}/${user}`],
        history[history.length - 1],
        currency,
        net - shipping,
        shipping,
        tax,
        net + tax,
        createdAt,
      ],
    );
    for (const [i, status] of history.entries())
      await sql(
        `INSERT INTO order_status_change (tenant_id, order_id, status, changed_at)
         VALUES ($1, $2, $3, $4::timestamptz + $5 * interval '1 minute')`,
        [tenants[slug], o.id, status, createdAt, i],
      );
  }

  async function quote(
    slug: string,
    status: string,
    offeredAt: string | null,
    createdAt = offeredAt ?? '2031-03-01T00:00:00Z',
  ): Promise<void> {
    await sql(
      `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, status, currency,
         offered_at, valid_until, created_at)
       VALUES ($1, $2, $3, $4, 'buyer@example.com', $5, 'EUR', $6, $7, $8)`,
      [
        tenants[slug],
        `Q2031-KPI${String(++seq).padStart(4, '0')}`,
        companies[`${slug}/${slug}`],
        users[`${slug}/u1`],
        status,
        offeredAt,
        offeredAt ? '2031-12-31T00:00:00Z' : null,
        createdAt,
      ],
    );
  }

  beforeAll(async () => {
    db = await seededDatabase(50);
    api = await startApp(db, testConfig());
    token = (await api.app.get(AdminTokenService).sign('kpi@seller.example', 1)).token;
    for (const slug of ['jansen-bouw', 'zorggroep-noord']) {
      const [t] = await sql<{ id: string }>(`SELECT id FROM tenant WHERE slug = $1`, [slug]);
      tenants[slug] = t.id;
      for (const code of [slug, 'kpi-b', 'kpi-c']) {
        const [c] = await sql<{ id: string }>(
          `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, $2, $2, 'NL')
           ON CONFLICT (tenant_id, code) DO UPDATE SET code = excluded.code RETURNING id`,
          [t.id, code],
        );
        companies[`${slug}/${code}`] = c.id;
      }
      // u1, u2 in the key account's company; u3 in kpi-b; u4 in kpi-c.
      for (const [name, code] of [
        ['u1', slug],
        ['u2', slug],
        ['u3', 'kpi-b'],
        ['u4', 'kpi-c'],
      ]) {
        const [u] = await sql<{ id: string }>(
          `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status)
           VALUES ($1, $2, $3, $3, '{BUYER}', 'ACTIVE') RETURNING id`,
          [t.id, companies[`${slug}/${code}`], `kpi-${name}@${slug}.example`],
        );
        users[`${slug}/${name}`] = u.id;
      }
    }

    const J = 'jansen-bouw';
    // The week of 1–7 March 2031 (CET, UTC+1). Counted: PLACED and later, not undone.
    await order(J, J, 'u1', '2031-03-01T08:00:00Z', 10500, ['PLACED']);
    await order(J, J, 'u1', '2031-03-02T09:00:00Z', 20000, [
      'PENDING_APPROVAL',
      'PLACED',
      'CONFIRMED',
    ]);
    // 23:59:59 UTC on the 7th is 00:59:59 on the 8th in Amsterdam.
    await order(J, J, 'u2', '2031-03-07T23:59:59Z', 5002, [
      'PLACED',
      'CONFIRMED',
      'SHIPPED',
      'INVOICED',
    ]);
    await order(J, 'kpi-b', 'u3', '2031-03-04T12:00:00Z', 7000, ['PLACED', 'CONFIRMED', 'SHIPPED']);
    await order(J, 'kpi-c', 'u4', '2031-03-06T10:00:00Z', 3000, ['PLACED'], 'USD');
    // Submitted in the period, not counted.
    await order(J, 'kpi-b', 'u3', '2031-03-05T10:00:00Z', 99999, ['PLACED', 'CANCELLED']);
    await order(J, J, 'u2', '2031-03-03T10:00:00Z', 88888, ['PENDING_APPROVAL', 'REJECTED']);
    await order(J, J, 'u1', '2031-03-06T10:00:00Z', 77777, ['PENDING_APPROVAL']);
    // Just outside [from, to).
    await order(J, J, 'u1', '2031-02-28T23:59:59.999Z', 66666, ['PLACED']);
    await order(J, J, 'u1', '2031-03-08T00:00:00Z', 55555, ['PLACED']);
    // Another tenant, same week.
    await order('zorggroep-noord', 'zorggroep-noord', 'u1', '2031-03-02T10:00:00Z', 1000000, [
      'PLACED',
    ]);

    // Quotes: the cohort is those offered in the period, whenever requested.
    await quote(J, 'ACCEPTED', '2031-03-02T10:00:00Z');
    await quote(J, 'OFFERED', '2031-03-03T10:00:00Z');
    await quote(J, 'DECLINED', '2031-03-04T10:00:00Z');
    await quote(J, 'ACCEPTED', '2031-03-05T10:00:00Z', '2031-01-15T10:00:00Z');
    await quote(J, 'ACCEPTED', '2031-02-20T10:00:00Z'); // offered before the period
    await quote(J, 'REQUESTED', null, '2031-03-02T10:00:00Z'); // never offered
    await quote('zorggroep-noord', 'ACCEPTED', '2031-03-02T10:00:00Z');

    // Around the end of summer time: Sunday 26 October 2031, 03:00 CEST → 02:00 CET.
    await order(J, J, 'u1', '2031-10-25T22:30:00Z', 1000, ['PLACED']); // 26th 00:30 CEST
    await order(J, J, 'u1', '2031-10-26T22:30:00Z', 2000, ['PLACED']); // 26th 23:30 CET
    await order(J, J, 'u1', '2031-10-26T23:30:00Z', 4000, ['PLACED']); // 27th 00:30 CET
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('computes every KPI of a period exactly', async () => {
    const res = await kpis('jansen-bouw', '2031-03-01T00:00:00Z', '2031-03-08T00:00:00Z');
    expect(res.errors).toBeUndefined();
    const { series, ...k } = res.data!.tenantKpis;
    expect(k).toEqual({
      tenantSlug: 'jansen-bouw',
      from: '2031-03-01T00:00:00.000Z',
      to: '2031-03-08T00:00:00.000Z',
      timeZone: 'Europe/Amsterdam',
      currency: 'EUR',
      granularity: 'DAY',
      // PLACED, CONFIRMED, INVOICED, SHIPPED (EUR) and one PLACED in USD.
      orderCount: 5,
      otherCurrencyOrderCount: 1,
      // total − tax of the four EUR orders: 105.00 + 200.00 + 50.02 + 70.00.
      revenue: { amount: '425.02', currency: 'EUR' },
      // 425.02 / 4 = 106.255 → half up.
      averageOrderValue: { amount: '106.26', currency: 'EUR' },
      // Companies: the key account (3 orders), kpi-b (1), kpi-c (1).
      orderingCompanies: 3,
      repeatCompanies: 1,
      repeatPurchaseRate: 1 / 3,
      // Users: u1 (2 orders), u2, u3, u4 (1 each).
      orderingUsers: 4,
      repeatUsers: 1,
      userRepeatPurchaseRate: 0.25,
      quotesOffered: 4,
      quotesAccepted: 2,
      quoteConversionRate: 0.5,
      // Eight orders created in the period; three started waiting for approval (one of them
      // approved and confirmed since, one rejected, one still waiting).
      ordersSubmitted: 8,
      ordersNeedingApproval: 3,
      approvalShare: 0.375,
    });
    // Local days of Amsterdam (UTC+1): the period touches 1 to 8 March.
    expect(series.map((b) => [b.date, b.start, b.orderCount, b.revenue.amount])).toEqual([
      ['2031-03-01', '2031-02-28T23:00:00.000Z', 1, '105.00'],
      ['2031-03-02', '2031-03-01T23:00:00.000Z', 1, '200.00'],
      ['2031-03-03', '2031-03-02T23:00:00.000Z', 0, '0.00'],
      ['2031-03-04', '2031-03-03T23:00:00.000Z', 1, '70.00'],
      ['2031-03-05', '2031-03-04T23:00:00.000Z', 0, '0.00'],
      ['2031-03-06', '2031-03-05T23:00:00.000Z', 1, '0.00'],
      ['2031-03-07', '2031-03-06T23:00:00.000Z', 0, '0.00'],
      ['2031-03-08', '2031-03-07T23:00:00.000Z', 1, '50.02'],
    ]);
    expect(series.every((b) => b.revenue.currency === 'EUR')).toBe(true);
    expect(series[7].end).toBe('2031-03-08T23:00:00.000Z');
  });

  it('puts orders on the local day across the end of summer time (a 25-hour day)', async () => {
    const res = await kpis('jansen-bouw', '2031-10-25T00:00:00Z', '2031-10-28T00:00:00Z');
    expect(res.errors).toBeUndefined();
    expect(
      res.data!.tenantKpis.series.map((b) => [
        b.date,
        b.start,
        b.end,
        b.orderCount,
        b.revenue.amount,
      ]),
    ).toEqual([
      ['2031-10-25', '2031-10-24T22:00:00.000Z', '2031-10-25T22:00:00.000Z', 0, '0.00'],
      // UTC days would put the first order on the 25th; a fixed +02:00 the second on the 27th.
      ['2031-10-26', '2031-10-25T22:00:00.000Z', '2031-10-26T23:00:00.000Z', 2, '30.00'],
      ['2031-10-27', '2031-10-26T23:00:00.000Z', '2031-10-27T23:00:00.000Z', 1, '40.00'],
      ['2031-10-28', '2031-10-27T23:00:00.000Z', '2031-10-28T23:00:00.000Z', 0, '0.00'],
    ]);
    expect(res.data!.tenantKpis.orderCount).toBe(3);
  });

  it('charts long periods per Monday-first local week, the buckets adding up to the totals', async () => {
    const res = await kpis('jansen-bouw', '2031-01-01T00:00:00Z', '2032-01-01T00:00:00Z');
    expect(res.errors).toBeUndefined();
    const k = res.data!.tenantKpis;
    expect(k.granularity).toBe('WEEK');
    expect(k.orderCount).toBe(10); // seven around March, three in October
    expect(k.series[0].date).toBe('2030-12-30'); // the Monday before Wednesday 1 January
    expect(k.series.at(-1)!.date).toBe('2031-12-29');
    expect(k.series).toHaveLength(53);
    for (const b of k.series) expect(new Date(`${b.date}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(k.series.reduce((n, b) => n + b.orderCount, 0)).toBe(k.orderCount);
    const cents = k.series.reduce((n, b) => n + parseDecimal(b.revenue.amount, 'EUR'), 0);
    expect(cents).toBe(parseDecimal(k.revenue.amount, 'EUR'));
    expect(k.revenue.amount).toBe('1717.23'); // 425.02 + 666.66 + 555.55 + 10.00 + 20.00 + 40.00
    // Weekend 1–2 March (one order at 00:59 local on the 1st), then 4, 6 and 8 (twice) March.
    expect(k.series.find((b) => b.date === '2031-02-24')!.orderCount).toBe(3);
    expect(k.series.find((b) => b.date === '2031-03-03')!.orderCount).toBe(4);
    // The week of the DST change is 7 days and 1 hour long.
    const dst = k.series.find((b) => b.date === '2031-10-20')!;
    expect(Date.parse(dst.end) - Date.parse(dst.start)).toBe((7 * 24 + 1) * 3600 * 1000);
  });

  it('counts only the tenant asked for', async () => {
    const res = await kpis('zorggroep-noord', '2031-03-01T00:00:00Z', '2031-03-08T00:00:00Z');
    expect(res.errors).toBeUndefined();
    const k = res.data!.tenantKpis;
    expect([
      k.orderCount,
      k.revenue.amount,
      k.quotesOffered,
      k.quotesAccepted,
      k.ordersSubmitted,
    ]).toEqual([1, '10000.00', 1, 1, 1]);
    expect(k.series.reduce((n, b) => n + b.orderCount, 0)).toBe(1);
  });

  it('answers an empty period with zeros and null rates, never a division by zero', async () => {
    const res = await kpis('jansen-bouw', '2040-01-01T00:00:00Z', '2040-01-02T00:00:00Z');
    expect(res.errors).toBeUndefined();
    const { series, ...k } = res.data!.tenantKpis;
    expect(k).toMatchObject({
      orderCount: 0,
      otherCurrencyOrderCount: 0,
      revenue: { amount: '0.00', currency: 'EUR' },
      averageOrderValue: null,
      repeatPurchaseRate: null,
      userRepeatPurchaseRate: null,
      orderingCompanies: 0,
      quotesOffered: 0,
      quoteConversionRate: null,
      ordersSubmitted: 0,
      approvalShare: null,
    });
    expect(series.map((b) => [b.date, b.orderCount, b.revenue.amount])).toEqual([
      ['2040-01-01', 0, '0.00'],
      ['2040-01-02', 0, '0.00'],
    ]);
  });

  it('refuses bad input with a clear code: unknown tenant, empty or reversed period, over two years', async () => {
    const unknown = await kpis('no-such-tenant', '2031-03-01T00:00:00Z', '2031-03-08T00:00:00Z');
    expect([unknown.status, unknown.code]).toEqual([404, 'NOT_FOUND']);
    expect(unknown.errors![0].message).toContain('no-such-tenant');
    for (const [from, to, message] of [
      ['2031-03-01T00:00:00Z', '2031-03-01T00:00:00Z', /from must be before to/],
      ['2031-03-02T00:00:00Z', '2031-03-01T00:00:00Z', /from must be before to/],
      ['2029-03-01T00:00:00Z', '2031-03-01T00:00:00.001Z', /longer than two years/],
    ] as const) {
      const res = await kpis('jansen-bouw', from, to);
      expect([res.status, res.code]).toEqual([400, 'BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(message);
    }
    const notADate = await kpis('jansen-bouw', 'yesterday', '2031-03-01T00:00:00Z');
    expect(notADate.status).toBe(400);
    expect(notADate.data ?? null).toBeNull();
    // Exactly two years is allowed.
    expect(
      (await kpis('jansen-bouw', '2029-03-01T00:00:00Z', '2031-03-01T00:00:00Z')).errors,
    ).toBeUndefined();
  });

  it('needs an admin token', async () => {
    const res = await kpis('jansen-bouw', '2031-03-01T00:00:00Z', '2031-03-08T00:00:00Z', null);
    expect([res.status, res.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
  });

  it('shows an account manager the KPIs of their own tenants only, and logs the refusal', async () => {
    await api.app.get(AdminAccountService).create('test', {
      email: 'am-kpi@seller.example',
      name: 'Account manager',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['zorggroep-noord'],
      password: 'a long enough password 42',
    });
    const login = await httpRequest(api.port, {
      host: 'admin.localhost',
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { adminLogin(email: "am-kpi@seller.example", password: "a long enough password 42") { token } }`,
      }),
    });
    const manager = (login.json() as { data: { adminLogin: { token: string } } }).data.adminLogin
      .token;
    const own = await kpis(
      'zorggroep-noord',
      '2031-03-01T00:00:00Z',
      '2031-03-08T00:00:00Z',
      manager,
    );
    expect(own.code).toBeUndefined();
    const other = await kpis(
      'jansen-bouw',
      '2031-03-01T00:00:00Z',
      '2031-03-08T00:00:00Z',
      manager,
    );
    expect(other.code).toBe('FORBIDDEN');
    const [refused] = await api.app
      .get(TenantDb)
      .query<{ outcome: string }>(
        `SELECT outcome FROM audit_log WHERE action = 'tenant.kpis' ORDER BY id DESC LIMIT 1`,
      );
    expect(refused.outcome).toBe('REFUSED');
  });
});
