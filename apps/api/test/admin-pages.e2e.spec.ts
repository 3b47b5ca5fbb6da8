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

  const signedIn = new Map<string, AdminBrowser>();
  /** A browser of `email`, signed in once for the read-only tests (sign-ins are rate limited). */
  async function as(email: string): Promise<AdminBrowser> {
    let browser = signedIn.get(email);
    if (!browser) {
      browser = new AdminBrowser(port);
      expect((await browser.signIn(email)).status).toBe(303);
      signedIn.set(email, browser);
    }
    return browser;
  }

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
      // One character in the middle changed: the last one of base64url may carry padding bits
      // only, and replacing it with a fixed letter is sometimes no change at all.
      const tampered = (token: string) => {
        const i = token.length >> 1;
        return `${token.slice(0, i)}${token[i] === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`;
      };
      const browser = new AdminBrowser(port);
      const other = new AdminBrowser(port);
      const _csrf = await browser.csrf('/admin/login');
      const theirs = await other.csrf('/admin/login');
      const login = { email: 'super@seller.example', password: PASSWORD };
      for (const [form, headers] of [
        [login, {}],
        [{ ...login, _csrf: theirs }, {}],
        [{ ...login, _csrf: tampered(_csrf) }, {}],
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
      expect(page).toContain('Revenue €323.45'); // 123.45 + 200.00, not the cancelled one
      expect(page).toContain('Average order value €161.73'); // 161.725 half up
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
      expect(text(next.body)).toContain('Revenue €500.00');
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

  describe('tenant list: status filter, counts, domains, paging', () => {
    it('filters by status (GET form), counts per status, links the primary domain', async () => {
      const browser = await as('super@seller.example');
      const all = await browser.get('/admin');
      expect(all.body).toMatch(/<form class="filter" method="get" action="\/admin">/);
      expect(all.body).toMatch(
        /<label for="status">Status<\/label>\s*<select id="status" name="status">/,
      );
      const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tenant`);
      expect(all.body).toContain(`<option value="ACTIVE">Active (${n})</option>`);
      expect(all.body).toContain(`<option value="">All statuses (${n})</option>`);
      // The primary domain links to the site, on the admin host's scheme and port.
      expect(all.body).toContain(
        `<a class="domain" href="http://jansen-bouw.localhost/" title="Open the site">jansen-bouw.localhost</a>`,
      );
      const withPort = await browser.request('GET', '/admin', undefined, {
        host: `${ADMIN}:${api.port}`,
      });
      expect(withPort.body).toContain(`href="http://jansen-bouw.localhost:${api.port}/"`);

      await sql(`UPDATE tenant SET status = 'SUSPENDED' WHERE slug = 'zorggroep-noord'`);
      try {
        const suspended = await browser.get('/admin?status=suspended');
        expect(suspended.status).toBe(200);
        expect(suspended.body).toContain('/admin/tenants/zorggroep-noord');
        expect(suspended.body).not.toContain('/admin/tenants/jansen-bouw');
        expect(suspended.body).toMatch(
          /<option value="SUSPENDED" selected>Suspended \(1\)<\/option>/,
        );
        expect(text(suspended.body)).toContain(`1 SUSPENDED of ${n} tenants you may see`);
        const none = await browser.get('/admin?status=DRAFT');
        expect(text(none.body)).toContain('No DRAFT tenants.');
      } finally {
        await sql(`UPDATE tenant SET status = 'ACTIVE' WHERE slug = 'zorggroep-noord'`);
      }

      // An account manager's counts are of their own tenants.
      const manager = await as('manager@seller.example');
      expect((await manager.get('/admin')).body).toMatch(/All statuses \(1\)/);
    });

    it('answers 400 pages for an unknown status or a bad cursor', async () => {
      const browser = await as('super@seller.example');
      const bad = await browser.get('/admin?status=%3Cscript%3Ebroken');
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/text\/html/);
      expect(bad.body).toContain(
        '&quot;&lt;script&gt;broken&quot; is not a status of this list; choose one of DRAFT, ACTIVE, SUSPENDED, ARCHIVED.',
      );
      expect(bad.body).not.toContain('<script>');
      const cursor = await browser.get('/admin?after=%21%21%21');
      expect(cursor.status).toBe(400);
      expect(cursor.body).toContain('is not a cursor of this list');
    });

    it('pages through more tenants than fit a page with the list’s cursor', async () => {
      // 101 DRAFT tenants next to the two demo ones: a page holds 100.
      await sql(
        `INSERT INTO tenant (slug, name, status, locales, currency, time_zone, source)
         SELECT s, 'Paging ' || s, 'DRAFT', locales, currency, time_zone,
                jsonb_set(jsonb_set(source, '{slug}', to_jsonb(s)), '{name}', to_jsonb('Paging ' || s))
           FROM tenant, LATERAL (SELECT 'page-' || lpad(i::text, 3, '0') AS s FROM generate_series(1, 101) i) g
          WHERE slug = 'jansen-bouw'`,
      );
      try {
        const browser = await as('super@seller.example');
        const first = await browser.get('/admin?status=draft');
        expect(first.body).toMatch(/<option value="DRAFT" selected>Draft \(101\)<\/option>/);
        expect(first.body.match(/\/admin\/tenants\/page-\d+"/g)).toHaveLength(100);
        expect(first.body).toContain('/admin/tenants/page-100"');
        expect(first.body).not.toContain('/admin/tenants/page-101"');
        const next = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(first.body)![1];
        expect(next).toMatch(/^\/admin\?status&#x3D;DRAFT&amp;after&#x3D;/);
        const second = await browser.get(next.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
        expect(second.status).toBe(200);
        expect(second.body.match(/\/admin\/tenants\/page-\d+"/g)).toHaveLength(1);
        expect(second.body).toContain('/admin/tenants/page-101"');
        expect(second.body).not.toContain('rel="next"');
        expect(second.body).toContain('<a href="/admin?status&#x3D;DRAFT">First page</a>');
      } finally {
        await sql(`DELETE FROM tenant WHERE slug LIKE 'page-%'`);
      }
    });
  });

  describe('a tenant’s orders, quotes and audit log', () => {
    let quoteSeq = 0;
    async function quote(slug: string, createdAt: string, status: string, note: string | null) {
      const [q] = await sql<{ id: string }>(
        `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, note, status,
           currency, valid_until, offered_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9, $10, $10) RETURNING id`,
        [
          ids[slug],
          `PQ-${slug.slice(0, 3)}-${String(++quoteSeq).padStart(4, '0')}`,
          ids[`${slug}/company`],
          ids[`${slug}/user`],
          `pages@${slug}.example`,
          note,
          status,
          status === 'OFFERED' ? '2031-04-01T21:59:00Z' : null,
          status === 'OFFERED' ? createdAt : null,
          createdAt,
        ],
      );
      await sql(
        `INSERT INTO quote_line (tenant_id, quote_id, line_no, sku, name, quantity, offered_unit_minor)
         VALUES ($1, $2, 1, 'SKU-1', 'Schroef', 3, $3), ($1, $2, 2, 'SKU-2', 'Moer', 2, $4)`,
        [ids[slug], q.id, status === 'OFFERED' ? 1050 : null, status === 'OFFERED' ? 200000 : null],
      );
    }

    beforeAll(async () => {
      await sql(
        `UPDATE customer_order SET note = '<script>alert(1)</script> & "before 10"', po_number = 'PO-77'
          WHERE tenant_id = $1 AND created_at = '2031-03-07T23:30:00Z'`,
        [ids['jansen-bouw']],
      );
      await quote(
        'jansen-bouw',
        '2031-03-03T10:00:00Z',
        'REQUESTED',
        '<img src=x onerror=alert(1)>',
      );
      await quote('jansen-bouw', '2031-03-04T10:00:00Z', 'OFFERED', null);
      await quote('zorggroep-noord', '2031-03-04T10:00:00Z', 'REQUESTED', 'Zorggroep only');
      await sql(
        `INSERT INTO audit_log (at, actor, action, tenant_id, target, before, after, outcome, reason)
         VALUES ('2031-03-05T08:15:00Z', 'cli:ops', 'tenant.update', $1, 'jansen-bouw',
                 '{"name":"Jansen"}', '{"name":"<script>x</script>"}', 'APPLIED', NULL),
                ('2031-03-05T08:15:00Z', 'cli:ops', 'tenant.update', $2, 'zorggroep-noord',
                 '{"name":"Zorg"}', '{"name":"Zorggroep secret"}', 'APPLIED', NULL)`,
        [ids['jansen-bouw'], ids['zorggroep-noord']],
      );
    });

    it('links the tenant’s pages from the KPI page', async () => {
      const browser = await as('manager@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw');
      expect(res.body).toContain(
        '<a href="/admin/tenants/jansen-bouw" aria-current="page">Key figures</a>',
      );
      expect(res.body).toContain('<a href="/admin/tenants/jansen-bouw/orders">Orders</a>');
      expect(res.body).toContain('<a href="/admin/tenants/jansen-bouw/quotes">Quotes</a>');
      expect(res.body).toContain('<a href="/admin/tenants/jansen-bouw/audit">Audit log</a>');
    });

    it('lists the orders newest first, times in the tenant’s zone, money formatted, notes as text', async () => {
      const browser = await as('manager@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw/orders');
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      const page = text(res.body);
      // 23:30Z on 7 March is 00:30 on the 8th in Amsterdam; 500.00 + 21 % VAT.
      expect(page).toMatch(/PAGE-\d{5} 2031-03-08 00:30 PLACED Pages BV Buyer PO-77 .* 0 €605\.00/);
      expect(page).toContain('€1,209.99'); // the cancelled one: 999.99 + 210.00
      expect(res.body).toContain(
        '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;before 10&quot;',
      );
      expect(res.body).not.toContain('<script>');
      const numbers = [...res.body.matchAll(/>(PAGE-\d{5})</g)].map((m) => m[1]);
      expect(numbers.slice(0, 4)).toEqual(['PAGE-00004', 'PAGE-00003', 'PAGE-00002', 'PAGE-00001']);
      // Another tenant's orders are not on it.
      expect(res.body).not.toContain('Zorggroep');

      const cancelled = await browser.get('/admin/tenants/jansen-bouw/orders?status=cancelled');
      expect(cancelled.status).toBe(200);
      expect([...cancelled.body.matchAll(/>(PAGE-\d{5})</g)].map((m) => m[1])).toEqual([
        'PAGE-00003',
      ]);
      expect(cancelled.body).toMatch(/<option value="CANCELLED" selected>Cancelled<\/option>/);
      const none = await browser.get('/admin/tenants/jansen-bouw/orders?status=REJECTED');
      expect(text(none.body)).toContain('No orders with status REJECTED.');
    });

    it('lists the quotes with the offered total and validity in the tenant’s zone', async () => {
      const browser = await as('manager@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw/quotes');
      expect(res.status).toBe(200);
      const page = text(res.body);
      // 3 × 10.50 + 2 × 2,000.00; valid until 21:59Z = 23:59 CEST on 1 April.
      expect(page).toMatch(
        /PQ-jan-\d{4} 2031-03-04 11:00 OFFERED .* 2 €4,031\.50 2031-04-01 23:59/,
      );
      expect(page).toMatch(
        /PQ-jan-\d{4} 2031-03-03 11:00 REQUESTED Pages BV \(pages@jansen-bouw\.example\)/,
      );
      expect(res.body).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
      expect(res.body).not.toContain('<img');
      expect(res.body).not.toContain('Zorggroep only');
      const requested = await browser.get('/admin/tenants/jansen-bouw/quotes?status=requested');
      expect(text(requested.body)).not.toContain('OFFERED €');
      expect(text(requested.body)).toContain('REQUESTED Pages BV');
    });

    it('shows the tenant’s audit log with before and after as text', async () => {
      const browser = await as('manager@seller.example');
      const res = await browser.get('/admin/tenants/jansen-bouw/audit');
      expect(res.status).toBe(200);
      const page = text(res.body);
      expect(page).toContain('2031-03-05 09:15 cli:ops tenant.update jansen-bouw APPLIED');
      expect(res.body).toContain('<summary>Before and after</summary>');
      expect(res.body).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(res.body).not.toContain('<script>');
      expect(res.body).not.toContain('Zorggroep secret');
    });

    it('refuses another manager’s tenant on every list: 403 page and REFUSED in the audit log', async () => {
      const browser = await as('manager@seller.example');
      for (const [path, action] of [
        ['orders', 'order.list'],
        ['quotes', 'quote.list'],
        ['audit', 'audit.list'],
      ]) {
        const res = await browser.get(`/admin/tenants/zorggroep-noord/${path}`);
        expect(`${path} ${res.status}`).toBe(`${path} 403`);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.body).toContain('is not assigned to you');
        expect(res.body).not.toMatch(/Zorggroep only|Zorggroep secret|PAGE-/);
        const rows = await sql<{ outcome: string; actor: string }>(
          `SELECT outcome, actor FROM audit_log WHERE action = $1 AND tenant_id = $2`,
          [action, ids['zorggroep-noord']],
        );
        expect(rows.map((r) => r.outcome)).toContain('REFUSED');
      }
      // A catalog manager has no orders area at all.
      const catalog = await as('catalog@seller.example');
      expect((await catalog.get('/admin/tenants/jansen-bouw/orders')).status).toBe(403);
      expect((await browser.get('/admin/tenants/no-such-tenant/orders')).status).toBe(404);
    });

    it('answers 400 pages for an unknown status or a bad cursor, and sends strangers to sign in', async () => {
      const browser = await as('super@seller.example');
      for (const [path, message] of [
        [
          'orders?status=LOST',
          '"LOST" is not a status of this list; choose one of PENDING_APPROVAL',
        ],
        ['quotes?status=nope', '"nope" is not a status of this list; choose one of REQUESTED'],
        ['orders?after=garbage', 'The cursor "after" is not valid'],
        ['quotes?after=W10', 'The cursor "after" is not valid'],
        ['audit?after=-1', 'The cursor "after" is not valid'],
        ['orders?status=PLACED&status=SHIPPED', null],
      ] as const) {
        const res = await browser.get(`/admin/tenants/jansen-bouw/${path}`);
        if (message === null) {
          // A repeated field is no choice: the unfiltered list.
          expect(res.status).toBe(200);
          continue;
        }
        expect(`${path} ${res.status}`).toBe(`${path} 400`);
        expect(res.headers['content-type']).toMatch(/text\/html/);
        expect(res.body).toContain(message.replace(/"/g, '&quot;'));
      }
      const stranger = new AdminBrowser(port);
      for (const path of ['orders', 'quotes', 'audit'])
        expect((await stranger.get(`/admin/tenants/jansen-bouw/${path}`)).headers.location).toBe(
          '/admin/login',
        );
    });

    it('pages every list with its cursor', async () => {
      // More rows than a page of two holds in every list.
      await quote('jansen-bouw', '2031-03-06T10:00:00Z', 'DECLINED', null);
      await sql(
        `INSERT INTO audit_log (at, actor, action, tenant_id, target, outcome, reason)
         SELECT now(), 'cli:ops', 'tenant.status', $1, 'jansen-bouw', 'REFUSED', 'FORBIDDEN: test ' || i
           FROM generate_series(1, 3) i`,
        [ids['jansen-bouw']],
      );
      const small = await startApp(db, testConfig({ GRAPHQL_MAX_FIRST: '2' }));
      try {
        const browser = new AdminBrowser(() => small.port);
        await browser.signIn('super@seller.example');
        for (const path of ['orders', 'quotes', 'audit']) {
          const seen: string[] = [];
          let next: string | null = `/admin/tenants/jansen-bouw/${path}`;
          let pages = 0;
          while (next && pages < 50) {
            const res = await browser.get(next);
            expect(`${next} ${res.status}`).toBe(`${next} 200`);
            const rows = res.body.match(/<tr>[\s\S]*?<\/tr>/g)?.slice(1) ?? []; // minus the header
            expect(rows.length).toBeLessThanOrEqual(2);
            seen.push(...rows);
            if (pages > 0) expect(res.body).toContain('>First page</a>');
            next =
              /rel="next" href="([^"]+)"/
                .exec(res.body)?.[1]
                ?.replace(/&amp;/g, '&')
                .replace(/&#x3D;/g, '=') ?? null;
            pages++;
          }
          expect(pages).toBeGreaterThan(1);
          expect(new Set(seen).size).toBe(seen.length); // no row twice
        }
      } finally {
        await small.app.close();
      }
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
        ['GET', '/admin/tenants/jansen-bouw/orders'],
        ['GET', '/admin/tenants/jansen-bouw/quotes'],
        ['GET', '/admin/tenants/jansen-bouw/audit'],
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
