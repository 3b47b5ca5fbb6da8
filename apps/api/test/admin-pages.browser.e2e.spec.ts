import axe from 'axe-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AdminAccountService } from '@vitrine/admin';
import type { TestDatabase } from '@vitrine/testing';
import {
  maintenanceSql,
  REPO_ROOT,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';
import { chromiumAvailable, launchChromium } from './browser';

const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');
const PASSWORD = 'correct horse battery staple';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * The admin pages in headless Chromium: sign in through the form, the tenant list and its
 * status filter, a tenant's KPI page with its charts, its orders (filtered), quotes and audit
 * log. Every page: axe-core without serious or critical violations, no sideways scrolling at
 * 375 px, screenshots at 375 and 1440 px in test-output/screenshots/admin-*.png. A second,
 * unprivileged context checks that the pages' own CSP lets their stylesheet through and
 * blocks nothing they need (axe is injected into a context that bypasses the CSP: the pages
 * allow no scripts at all).
 */
describe('admin pages in a browser (end to end)', () => {
  const available = chromiumAvailable();
  const maybe = available ? it : it.skip;

  let db: TestDatabase;
  let api: RunningApp;
  let browser: Browser;
  const sql = maintenanceSql(() => api);
  const origin = () => `http://admin.localhost:${api.port}`;

  beforeAll(async () => {
    db = await seededDatabase(50);
    api = await startApp(db, testConfig());
    const accounts = api.app.get(AdminAccountService);
    await accounts.create('test', {
      email: 'manager@seller.example',
      name: 'Manager',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['jansen-bouw', 'zorggroep-noord'],
      password: PASSWORD,
    });
    // Orders over the last three weeks, one with a long note that says <script>.
    const [t] = await sql<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'jansen-bouw'`,
    );
    const [c] = await sql<Array<{ id: string }>>(
      `INSERT INTO company (tenant_id, code, name, country)
       VALUES ($1, 'browser', 'Bouwbedrijf De Langste Naam Van Het Land B.V.', 'NL') RETURNING id`,
      [t.id],
    );
    const [u] = await sql<Array<{ id: string }>>(
      `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status)
       VALUES ($1, $2, 'browser@jansen-bouw.example', 'Inkoper Browser', '{BUYER}', 'ACTIVE') RETURNING id`,
      [t.id, c.id],
    );
    await sql(
      `INSERT INTO customer_order (tenant_id, number, company_id, placed_by, status, ship_to, currency,
         subtotal_minor, shipping_minor, tax_minor, total_minor, vat, po_number, note, created_at, updated_at)
       SELECT $1, 'BRW-' || lpad(i::text, 5, '0'), $2, $3,
              (ARRAY['PLACED','CONFIRMED','SHIPPED','INVOICED','CANCELLED'])[1 + i % 5],
              '{"name":"X","street":"Y 1","postalCode":"1234 AB","city":"Utrecht","country":"NL"}',
              'EUR', 10000 * i + 4550, 995, round((10000 * i + 5545) * 0.21), round((10000 * i + 5545) * 1.21),
              '{"rates":[],"note":null}', 'PO-' || i,
              CASE WHEN i = 3 THEN '<script>alert(1)</script> Graag leveren vóór 10:00 aan de achterzijde; bel ' || repeat('0612345678', 4) ELSE NULL END,
              now() - (i || ' days')::interval, now() - (i || ' days')::interval
         FROM generate_series(1, 21) i`,
      [t.id, c.id, u.id],
    );
    await sql(
      `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, note, status,
         currency, valid_until, offered_at, created_at, updated_at)
       VALUES ($1, 'BRW-Q-1', $2, $3, 'browser@jansen-bouw.example', 'Prijs voor 500 stuks?', 'OFFERED',
               'EUR', now() + interval '14 days', now(), now() - interval '2 days', now())`,
      [t.id, c.id, u.id],
    );
    await sql(
      `INSERT INTO audit_log (at, actor, action, tenant_id, target, before, after, outcome, reason)
       VALUES (now() - interval '1 hour', 'cli:ops', 'tenant.update', $1, 'jansen-bouw',
               '{"name":"Jansen Bouw","features":[{"key":"quotes","enabled":false}]}',
               '{"name":"Jansen Bouw B.V.","features":[{"key":"quotes","enabled":true}]}', 'APPLIED', NULL),
              (now(), 'someone-with-a-rather-long-identifier@seller.example', 'tenant.status', $1,
               'jansen-bouw', NULL, NULL, 'REFUSED',
               'FORBIDDEN: Tenant "jansen-bouw" is not assigned to you: an account manager works on tenants of their own tenants only.')`,
      [t.id],
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    if (!available) return;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
    await db?.close();
  });

  /** Serious and critical axe-core violations of the page as it is now. */
  async function axeProblems(tab: Page): Promise<string[]> {
    await tab.addScriptTag({ content: axe.source });
    const violations = await tab.evaluate<AxeViolation[]>(
      `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
    );
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${new URL(tab.url()).pathname}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
            .slice(0, 3)
            .map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
            .join(' | ')}`,
      );
  }

  /** What sticks out sideways at the current width (nothing, when all is well). */
  function sideways(tab: Page): Promise<string[]> {
    return tab.evaluate<string[]>(
      `document.documentElement.scrollWidth <= document.documentElement.clientWidth ? [] :
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + '.' + e.className)`,
    );
  }

  /** axe, then the page at 375 px (no sideways scroll) and 1440 px, with screenshots. */
  async function check(tab: Page, name: string, problems: string[]): Promise<void> {
    problems.push(...(await axeProblems(tab)));
    await tab.setViewportSize({ width: 375, height: 812 });
    const wide = await sideways(tab);
    if (wide.length) problems.push(`${name}: sideways scroll at 375 px: ${wide.join(', ')}`);
    await tab.screenshot({ path: join(SCREENSHOTS, `admin-${name}-375.png`), fullPage: true });
    // What a phone shows first, without scrolling.
    await tab.screenshot({ path: join(SCREENSHOTS, `admin-${name}-375-top.png`) });
    await tab.setViewportSize({ width: 1440, height: 900 });
    await tab.screenshot({ path: join(SCREENSHOTS, `admin-${name}-1440.png`), fullPage: true });
  }

  maybe(
    'signs in, filters the tenants, opens KPIs, orders, quotes and the audit log',
    async () => {
      const context: BrowserContext = await browser.newContext({
        locale: 'en-GB',
        bypassCSP: true,
        viewport: { width: 1440, height: 900 },
      });
      const tab = await context.newPage();
      const problems: string[] = [];
      try {
        await tab.goto(`${origin()}/admin`);
        await tab.waitForURL(/\/admin\/login$/);
        await check(tab, 'login', problems);
        await tab.getByLabel('E-mail').fill('manager@seller.example');
        await tab.getByLabel('Password').fill(PASSWORD);
        await tab.getByRole('button', { name: 'Sign in' }).click();
        await tab.waitForURL(`${origin()}/admin`);
        await expect(tab.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Tenants');
        await check(tab, 'tenants', problems);

        // The status filter is a plain GET form.
        await tab.getByLabel('Status').selectOption('ACTIVE');
        await tab.getByRole('button', { name: 'Show' }).click();
        await tab.waitForURL(/\/admin\?status=ACTIVE$/);
        await expect(tab.locator('table.tenants tbody tr').count()).resolves.toBe(2);

        // One tenant's KPIs, with its two charts.
        await tab.getByRole('link', { name: 'jansen-bouw', exact: true }).click();
        await tab.waitForURL(/\/admin\/tenants\/jansen-bouw$/);
        await expect(tab.locator('figure.chart svg').count()).resolves.toBe(2);
        await check(tab, 'tenant-kpis', problems);

        // Its orders, then only the cancelled ones.
        const pages = tab.getByRole('navigation', { name: 'Tenant pages' });
        await pages.getByRole('link', { name: 'Orders' }).click();
        await tab.waitForURL(/\/orders$/);
        const rows = tab.locator('table.orders tbody tr');
        await expect(rows.count()).resolves.toBe(21);
        await expect(tab.locator('table.orders').innerText()).resolves.toContain(
          '<script>alert(1)</script>',
        );
        await check(tab, 'orders', problems);
        await tab.getByLabel('Status').selectOption('CANCELLED');
        await tab.getByRole('button', { name: 'Show' }).click();
        await tab.waitForURL(/\/orders\?status=CANCELLED$/);
        await expect(rows.count()).resolves.toBe(4);

        await pages.getByRole('link', { name: 'Quotes' }).click();
        await tab.waitForURL(/\/quotes$/);
        await check(tab, 'quotes', problems);

        await pages.getByRole('link', { name: 'Audit log' }).click();
        await tab.waitForURL(/\/audit$/);
        await tab.locator('details summary').first().click();
        await expect(tab.locator('details pre').first().isVisible()).resolves.toBe(true);
        await check(tab, 'audit', problems);

        // A bad filter is a readable 400 page.
        await tab.goto(`${origin()}/admin/tenants/jansen-bouw/orders?status=LOST`);
        await expect(tab.getByRole('alert').innerText()).resolves.toContain(
          'is not a status of this list',
        );
        await check(tab, 'error-400', problems);
      } finally {
        await context.close();
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );

  maybe(
    'keeps its CSP: the stylesheet applies, nothing is blocked, no script runs',
    async () => {
      const context = await browser.newContext({ locale: 'en-GB' });
      const tab = await context.newPage();
      const blocked: string[] = [];
      tab.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
      });
      try {
        const res = await tab.goto(`${origin()}/admin/login`);
        expect(res?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
        // admin.css sets the page's background.
        await expect(
          tab.evaluate<string>(`getComputedStyle(document.body).backgroundColor`),
        ).resolves.toBe('rgb(246, 248, 250)');
        // An inline script is refused.
        await tab
          .addScriptTag({ content: 'document.body.dataset.ran = "yes"' })
          .catch(() => undefined);
        await expect(
          tab.evaluate<string | null>(`document.body.dataset.ran ?? null`),
        ).resolves.toBe(null);
        expect(blocked.some((b) => /script/i.test(b))).toBe(true);
        expect(blocked.filter((b) => /style/i.test(b))).toEqual([]);
      } finally {
        await context.close();
      }
    },
    60_000,
  );
});
