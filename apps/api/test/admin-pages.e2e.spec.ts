import { AdminAccountService, localToday, addDays } from '@vitrine/admin';
import { TenantDb } from '@vitrine/database';
import { gql, httpRequest, type HttpResponse, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';
const PASSWORD = 'correct horse battery staple';

type Row = Record<string, unknown>;

/** A browser of one admin: keeps the cookies the admin host sets (host-only, path /admin). */
class AdminBrowser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly port: () => number) {}

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    options: { host?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await httpRequest(this.port(), {
      host: options.host ?? ADMIN,
      method,
      path,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(options.headers ?? {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of setCookies(res)) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get = (path: string) => this.request('GET', path);

  /** The CSRF token of the page at `path` (its first form). */
  async csrf(path: string): Promise<string> {
    const page = await this.get(path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body);
    if (!match) throw new Error(`No CSRF token on ${path}: ${page.status} ${page.body}`);
    return match[1];
  }

  async signIn(email: string, password = PASSWORD): Promise<HttpResponse> {
    const _csrf = await this.csrf('/admin/login');
    return this.request('POST', '/admin/login', { _csrf, email, password });
  }
}

const setCookies = (res: HttpResponse): string[] => {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
};
const text = (html: string) =>
  html
    .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

/**
 * The server-rendered admin pages end to end: sign-in with its cookie and CSRF tokens, the
 * tenant list narrowed by role, one tenant's KPIs with the SVG charts (the numbers of
 * TenantKpisService), 403 pages for another manager's tenant, and the pages and their cookie
 * kept off the microsites.
 */
describe('admin pages on the admin host (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let accounts: AdminAccountService;
  let seq = 0;
  const port = () => api.port;
  const ids: Record<string, string> = {};

  const sql = <T = Row>(query: string, params: unknown[] = []) =>
    api.app.get(TenantDb).maintenance((em) => em.query(query, params) as Promise<T[]>);

  async function order(slug: string, createdAt: string, netMinor: number, status = 'PLACED') {
    const tax = Math.round(netMinor * 0.21);
    await sql(
      `INSERT INTO customer_order (tenant_id, number, company_id, placed_by, status, ship_to, currency,
         subtotal_minor, shipping_minor, tax_minor, total_minor, vat, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, '{"name":"X","street":"Y 1","postalCode":"1234 AB","city":"Utrecht","country":"NL"}',
         'EUR', $6, 0, $7, $8, '{"rates":[],"note":null}', $9, $9)`,
      [
        ids[slug],
        `PAGE-${String(++seq).padStart(5, '0')}`,
        ids[`${slug}/company`],
        ids[`${slug}/user`],
        status,
        netMinor,
        tax,
        netMinor + tax,
        createdAt,
      ],
    );
  }

  beforeAll(async () => {
    db = await seededDatabase(50);
    api = await startApp(db, testConfig());
    accounts = api.app.get(AdminAccountService);
    for (const slug of ['jansen-bouw', 'zorggroep-noord']) {
      const [t] = await sql<{ id: string }>(`SELECT id FROM tenant WHERE slug = $1`, [slug]);
      ids[slug] = t.id;
      const [c] = await sql<{ id: string }>(
        `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, 'pages', 'Pages BV', 'NL') RETURNING id`,
        [t.id],
      );
      ids[`${slug}/company`] = c.id;
      const [u] = await sql<{ id: string }>(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status)
         VALUES ($1, $2, $3, 'Buyer', '{BUYER}', 'ACTIVE') RETURNING id`,
        [t.id, c.id, `pages@${slug}.example`],
      );
      ids[`${slug}/user`] = u.id;
    }
    // 1–7 March 2031 in Amsterdam (CET): two counted orders, one cancelled; one the day after.
    await order('jansen-bouw', '2031-03-02T09:00:00Z', 12345);
    await order('jansen-bouw', '2031-03-04T12:00:00Z', 20000);
    await order('jansen-bouw', '2031-03-05T12:00:00Z', 99999, 'CANCELLED');
    await order('jansen-bouw', '2031-03-07T23:30:00Z', 50000); // 8 March, 00:30 local
    for (const [email, roles, tenants] of [
      ['super@seller.example', ['SUPER_ADMIN'], []],
      ['manager@seller.example', ['ACCOUNT_MANAGER'], ['jansen-bouw']],
      ['catalog@seller.example', ['CATALOG_MANAGER'], []],
    ] as const)
      await accounts.create('test', {
        email,
        name: email.split('@')[0],
        roles: [...roles],
        tenants: [...tenants],
        password: PASSWORD,
      });
  }, 120_000);

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  describe('sign-in', () => {
    it('serves a login form with labels, a CSRF token and a strict anonymous cookie', async () => {
      const browser = new AdminBrowser(port);
      const res = await browser.get('/admin/login');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.body).toMatch(/<label for="email">[\s\S]*<input id="email" name="email"/);
      expect(res.body).toMatch(/<label for="password">[\s\S]*<input id="password"/);
      expect(res.body).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
      const anon = setCookies(res).find((c) => c.startsWith('vitrine_admin_anon='));
      expect(anon).toMatch(/HttpOnly/);
      expect(anon).toMatch(/SameSite=Strict/);
      expect(anon).toMatch(/Path=\/admin/);
      expect(anon).not.toMatch(/Domain=/i);
      const css = await browser.get('/admin/admin.css');
      expect(css.status).toBe(200);
      expect(css.headers['content-type']).toMatch(/text\/css/);
    });

    it('signs in with a good password: a strict session cookie, then the tenant list', async () => {
      const browser = new AdminBrowser(port);
      const res = await browser.signIn('Super@Seller.example');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin');
      const session = setCookies(res).find((c) => c.startsWith('vitrine_admin='));
      expect(session).toMatch(/HttpOnly/);
      expect(session).toMatch(/SameSite=Strict/);
      expect(session).toMatch(/Path=\/admin/);
      expect(session).toMatch(/Max-Age=3[56]\d{3}/); // the token's 10 h
      expect(session).not.toMatch(/Secure/); // plain HTTP here; Secure behind TLS
      const home = await browser.get('/admin');
      expect(home.status).toBe(200);
      expect(home.body).toContain('super@seller.example');
      // Signed in: the login page sends the admin on.
      expect((await browser.get('/admin/login')).status).toBe(303);
    });

    it('sets Secure behind TLS (X-Forwarded-Proto from a trusted proxy)', async () => {
      const tls = await startApp(db, testConfig({ TRUSTED_PROXIES: '127.0.0.1' }));
      try {
        const browser = new AdminBrowser(() => tls.port);
        const headers = { 'x-forwarded-proto': 'https' };
        const form = await browser.request('GET', '/admin/login', undefined, { headers });
        const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
        const res = await browser.request(
          'POST',
          '/admin/login',
          { _csrf, email: 'super@seller.example', password: PASSWORD },
          { headers },
        );
        expect(res.status).toBe(303);
        expect(setCookies(res).find((c) => c.startsWith('vitrine_admin='))).toMatch(/Secure/);
      } finally {
        await tls.app.close();
      }
    });

    it('refuses a wrong password or an unknown e-mail alike, with the form again', async () => {
      const browser = new AdminBrowser(port);
      for (const [email, password] of [
        ['super@seller.example', 'wrong password!!'],
        ['nobody@seller.example', PASSWORD],
      ]) {
        const res = await browser.signIn(email, password);
        expect(res.status).toBe(401);
        expect(res.body).toContain('Wrong e-mail or password');
        expect(res.body).toContain(`value="${email}"`);
        expect(setCookies(res).some((c) => c.startsWith('vitrine_admin='))).toBe(false);
      }
      expect((await browser.get('/admin')).headers.location).toBe('/admin/login');
    });

    it('refuses a sign-in without the visitor’s own CSRF token, or from another origin', async () => {
      const browser = new AdminBrowser(port);
      const other = new AdminBrowser(port);
      const _csrf = await browser.csrf('/admin/login');
      const theirs = await other.csrf('/admin/login');
      const login = { email: 'super@seller.example', password: PASSWORD };
      for (const [form, headers] of [
        [login, {}],
        [{ ...login, _csrf: theirs }, {}],
        [{ ...login, _csrf: `${_csrf.slice(0, -1)}A` }, {}],
        [{ ...login, _csrf }, { origin: 'https://evil.example' }],
      ] as const) {
        const res = await browser.request('POST', '/admin/login', form, { headers });
        expect(res.status).toBe(403);
        expect(res.body).toContain('The form expired or was tampered with');
        expect(setCookies(res).some((c) => c.startsWith('vitrine_admin='))).toBe(false);
      }
      expect((await browser.request('POST', '/admin/login', { ...login, _csrf })).status).toBe(303);
    });

    it('signs out with a CSRF token only, and the old cookie is dead afterwards', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('manager@seller.example');
      const stolen = browser.cookies.get('vitrine_admin')!;
      expect(stolen).toMatch(/^[A-Za-z0-9_-]{43}$/); // a session id, not the token
      expect((await browser.request('POST', '/admin/logout', {})).status).toBe(403);
      expect((await browser.get('/admin')).status).toBe(200);
      const _csrf = await browser.csrf('/admin');
      const out = await browser.request('POST', '/admin/logout', { _csrf });
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe('/admin/login');
      expect(browser.cookies.has('vitrine_admin')).toBe(false);
      const replay = new AdminBrowser(port);
      replay.cookies.set('vitrine_admin', stolen);
      const res = await replay.get('/admin');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/login');
    });

    it('sends visitors without a session to the login page', async () => {
      const browser = new AdminBrowser(port);
      for (const path of ['/admin', '/admin/tenants/jansen-bouw']) {
        const res = await browser.get(path);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe('/admin/login');
      }
      browser.cookies.set('vitrine_admin', 'not.a.token-at-all-000000');
      expect((await browser.get('/admin')).headers.location).toBe('/admin/login');
    });
  });

  describe('tenants', () => {
    it('lists every tenant to a super admin and the assigned ones to an account manager', async () => {
      const superAdmin = new AdminBrowser(port);
      await superAdmin.signIn('super@seller.example');
      const all = await superAdmin.get('/admin');
      expect(all.body).toContain('<a href="/admin/tenants/jansen-bouw">jansen-bouw</a>');
      expect(all.body).toContain('<a href="/admin/tenants/zorggroep-noord">zorggroep-noord</a>');
      expect(all.body).toContain('jansen-bouw.localhost');
      expect(all.body).toMatch(/status-ACTIVE">ACTIVE/);

      const manager = new AdminBrowser(port);
      await manager.signIn('manager@seller.example');
      const mine = await manager.get('/admin');
      expect(mine.status).toBe(200);
      expect(mine.body).toContain('/admin/tenants/jansen-bouw');
      expect(mine.body).not.toContain('zorggroep-noord');
    });

    it('escapes what tenants are called', async () => {
      const [{ name: original }] = await sql<{ name: string }>(
        `SELECT name FROM tenant WHERE slug = 'jansen-bouw'`,
      );
      await sql(
        `UPDATE tenant SET name = $1, source = jsonb_set(source, '{name}', to_jsonb($1::text))
          WHERE slug = 'jansen-bouw'`,
        ['Jansen <b>Bouw</b> & "Co"'],
      );
      try {
        const browser = new AdminBrowser(port);
        await browser.signIn('super@seller.example');
        const res = await browser.get('/admin');
        expect(res.body).toContain('Jansen &lt;b&gt;Bouw&lt;/b&gt; &amp; &quot;Co&quot;');
        expect(res.body).not.toContain('<b>Bouw</b>');
      } finally {
        await sql(
          `UPDATE tenant SET name = $1, source = jsonb_set(source, '{name}', to_jsonb($1::text))
            WHERE slug = 'jansen-bouw'`,
          [original],
        );
      }
    });

    it('answers 403 to an admin without the tenants area', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('catalog@seller.example');
      const res = await browser.get('/admin');
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('do not include tenants');
    });
  });

  describe('KPI page', () => {
    it('shows the figures of tenantKpis and SVG charts of orders and revenue', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('manager@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw?from=2031-03-01&to=2031-03-07');
      expect(res.status).toBe(200);
      const page = text(res.body);
      expect(page).toContain('Orders 2 ');
      expect(page).toContain('Revenue EUR 323.45'); // 123.45 + 200.00, not the cancelled one
      expect(page).toContain('Average order value EUR 161.73'); // 161.725 half up
      expect(page).toContain('Europe/Amsterdam');
      expect(res.body).toMatch(
        /<input id="from" name="from" type="date" required value="2031-03-01">/,
      );
      expect(res.body).toMatch(/<input id="to" name="to" type="date" required value="2031-03-07">/);
      const charts: string[] = res.body.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
      expect(charts).toHaveLength(2);
      expect(charts[0]).toContain('role="img"');
      expect(charts[0].match(/<rect /g)).toHaveLength(7); // one bar per local day
      expect(charts[0]).toContain('<title>02-03: 1</title>');
      expect(charts[1]).toContain('<title>04-03: EUR 200.00</title>');

      // The 8th (local) holds the order of 23:30Z on the 7th.
      const next = await browser.get('/admin/tenants/jansen-bouw?from=2031-03-08&to=2031-03-08');
      expect(text(next.body)).toContain('Revenue EUR 500.00');
    });

    it('defaults to the last 30 days in the tenant’s time zone', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('super@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw');
      expect(res.status).toBe(200);
      const today = localToday('Europe/Amsterdam');
      expect(res.body).toContain(`name="to" type="date" required value="${today}"`);
      expect(res.body).toContain(`name="from" type="date" required value="${addDays(today, -29)}"`);
      expect(text(res.body)).toContain('Orders 0 ');
      expect(
        res.body.match(/<svg[\s\S]*?<\/svg>/g)?.[0].match(/<rect /g)?.length,
      ).toBeGreaterThanOrEqual(30);
    });

    it('answers 403 for a tenant not assigned to the manager, and logs the refusal', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('manager@seller.example');
      const res = await browser.get('/admin/tenants/zorggroep-noord?from=2031-03-01&to=2031-03-07');
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('is not assigned to you');
      expect(res.body).not.toMatch(/<svg/);
      const rows = await sql<{ outcome: string }>(
        `SELECT outcome FROM audit_log WHERE action = 'tenant.kpis' AND tenant_id = $1`,
        [ids['zorggroep-noord']],
      );
      expect(rows.map((r) => r.outcome)).toContain('REFUSED');
    });

    it('answers 404 for an unknown tenant and 400 for bad dates', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('super@seller.example');
      expect((await browser.get('/admin/tenants/no-such-tenant')).status).toBe(404);
      for (const query of [
        'from=yesterday',
        'from=2031-03-08&to=2031-03-01',
        'from=2020-01-01&to=2031-01-01',
      ]) {
        const res = await browser.get(`/admin/tenants/jansen-bouw?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['content-type']).toMatch(/text\/html/);
      }
      const escaped = await browser.get('/admin/tenants/jansen-bouw?from=%3Cscript%3E');
      expect(escaped.body).not.toContain('<script>');
      expect(escaped.body).toContain('&lt;script&gt;');
    });
  });

  describe('kept off the microsites', () => {
    it('serves none of the pages on a tenant host', async () => {
      const browser = new AdminBrowser(port);
      for (const [method, path] of [
        ['GET', '/admin'],
        ['GET', '/admin/login'],
        ['POST', '/admin/login'],
        ['POST', '/admin/logout'],
        ['GET', '/admin/tenants/jansen-bouw'],
        ['GET', '/admin/admin.css'],
      ]) {
        const res = await browser.request(method, path, method === 'POST' ? {} : undefined, {
          host: JANSEN,
        });
        expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 404`);
        expect(setCookies(res)).toEqual([]);
      }
    });

    it('never accepts the admin cookie on a tenant host', async () => {
      const browser = new AdminBrowser(port);
      await browser.signIn('super@seller.example');
      const cookie = `vitrine_admin=${browser.cookies.get('vitrine_admin')}`;
      const onSite = await browser.request('GET', '/admin', undefined, { host: JANSEN });
      expect(onSite.status).toBe(404);
      const me = await gql<{ me: unknown }>(api.port, JANSEN, '{ me { email } }', {}, { cookie });
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toBeNull();
      // Nor as the microsite's own session cookie.
      const asSession = await httpRequest(api.port, {
        host: JANSEN,
        path: '/orders',
        headers: { cookie: `vitrine_session=${browser.cookies.get('vitrine_admin')}` },
      });
      expect([302, 303]).toContain(asSession.status);
      expect(asSession.headers.location).toMatch(/^\/login/);
    });
  });
});
