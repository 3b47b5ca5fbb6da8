import { type Browser } from 'playwright-core';
import { httpRequest, type TestDatabase } from '@vitrine/testing';
import {
  buyerGql,
  buyerHeaders,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';
import { chromiumAvailable, launchChromium } from './browser';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';

/** Prices of a variant through the GraphQL API, for comparison with the page. */
async function apiPrice(
  port: number,
  host: string,
  sku: string,
  headers: Record<string, string>,
): Promise<string | null> {
  const res = await gql<{
    lookupSkus: Array<{ variant: { price: { unit: { amount: string } } | null } | null }>;
  }>(
    port,
    host,
    `query($s: [String!]!) { lookupSkus(skus: $s) { variant { price { unit { amount } } } } }`,
    { s: [sku] },
    headers,
  );
  return res.data?.lookupSkus[0].variant?.price?.unit.amount ?? null;
}

/** "209.16" → the nl and en renderings of that amount in EUR, as the page shows them. */
function shown(amount: string): RegExp {
  const [whole, fraction] = amount.split('.');
  return new RegExp(`€\\s?${whole},${fraction}|€${whole}\\.${fraction}`);
}

/** Key-account sites are login-only: requests go as a buyer of the host's tenant unless headers say otherwise. */
const gql = buyerGql(() => api);
let api: RunningApp;
describe('microsite home page (end to end)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await seededDatabase();
    api = await startApp(db, testConfig());
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  /** A page as a signed-in buyer of the host's tenant; `{ authorization: '' }` for anonymous. */
  const page = async (host: string, path = '/', headers: Record<string, string> = {}) => {
    const slug = host.split('.')[0];
    const asBuyer = await buyerHeaders(api, slug).catch(() => ({}));
    return httpRequest(api.port, { host, path, headers: { ...asBuyer, ...headers } });
  };

  it("renders the tenant's own branding, assortment and prices as HTML", async () => {
    const res = await page(JANSEN);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body).toContain('<title>Jansen Bouw B.V.</title>');
    expect(res.body).toContain('--primary: #e8590c;');
    expect(res.body).toMatch(/\d+ artikelen/);
  });

  it('shows two tenants the same article at their own price, equal to what the API says', async () => {
    const bySku = async (host: string) => {
      const res = await gql<{
        products: { edges: Array<{ node: { variants: Array<{ sku: string }> } }> };
      }>(
        api.port,
        host,
        `{ products(first: 100, categorySlug: "pbm") { edges { node { variants { sku } } } } }`,
      );
      return res.data!.products.edges.flatMap((e) => e.node.variants.map((v) => v.sku));
    };
    const jansen = await bySku(JANSEN);
    const zorg = new Set(await bySku(ZORG));
    const shared = jansen.filter((s) => zorg.has(s));
    expect(shared.length).toBeGreaterThan(0);

    const asJansen = await buyerHeaders(api, 'jansen-bouw');
    const asZorg = await buyerHeaders(api, 'zorggroep-noord');
    let differing = 0;
    for (const sku of shared.slice(0, 10)) {
      const pj = await apiPrice(api.port, JANSEN, sku, asJansen);
      const pz = await apiPrice(api.port, ZORG, sku, asZorg);
      const hj = await page(JANSEN, `/?q=${sku}`, asJansen);
      const hz = await page(ZORG, `/?q=${sku}`, asZorg);
      expect(hj.body).toContain(sku);
      expect(hz.body).toContain(sku);
      expect(hj.body).toMatch(shown(pj!));
      expect(hz.body).toMatch(shown(pz!));
      if (pj !== pz) differing++;
    }
    expect(differing).toBeGreaterThan(0);
  });

  it("never shows an article outside the tenant's assortment", async () => {
    const res = await gql<{
      products: { edges: Array<{ node: { variants: Array<{ sku: string }> } }> };
    }>(
      api.port,
      JANSEN,
      `{ products(first: 1, categorySlug: "gereedschap") { edges { node { variants { sku } } } } }`,
    );
    const toolSku = res.data!.products.edges[0].node.variants[0].sku;
    const zorgPage = await page(ZORG, `/?q=${toolSku}`);
    expect(zorgPage.status).toBe(200);
    expect(zorgPage.body).not.toMatch(new RegExp(`class="sku">[^<]*${toolSku}`));
    expect(zorgPage.body).toContain('Geen artikelen gevonden.');
  });

  it('shows anonymous visitors of a login-only site its name and theme, nothing of the assortment', async () => {
    const anonymous = await page(JANSEN, '/', { authorization: '' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toContain('<title>Jansen Bouw B.V.</title>');
    expect(anonymous.body).toContain('--primary: #e8590c;');
    expect(anonymous.body).toContain('Log in om het assortiment en uw prijzen te zien.');
    expect(anonymous.body).not.toMatch(/class="sku"|class="amount"|artikelen/);
  });

  it('speaks the negotiated locale', async () => {
    const asJansen = await buyerHeaders(api, 'jansen-bouw');
    const nl = await page(JANSEN, '/', { ...asJansen, 'accept-language': 'nl-NL,nl;q=0.9' });
    const en = await page(JANSEN, '/', { ...asJansen, 'accept-language': 'en-GB,en;q=0.9' });
    expect(nl.body).toContain('<html lang="nl">');
    expect(nl.body).toContain('Prijzen excl. btw');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Prices excl. VAT');
  });

  it("renders a theme's own partial on its tenant's site only", async () => {
    const zorg = await page(ZORG, '/', { accept: 'text/html' });
    expect(zorg.body).toContain('class="footer footer-zorggroep"');
    expect(zorg.body).toContain('de volgende werkdag op de afdeling');
    const jansen = await page(JANSEN, '/', { accept: 'text/html' });
    expect(jansen.body).toContain('<footer class="footer">');
    expect(jansen.body).not.toContain('footer-zorggroep');
  });

  it('escapes what the visitor typed', async () => {
    const res = await page(JANSEN, `/?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers a browser on an unknown path with a 404 page in the tenant’s theme, API clients with JSON', async () => {
    const html = await page(JANSEN, '/no/such/page', { accept: 'text/html,*/*;q=0.8' });
    expect(html.status).toBe(404);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('<title>Pagina niet gevonden · Jansen Bouw B.V.</title>');
    expect(html.body).toContain('--primary: #e8590c;');
    expect(html.body).toContain('404 · NOT_FOUND');
    const json = await page(JANSEN, '/no/such/page', { accept: '*/*' });
    expect(json.status).toBe(404);
    expect(
      json.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0].extensions.code,
    ).toBe('NOT_FOUND');
  });

  it('answers an unknown host with 404 TENANT_NOT_FOUND and a bad cursor with 400', async () => {
    const unknown = await page('nobody.localhost');
    expect(unknown.status).toBe(404);
    expect(
      unknown.json<{ errors: Array<{ extensions: { code: string } }> }>().errors[0].extensions.code,
    ).toBe('TENANT_NOT_FOUND');
    const bad = await page(JANSEN, '/?after=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('BAD_USER_INPUT');
    expect(bad.body).not.toMatch(/at \w+ \(/); // no stack trace
  });

  describe('in a headless browser', () => {
    let browser: Browser;
    // CI installs Chromium (.ci/run) and must run this; a laptop without it is told so.
    const available = chromiumAvailable();
    const maybe = available ? it : it.skip;

    beforeAll(async () => {
      if (!available) return;
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    maybe('opens http://<slug>.localhost, searches an article number and pages on', async () => {
      // Sign-in pages come with the microsite issue; until then the browser carries a token.
      const context = await browser.newContext({
        locale: 'nl-NL',
        extraHTTPHeaders: await buyerHeaders(api, 'jansen-bouw'),
      });
      const tab = await context.newPage();
      const res = await tab.goto(`http://${JANSEN}:${api.port}/`);
      expect(res?.status()).toBe(200);
      expect(await tab.title()).toBe('Jansen Bouw B.V.');
      // A string expression: it runs in the page, whose DOM types this Node project does not load.
      const border = await tab.evaluate<string>(
        `getComputedStyle(document.querySelector('header.bar')).borderBottomColor`,
      );
      expect(border).toBe('rgb(232, 89, 12)'); // #e8590c, the tenant's primary colour

      const firstSku = (await tab.locator('td.sku').first().innerText()).replace(/^\S+\s+/, '');
      await tab.getByRole('searchbox').fill(firstSku.toLowerCase());
      await tab.getByRole('button', { name: 'Zoeken' }).click();
      await tab.waitForURL(/\?q=/);
      expect(await tab.locator('td.sku').first().innerText()).toContain(firstSku);

      await tab.goto(`http://${JANSEN}:${api.port}/`);
      const before = await tab.locator('article.product h2').first().innerText();
      await tab.locator('a.next').click();
      await tab.waitForURL(/after=/);
      expect(await tab.locator('article.product h2').first().innerText()).not.toBe(before);
      await context.close();
    });
  });
});
