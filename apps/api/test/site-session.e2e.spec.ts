import { type Browser } from 'playwright-core';
import { PasswordService } from '@vitrine/accounts';
import { readMailbox } from '@vitrine/notifications';
import { OutboxWorker } from '@vitrine/outbox';
import {
  asTenantRuntime,
  httpRequest,
  type HttpResponse,
  type TestDatabase,
} from '@vitrine/testing';
import type { Role } from '@vitrine/tenancy';
import { maintenanceSql, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';
import { SiteVisitor } from './site-visitor';
import { chromiumAvailable, launchChromium } from './browser';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const PASSWORD = 'correct horse battery staple';

function setCookies(res: HttpResponse): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}
function setCookie(res: HttpResponse, name: string): string | undefined {
  return setCookies(res).find((c) => c.startsWith(`${name}=`));
}

describe('microsite sessions (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const running = () => api;
  const sql = maintenanceSql(running);
  const visitor = (host = JANSEN) => new SiteVisitor(running, host);
  const sessionsOf = async (email: string) =>
    (
      await sql<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM web_session s JOIN app_user u ON u.id = s.user_id WHERE u.email = $1`,
        [email],
      )
    )[0].n;

  /** An active user with PASSWORD on a tenant's key-account company. */
  async function user(slug: string, email: string, roles: Role[]): Promise<string> {
    const hash = await api.app.get(PasswordService).hash(PASSWORD);
    const [row] = await sql<Array<{ id: string }>>(
      `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status, password_hash)
       SELECT t.id, c.id, $2, $3, $4::text[], 'ACTIVE', $5
         FROM tenant t JOIN company c ON c.tenant_id = t.id AND c.code = t.slug WHERE t.slug = $1
       RETURNING id`,
      [slug, email, `Name of ${email.split('@')[0]}`, roles, hash],
    );
    return row.id;
  }

  const mailsTo = async (address: string) => {
    await api.app.get(OutboxWorker).drain();
    return readMailbox(api.config.mail.mailboxDir, 'jansen-bouw').filter((m) => m.to === address);
  };
  const tokenIn = (text: string) => /\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

  beforeAll(async () => {
    db = await seededDatabase(200);
    api = await startApp(db, testConfig());
    await user('jansen-bouw', 'koper@jansen.example', ['BUYER']);
    await user('jansen-bouw', 'beheer@jansen.example', ['COMPANY_ADMIN']);
    await user('zorggroep-noord', 'koper@zorg.example', ['BUYER']);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('signs in with the form and out again; cookies are HttpOnly, SameSite=Lax, not Secure on http', async () => {
    const v = visitor();
    const form = await v.get('/login');
    expect(form.status).toBe(200);
    expect(form.body).toContain('<title>Inloggen · Jansen Bouw B.V.</title>');
    const anon = setCookie(form, 'vitrine_anon');
    expect(anon).toMatch(/HttpOnly/);
    expect(anon).toMatch(/SameSite=Lax/);
    expect(anon).not.toMatch(/Secure/);

    const res = await v.submitLogin('koper@jansen.example', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const session = setCookie(res, 'vitrine_session');
    expect(session).toMatch(/^vitrine_session=[A-Za-z0-9_-]{43};/);
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/);
    // Only the SHA-256 of the cookie's token is stored.
    const token = v.cookies.get('vitrine_session') ?? '';
    const stored = await sql<Array<{ id: string }>>(`SELECT id FROM web_session`);
    expect(stored.map((r) => r.id)).not.toContain(token);
    expect(await sessionsOf('koper@jansen.example')).toBe(1);

    const home = await v.get('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('U bent ingelogd.');
    expect(home.body).toContain('Uitloggen (Name of koper)');
    expect(home.body).toMatch(/href="\/cart"/);
    expect(home.body).not.toContain('href="/company/users"');
    // The notice was shown once.
    expect((await v.get('/')).body).not.toContain('U bent ingelogd.');

    const out = await v.post('/logout', { _csrf: await v.csrf('/') });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/');
    expect(setCookie(out, 'vitrine_session')).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
    expect(await sessionsOf('koper@jansen.example')).toBe(0);

    // The old cookie, presented again, is nobody (and is cleared).
    const replay = await httpRequest(api.port, {
      host: JANSEN,
      path: '/',
      headers: { accept: 'text/html', cookie: `vitrine_session=${token}` },
    });
    expect(replay.body).not.toContain('Uitloggen');
    expect(setCookie(replay, 'vitrine_session')).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
  });

  it('never reads the session cookie on the API', async () => {
    const v = visitor();
    await v.submitLogin('koper@jansen.example', PASSWORD);
    const res = await httpRequest(api.port, {
      host: JANSEN,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', cookie: v.cookieHeader },
      body: JSON.stringify({ query: '{ me { email } }' }),
    });
    const body = res.json<{ data?: { me: unknown }; errors?: unknown[] }>();
    expect(body.data?.me ?? null).toBeNull();
  });

  it('marks cookies Secure when a trusted proxy says the request came over TLS', async () => {
    const proxied = await startApp(db, testConfig({ TRUSTED_PROXIES: '127.0.0.1' }));
    try {
      const viaProxy = await httpRequest(proxied.port, {
        host: JANSEN,
        path: '/login',
        headers: { accept: 'text/html', 'x-forwarded-proto': 'https' },
      });
      expect(setCookie(viaProxy, 'vitrine_anon')).toMatch(/; Secure/);
    } finally {
      await proxied.app.close();
    }
    // Without a trusted proxy the header is the client's word, and not believed.
    const direct = await httpRequest(api.port, {
      host: JANSEN,
      path: '/login',
      headers: { accept: 'text/html', 'x-forwarded-proto': 'https' },
    });
    expect(setCookie(direct, 'vitrine_anon')).not.toMatch(/Secure/);
  });

  it("does not sign anyone in on tenant B's host with tenant A's session cookie", async () => {
    const v = visitor(JANSEN);
    await v.submitLogin('koper@jansen.example', PASSWORD);
    const onZorg = await httpRequest(api.port, {
      host: ZORG,
      path: '/',
      headers: { accept: 'text/html', cookie: v.cookieHeader },
    });
    expect(onZorg.status).toBe(200);
    expect(onZorg.body).not.toContain('Uitloggen');
    expect(onZorg.body).toContain('href="/login"');
    expect(setCookie(onZorg, 'vitrine_session')).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
    // And the session still works where it belongs.
    expect((await v.get('/')).body).toContain('Uitloggen');
  });

  it('refuses a missing, tampered or foreign CSRF token with 403 and changes nothing', async () => {
    const v = visitor();
    const token = await v.csrf();
    const attempts: Array<Record<string, string>> = [
      {},
      { _csrf: '' },
      { _csrf: `${token.slice(0, -2)}xx` },
      { _csrf: await visitor().csrf() }, // another visitor's token
    ];
    for (const extra of attempts) {
      const res = await v.post('/login', {
        email: 'koper@jansen.example',
        password: PASSWORD,
        ...extra,
      });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      // The shop's default language is Dutch: the themed 403 page says it in Dutch.
      expect(res.body).toContain('Het formulier is verlopen of gewijzigd');
      expect(setCookie(res, 'vitrine_session')).toBeUndefined();
    }
    // On an English page, the same refusal in English.
    v.cookies.set('vitrine_lang', 'en');
    const english = await v.post('/login', { email: 'koper@jansen.example', password: PASSWORD });
    v.cookies.delete('vitrine_lang');
    expect(english.status).toBe(403);
    expect(english.body).toContain('The form expired or was tampered with');
    // A valid token from a page of another origin (Origin header) is refused too.
    const crossSite = await v.post(
      '/login',
      { _csrf: token, email: 'koper@jansen.example', password: PASSWORD },
      { origin: 'http://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    // A signed-in admin's change with a wrong token: 403, the user unchanged.
    const admin = visitor();
    await admin.submitLogin('beheer@jansen.example', PASSWORD);
    const before = await sql<Array<{ roles: string[] }>>(
      `SELECT roles FROM app_user WHERE email = 'koper@jansen.example'`,
    );
    const res = await admin.post('/company/users/update', {
      _csrf: token, // the anonymous token of another visitor
      email: 'koper@jansen.example',
      roles: ['VIEWER'],
    });
    expect(res.status).toBe(403);
    const after = await sql<Array<{ roles: string[] }>>(
      `SELECT roles FROM app_user WHERE email = 'koper@jansen.example'`,
    );
    expect(after).toEqual(before);
  });

  it('answers wrong credentials with 401, the form and a clear message, and no session', async () => {
    const sessionsBefore = await sql<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM web_session`,
    );
    const v = visitor();
    const res = await v.submitLogin('koper@jansen.example', 'not the password at all');
    expect(res.status).toBe(401);
    expect(res.body).toContain('Het e-mailadres of het wachtwoord klopt niet.');
    expect(res.body).toContain('value="koper@jansen.example"');
    expect(res.body).toContain('name="password"');
    expect(setCookie(res, 'vitrine_session')).toBeUndefined();
    // A user of another tenant with the right password is just as unknown here.
    expect((await v.submitLogin('koper@zorg.example', PASSWORD)).status).toBe(401);
    const sessionsAfter = await sql<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM web_session`,
    );
    expect(sessionsAfter).toEqual(sessionsBefore);
  });

  it('goes back to the page that asked for a sign-in, and never to another site', async () => {
    const anonymous = await visitor().get('/company/users?tab=1');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fcompany%2Fusers%3Ftab%3D1');
    // (Sign-ins count against the account's rate limit: this test has its own user.)
    await user('jansen-bouw', 'terug@jansen.example', ['BUYER']);
    expect(
      (await visitor().submitLogin('terug@jansen.example', PASSWORD, '/orders?page=2')).headers
        .location,
    ).toBe('/orders?page=2');
    for (const evil of [
      '//evil.example/',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      ' //evil.example',
      '/\t/evil.example',
    ]) {
      const res = await visitor().submitLogin('terug@jansen.example', PASSWORD, evil);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
    }
    // Encoded line breaks stay an encoded path on this site (no header injection).
    const crlf = await visitor().submitLogin(
      'terug@jansen.example',
      PASSWORD,
      '/%0d%0aLocation: http://evil.example',
    );
    expect(crlf.headers.location).toBe('/%0d%0aLocation:%20http://evil.example');
  });

  it("ends a deactivated user's session at once, and the company admin page works for admins only", async () => {
    await user('jansen-bouw', 'tijdelijk@jansen.example', ['BUYER']);
    const temp = visitor();
    await temp.submitLogin('tijdelijk@jansen.example', PASSWORD);
    expect((await temp.get('/')).body).toContain('Uitloggen');
    // A buyer is not an admin: 403 page.
    const notAdmin = await temp.get('/company/users');
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body).toContain('Niet toegestaan');

    const admin = visitor();
    await admin.submitLogin('beheer@jansen.example', PASSWORD);
    const page = await admin.get('/company/users');
    expect(page.status).toBe(200);
    expect(page.body).toContain('tijdelijk@jansen.example');
    expect(page.body).toContain('Gebruikers van');

    // Roles and spend limit change with the form; a bad amount changes nothing.
    const _csrf = await admin.csrf('/company/users');
    const bad = await admin.post('/company/users/update', {
      _csrf,
      email: 'tijdelijk@jansen.example',
      roles: ['VIEWER'],
      spendLimit: 'veel',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Vul de limiet in als bedrag');
    const ok = await admin.post('/company/users/update', {
      _csrf,
      email: 'tijdelijk@jansen.example',
      roles: ['VIEWER', 'APPROVER'],
      spendLimit: '1500,50',
      canSeePrices: 'on',
    });
    expect(ok.status).toBe(303);
    const [changed] = await sql<Array<{ roles: string[]; spend_limit_minor: string }>>(
      `SELECT roles, spend_limit_minor::text FROM app_user WHERE email = 'tijdelijk@jansen.example'`,
    );
    expect(changed).toEqual({ roles: ['VIEWER', 'APPROVER'], spend_limit_minor: '150050' });
    // The new roles count on the very next request of the user's own session.
    const afterChange = await temp.get('/');
    expect(afterChange.body).not.toMatch(/href="\/cart"/);
    expect(afterChange.body).toContain('Uitloggen');

    const gone = await admin.post('/company/users/deactivate', {
      _csrf,
      email: 'tijdelijk@jansen.example',
    });
    expect(gone.status).toBe(303);
    expect((await admin.get('/company/users')).body).toContain(
      'tijdelijk@jansen.example kan niet meer inloggen.',
    );
    const after = await temp.get('/');
    expect(after.body).not.toContain('Uitloggen');
    expect((await visitor().submitLogin('tijdelijk@jansen.example', PASSWORD)).status).toBe(401);
  });

  it('invites a colleague from the admin page; the invitation link sets a password and signs in', async () => {
    const admin = visitor();
    await admin.submitLogin('beheer@jansen.example', PASSWORD);
    const _csrf = await admin.csrf('/company/users');
    const invalid = await admin.post('/company/users/invite', {
      _csrf,
      email: 'geen-adres',
      name: 'Nieuw',
      roles: ['BUYER'],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('value="geen-adres"');
    expect(invalid.body).toContain('geen-adres&quot; is geen e-mailadres.');
    const res = await admin.post('/company/users/invite', {
      _csrf,
      email: 'nieuw@jansen.example',
      name: 'Nieuwe Collega',
      roles: ['BUYER'],
      spendLimit: '250',
      canSeePrices: 'on',
    });
    expect(res.status).toBe(303);
    // The company service's refusal, in the page's language.
    const twice = await admin.post('/company/users/invite', {
      _csrf,
      email: 'nieuw@jansen.example',
      name: 'Nieuwe Collega',
      roles: ['BUYER'],
    });
    expect(twice.status).toBe(400);
    expect(twice.body).toContain('nieuw@jansen.example heeft al een account op deze site.');
    const [mail] = await mailsTo('nieuw@jansen.example');
    const token = tokenIn(mail.text);
    expect(token).not.toBe('');

    const v = visitor();
    const form = await v.get(`/invitation?token=${token}`);
    expect(form.status).toBe(200);
    expect(form.body).toContain('Wachtwoord instellen');
    expect(form.body).toContain('<link rel="canonical" href="http://jansen-bouw.localhost');
    expect(form.body).not.toMatch(new RegExp(`canonical[^>]*${token}`));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const mismatch = await v.post('/invitation', {
      _csrf: csrf,
      token,
      password: 'een lang wachtwoord',
      password2: 'een ander wachtwoord',
    });
    expect(mismatch.status).toBe(422);
    const set = await v.post('/invitation', {
      _csrf: csrf,
      token,
      password: 'een lang wachtwoord',
      password2: 'een lang wachtwoord',
    });
    expect(set.status).toBe(303);
    expect(setCookie(set, 'vitrine_session')).toBeDefined();
    expect((await v.get('/')).body).toContain('Uitloggen (Nieuwe Collega)');
    // Single use.
    const again = await visitor().post('/invitation', {
      _csrf: await v.csrf('/'),
      token,
      password: 'nog een wachtwoord',
      password2: 'nog een wachtwoord',
    });
    expect(again.status).toBe(403); // another visitor's token
    const v2 = visitor();
    const reuse = await v2.post('/invitation', {
      _csrf: await v2.csrf(`/invitation?token=${token}`),
      token,
      password: 'nog een wachtwoord',
      password2: 'nog een wachtwoord',
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body).toContain('Deze link is al gebruikt of verlopen.');
  });

  it('resets a password: the same answer for any address, the link sets a new one and ends old sessions', async () => {
    await user('jansen-bouw', 'vergeten@jansen.example', ['BUYER']);
    const old = visitor();
    await old.submitLogin('vergeten@jansen.example', PASSWORD);
    const v = visitor();
    const ask = async (email: string) => {
      const res = await v.post('/password-reset', {
        _csrf: await v.csrf('/password-reset'),
        email,
      });
      expect(res.status).toBe(200);
      return res.body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '');
    };
    const known = await ask('vergeten@jansen.example');
    const unknown = await ask('niemand@jansen.example');
    expect(known).toEqual(unknown);
    expect(known).toContain('Als er een account bij dit adres hoort');

    const [mail] = await mailsTo('vergeten@jansen.example');
    const token = tokenIn(mail.text);
    const csrf = await v.csrf(`/password-reset?token=${token}`);
    const short = await v.post('/password-reset', {
      _csrf: csrf,
      token,
      password: 'kort',
      password2: 'kort',
    });
    expect(short.status).toBe(422);
    const res = await v.post('/password-reset', {
      _csrf: csrf,
      token,
      password: 'een heel nieuw wachtwoord',
      password2: 'een heel nieuw wachtwoord',
    });
    expect(res.status).toBe(303);
    expect((await v.get('/')).body).toContain('Uitloggen');
    expect((await old.get('/')).body).not.toContain('Uitloggen');
    expect(await sessionsOf('vergeten@jansen.example')).toBe(1);
    expect((await visitor().submitLogin('vergeten@jansen.example', PASSWORD)).status).toBe(401);
    expect(
      (await visitor().submitLogin('vergeten@jansen.example', 'een heel nieuw wachtwoord')).status,
    ).toBe(303);
  });

  it('limits reset requests per address, whether or not it has an account', async () => {
    const v = visitor();
    const ask = async () =>
      v.post('/password-reset', {
        _csrf: await v.csrf('/password-reset'),
        email: 'overvol@jansen.example',
      });
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body).toContain('Te veel aanvragen voor een nieuw wachtwoord');
  });

  it('remembers ?lang= in a cookie that wins over Accept-Language', async () => {
    const v = visitor();
    const en = await v.get('/login?lang=en', { 'accept-language': 'nl' });
    expect(en.body).toContain('<html lang="en">');
    expect(setCookie(en, 'vitrine_lang')).toMatch(/^vitrine_lang=en;/);
    expect((await v.get('/login', { 'accept-language': 'nl' })).body).toContain('<html lang="en">');
    // A locale the tenant does not have is ignored.
    const other = visitor();
    const fr = await other.get('/login?lang=fr', { 'accept-language': 'nl' });
    expect(fr.body).toContain('<html lang="nl">');
    expect(setCookie(fr, 'vitrine_lang')).toBeUndefined();
  });

  it('keeps web sessions to their tenant at the database level (RLS)', async () => {
    await user('jansen-bouw', 'rls@jansen.example', ['BUYER']);
    const v = visitor();
    await v.submitLogin('rls@jansen.example', PASSWORD);
    const [zorg] = await sql<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
    );
    const [jansen] = await sql<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'jansen-bouw'`,
    );
    const jansenRows = await sql<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM web_session WHERE tenant_id = $1`,
      [jansen.id],
    );
    expect(jansenRows[0].n).toBeGreaterThan(0);
    const seen = await asTenantRuntime(db.dataSource, zorg.id, ['web_session'], async (em) => {
      const rows = (await em.query(`SELECT * FROM web_session`)) as unknown[];
      await em.query(`UPDATE web_session SET expires_at = now() + interval '10 years'`);
      await em.query(`DELETE FROM web_session`);
      return rows.length;
    });
    expect(seen).toBe(0);
    await expect(
      asTenantRuntime(db.dataSource, zorg.id, ['web_session'], (em) =>
        em.query(
          `INSERT INTO web_session (id, tenant_id, user_id, csrf_secret, expires_at)
           SELECT repeat('a', 64), tenant_id, user_id, 'x', now() + interval '1 day' FROM web_session LIMIT 1`,
        ),
      ),
    ).resolves.toBeDefined(); // selects nothing to copy: RLS hides jansen's rows
    await expect(
      asTenantRuntime(db.dataSource, zorg.id, ['web_session'], (em) =>
        em.query(
          `INSERT INTO web_session (id, tenant_id, user_id, csrf_secret, expires_at)
           VALUES (repeat('b', 64), $1, gen_random_uuid(), 'x', now() + interval '1 day')`,
          [jansen.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    expect(
      (
        await sql<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM web_session WHERE tenant_id = $1`,
          [jansen.id],
        )
      )[0].n,
    ).toBe(jansenRows[0].n);
    expect((await v.get('/')).body).toContain('Uitloggen');
  });

  describe('in a headless browser', () => {
    let browser: Browser;
    const available = chromiumAvailable();
    const maybe = available ? it : it.skip;

    beforeAll(async () => {
      if (!available) return;
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    maybe(
      'signs in through the form on jansen-bouw.localhost and sees the account navigation',
      async () => {
        const context = await browser.newContext({ locale: 'nl-NL' });
        const tab = await context.newPage();
        await tab.goto(`http://${JANSEN}:${api.port}/`);
        const nav = tab.getByRole('navigation', { name: 'Accountmenu' });
        await nav.getByRole('link', { name: 'Inloggen' }).click();
        await tab.waitForURL(/\/login$/);
        await tab.getByLabel('E-mailadres').fill('beheer@jansen.example');
        await tab.getByLabel('Wachtwoord').fill(PASSWORD);
        await tab.getByRole('button', { name: 'Inloggen' }).click();
        await tab.waitForURL(`http://${JANSEN}:${api.port}/`);
        await expect(nav.getByRole('link', { name: 'Gebruikers' }).isVisible()).resolves.toBe(true);
        await expect(nav.getByRole('button', { name: /Uitloggen/ }).isVisible()).resolves.toBe(
          true,
        );
        const cookies = await context.cookies();
        const session = cookies.find((c) => c.name === 'vitrine_session');
        expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
        await nav.getByRole('link', { name: 'Gebruikers' }).click();
        await tab.waitForURL(/\/company\/users$/);
        expect(await tab.title()).toBe('Gebruikers · Jansen Bouw B.V.');
        await nav.getByRole('button', { name: /Uitloggen/ }).click();
        await tab.waitForURL(`http://${JANSEN}:${api.port}/`);
        await expect(nav.getByRole('link', { name: 'Inloggen' }).isVisible()).resolves.toBe(true);
        await context.close();
      },
    );
  });
});
