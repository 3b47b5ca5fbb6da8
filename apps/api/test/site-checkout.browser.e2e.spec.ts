import axe from 'axe-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PasswordService } from '@vitrine/accounts';
import { readMailbox } from '@vitrine/notifications';
import { OutboxWorker } from '@vitrine/outbox';
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
import { DEMO_PASSWORD } from './site-visitor';

const SCREENSHOTS = join(REPO_ROOT, 'test-output', 'screenshots');

/** The two demo key-account sites the issue's proof walks through, with a demo buyer each. */
const TENANTS = [
  {
    slug: 'jansen-bouw',
    host: 'jansen-bouw.localhost',
    buyer: 'inkoop@jansenbouw.example',
    po: true,
  },
  {
    slug: 'zorggroep-noord',
    host: 'zorggroep-noord.localhost',
    buyer: 'inkoop@zorggroep-noord.example',
    po: false,
  },
] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * The proof of issue #7 in headless Chromium: for two demo tenants, sign in through the login
 * form, search an article number, add it to the cart on the product page, check out, see the
 * order in the history and its confirmation e-mail in the mailbox folder. Screenshots of each
 * home page at 375 and 1440 px go to test-output/screenshots/; axe-core checks every page type
 * for serious and critical violations.
 */
describe('microsite checkout in a browser (end to end)', () => {
  const available = chromiumAvailable();
  const maybe = available ? it : it.skip;

  let db: TestDatabase;
  let api: RunningApp;
  let browser: Browser;
  const sql = maintenanceSql(() => api);

  beforeAll(async () => {
    db = await seededDatabase(200);
    api = await startApp(db, testConfig());
    // The demo users sign in with the demo password, as `npm start` provisions them in development.
    const hash = await api.app.get(PasswordService).hash(DEMO_PASSWORD);
    await sql(`UPDATE app_user SET status = 'ACTIVE', password_hash = $1`, [hash]);
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
    // Through DevTools, not a <script> tag: the pages' CSP rightly refuses inline scripts
    // without their nonce, and the test must not switch it off (bypassCSP) to see its reports.
    await tab.evaluate(axe.source);
    // A string expression: it runs in the page, whose DOM types this Node project does not load.
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

  /** Nothing makes the page scroll sideways; names what sticks out when something does. */
  async function expectNoSidewaysScroll(tab: Page): Promise<void> {
    const wide = await tab.evaluate<string[]>(
      `document.documentElement.scrollWidth <= document.documentElement.clientWidth ? [] :
        [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + '.' + e.className)`,
    );
    expect({ page: tab.url(), wide }).toEqual({ page: tab.url(), wide: [] });
  }

  /** The current page at a phone's width: no sideways scrolling, a screenshot to look at. */
  async function atPhoneWidth(tab: Page, name: string): Promise<void> {
    await tab.setViewportSize({ width: 375, height: 812 });
    await expectNoSidewaysScroll(tab);
    await tab.screenshot({ path: join(SCREENSHOTS, `${name}-375.png`), fullPage: true });
    await tab.setViewportSize({ width: 1440, height: 900 });
  }

  /** An article of the tenant anyone can order one of: in stock, no minimum, no multiple. */
  async function orderableSku(slug: string): Promise<string> {
    const [row] = await sql<Array<{ sku: string }>>(
      `SELECT v.sku FROM variant v
         JOIN tenant_variant tv ON tv.variant_id = v.id JOIN tenant t ON t.id = tv.tenant_id
        WHERE t.slug = $1 AND v.status = 'ACTIVE' AND v.stock_on_hand >= 50
          AND v.min_order_quantity = 1 AND v.order_multiple = 1 AND coalesce(v.weight_grams, 0) < 5000
        ORDER BY v.sku LIMIT 1`,
      [slug],
    );
    return row.sku;
  }

  for (const tenant of TENANTS) {
    maybe(
      `${tenant.slug}: signs in, searches an article number, orders it, finds the order and its e-mail`,
      async () => {
        const origin = `http://${tenant.host}:${api.port}`;
        const context: BrowserContext = await browser.newContext({ locale: 'nl-NL' });
        const tab = await context.newPage();
        const problems: string[] = [];
        // The pages' Content-Security-Policy (nonces) must block nothing of their own.
        tab.on('console', (m) => {
          if (/Content.Security.Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
        });
        try {
          // Sign in through the form.
          await tab.goto(`${origin}/`);
          expect(
            await tab.evaluate<string>(
              "getComputedStyle(document.documentElement).getPropertyValue('--primary')",
            ),
          ).not.toBe('');
          problems.push(...(await axeProblems(tab)));
          const nav = tab.getByRole('navigation', { name: 'Accountmenu' });
          await nav.getByRole('link', { name: 'Inloggen' }).click();
          await tab.waitForURL(/\/login/);
          problems.push(...(await axeProblems(tab)));
          await tab.getByLabel('E-mailadres').fill(tenant.buyer);
          await tab.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
          await tab.getByRole('button', { name: 'Inloggen' }).click();
          await tab.waitForURL(`${origin}/`);
          await expect(nav.getByRole('link', { name: 'Winkelwagen' }).isVisible()).resolves.toBe(
            true,
          );

          // The home page as the buyer sees it, at a phone's and a desktop's width.
          for (const width of [375, 1440]) {
            await tab.setViewportSize({ width, height: width === 375 ? 812 : 900 });
            await tab.goto(`${origin}/`);
            await tab.screenshot({
              path: join(SCREENSHOTS, `${tenant.slug}-home-${width}.png`),
              fullPage: true,
            });
            // What the visitor sees first, without scrolling.
            await tab.screenshot({
              path: join(SCREENSHOTS, `${tenant.slug}-home-${width}-top.png`),
            });
            await expectNoSidewaysScroll(tab);
          }
          problems.push(...(await axeProblems(tab)));

          // A category page, from the home page's categories.
          const category = tab.locator('a[href^="/c/"]').first();
          await category.click();
          await tab.waitForURL(/\/c\//);
          problems.push(...(await axeProblems(tab)));

          // Search the article number in the header; open the product.
          const sku = await orderableSku(tenant.slug);
          await tab.getByRole('searchbox').fill(sku);
          await tab.getByRole('button', { name: 'Zoeken' }).click();
          await tab.waitForURL(/\/search\?q=/);
          problems.push(...(await axeProblems(tab)));
          await tab.locator('article.product h2 a').first().click();
          await tab.waitForURL(/\/p\//);
          problems.push(...(await axeProblems(tab)));

          // Add two to the cart from the article's row.
          const productUrl = tab.url();
          const row = tab.locator('tr', { has: tab.locator('td.sku', { hasText: sku }) });
          await row.getByLabel(`Aantal van ${sku}`).fill('2');
          await row.getByRole('button', { name: 'In winkelwagen' }).click();
          await tab.waitForURL(productUrl);
          await expect(tab.getByRole('status').innerText()).resolves.toContain(
            `2 × ${sku} toegevoegd`,
          );

          // The cart, then checkout.
          await nav.getByRole('link', { name: 'Winkelwagen' }).click();
          await tab.waitForURL(/\/cart$/);
          expect(await tab.locator('table.lines').innerText()).toContain(sku);
          problems.push(...(await axeProblems(tab)));
          await atPhoneWidth(tab, `${tenant.slug}-cart`);
          await tab.getByRole('link', { name: 'Naar afrekenen' }).click();
          await tab.waitForURL(/\/checkout$/);
          problems.push(...(await axeProblems(tab)));
          await atPhoneWidth(tab, `${tenant.slug}-checkout`);
          if (tenant.po) await tab.getByLabel(/Inkoopordernummer/).fill('PO-BROWSER-1');
          await tab.getByLabel(/Opmerking/).fill('Graag voor 10 uur');
          await tab.getByRole('button', { name: 'Bestelling plaatsen' }).click();
          await tab.waitForURL(/\/orders\/\d{4}-\d{5}$/);
          const number = tab.url().split('/').pop() as string;
          await expect(tab.getByRole('status').innerText()).resolves.toContain(
            `Bestelling ${number} geplaatst.`,
          );
          expect(await tab.locator('table.lines').innerText()).toContain(sku);
          problems.push(...(await axeProblems(tab)));
          await atPhoneWidth(tab, `${tenant.slug}-order`);

          // The order in the history.
          await nav.getByRole('link', { name: 'Bestellingen' }).click();
          await tab.waitForURL(/\/orders$/);
          await expect(tab.getByRole('link', { name: number }).isVisible()).resolves.toBe(true);
          problems.push(...(await axeProblems(tab)));
          await atPhoneWidth(tab, `${tenant.slug}-orders`);

          // The other buying pages: quick order, quotes.
          await nav.getByRole('link', { name: 'Snel bestellen' }).click();
          await tab.waitForURL(/\/quick-order$/);
          await tab.getByLabel(/Regels/).fill(`${sku};1\nSKU-999999;2`);
          await expect(tab.locator('#quick-preview').innerText()).resolves.toContain(
            '2 regels herkend',
          );
          problems.push(...(await axeProblems(tab)));
          await atPhoneWidth(tab, `${tenant.slug}-quick-order`);
          await nav.getByRole('link', { name: 'Offertes' }).click();
          await tab.waitForURL(/\/quotes$/);
          problems.push(...(await axeProblems(tab)));

          // The confirmation e-mail in the mailbox folder.
          await api.app.get(OutboxWorker).drain();
          const mails = readMailbox(api.config.mail.mailboxDir, tenant.slug).filter(
            (m) => m.to.includes(tenant.buyer) && m.subject.includes(number),
          );
          expect(mails).toHaveLength(1);
          expect(mails[0].text).toContain(sku);
        } finally {
          await context.close();
        }
        expect(problems).toEqual([]);
      },
      120_000,
    );
  }

  // The other two demo tenants: the public prospect shop (anonymous, list prices) and the
  // English-first key account (signed in). Home page at both widths, axe, no sideways scroll.
  for (const tenant of [
    { slug: 'vitrine-shop', host: 'vitrine-shop.localhost', buyer: null },
    {
      slug: 'autoparts-delta',
      host: 'autoparts-delta.localhost',
      buyer: 'purchasing@autoparts-delta.example',
    },
  ]) {
    maybe(
      `${tenant.slug}: the home page in its theme at 375 and 1440 px`,
      async () => {
        const origin = `http://${tenant.host}:${api.port}`;
        const context: BrowserContext = await browser.newContext({ locale: 'en-GB' });
        const tab = await context.newPage();
        const problems: string[] = [];
        try {
          if (tenant.buyer) {
            await tab.goto(`${origin}/login`);
            await tab.getByLabel(/e-mail/i).fill(tenant.buyer);
            await tab.getByLabel(/password/i).fill(DEMO_PASSWORD);
            await tab.getByRole('button', { name: /sign in/i }).click();
            await tab.waitForURL(`${origin}/`);
          }
          for (const width of [375, 1440]) {
            await tab.setViewportSize({ width, height: width === 375 ? 812 : 900 });
            await tab.goto(`${origin}/`);
            await expect(tab.locator('article.product').count()).resolves.toBeGreaterThan(0);
            await tab.screenshot({
              path: join(SCREENSHOTS, `${tenant.slug}-home-${width}.png`),
              fullPage: true,
            });
            await tab.screenshot({
              path: join(SCREENSHOTS, `${tenant.slug}-home-${width}-top.png`),
            });
            await expectNoSidewaysScroll(tab);
          }
          problems.push(...(await axeProblems(tab)));
        } finally {
          await context.close();
        }
        expect(problems).toEqual([]);
      },
      60_000,
    );
  }
});
