import { type Browser } from 'playwright-core';
import { formatMoney, parseDecimal } from '@vitrine/pricing';
import { httpRequest, type TestDatabase } from '@vitrine/testing';
import {
  buyerGql,
  buyerHeaders,
  companyUser,
  maintenanceSql,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';
import { chromiumAvailable, launchChromium } from './browser';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const SHOP = 'vitrine-shop.localhost';
const HOSTS = [JANSEN, ZORG, SHOP, 'autoparts-delta.localhost'];
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const ANONYMOUS = { authorization: '' };

interface ApiVariant {
  sku: string;
  gtin: string | null;
  price: { unit: { amount: string } } | null;
  listPrice: { amount: string } | null;
  tierPrices: Array<{ minQuantity: number; unit: { amount: string } }>;
}
interface ApiProduct {
  slug: string;
  name: string;
  variants: ApiVariant[];
}
interface ApiPage {
  totalCount: number;
  edges: Array<{ cursor: string; node: ApiProduct }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  facets: Array<{
    code: string;
    type: string;
    values: Array<{ value: string; count: number }>;
    min: number | null;
    max: number | null;
  }>;
}

const PRODUCT_FIELDS = `slug name variants {
  sku gtin price { unit { amount } } listPrice { amount } tierPrices { minQuantity unit { amount } }
}`;

/** An API amount ("1234.50") as the page shows it in EUR for a locale ("€ 1.234,50" in nl). */
function money(amount: string, locale = 'nl'): string {
  return formatMoney(parseDecimal(amount, 'EUR'), 'EUR', locale);
}

/** HTML text as the page writes it (Handlebars escaping). */
function escaped(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;')
    .replace(/`/g, '&#x60;')
    .replace(/=/g, '&#x3D;');
}

/** The page's canonical URL's path (Handlebars escapes `=` and `&` in attributes). */
function canonicalPath(body: string): string | null {
  const href = /<link rel="canonical" href="http:\/\/[^/"]+(\/[^"]*)">/.exec(body)?.[1];
  return href === undefined ? null : unescapeAttr(href);
}

function unescapeAttr(value: string): string {
  return value.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

/** A page without its per-request CSRF token and CSP nonce, to compare two pages. */
function withoutToken(body: string): string {
  return body
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/nonce="[^"]*"/g, 'nonce=""');
}

/** The count of the listing's summary line ("123 artikelen"). */
function shownCount(body: string): number {
  const m = /<p class="summary">(\d+) (artikelen|articles)/.exec(body);
  if (!m) throw new Error('no result count on the page');
  return Number(m[1]);
}

/** Product slugs of the cards of a listing, in order. */
function cardSlugs(body: string): string[] {
  return [...body.matchAll(/<article class="product">\s*<h2><a href="\/p\/([^"]+)">/g)].map(
    (m) => m[1],
  );
}

/** The product page's table row of a variant. */
function variantRow(body: string, sku: string): string {
  const start = body.indexOf(`<tr id="v-${sku.toLowerCase()}">`);
  if (start < 0) throw new Error(`no row for ${sku}`);
  // The row's own closing tag (a tier table inside the row has rows of its own).
  return body.slice(start, body.indexOf('\n          </tr>', start));
}

let api: RunningApp;
const gql = buyerGql(() => api);

describe('microsite catalog pages (end to end)', () => {
  let db: TestDatabase;
  const sql = maintenanceSql(() => api);

  beforeAll(async () => {
    db = await seededDatabase();
    api = await startApp(db, testConfig());
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  /** A page as a signed-in buyer of the host's tenant (headers override; ANONYMOUS for none). */
  const page = async (host: string, path: string, headers: Record<string, string> = {}) => {
    const slug = host.split('.')[0];
    const asBuyer = await buyerHeaders(api, slug).catch(() => ({}));
    return httpRequest(api.port, { host, path, headers: { ...HTML, ...asBuyer, ...headers } });
  };

  const products = async (
    host: string,
    args: string,
    headers: Record<string, string> = {},
  ): Promise<ApiPage> => {
    const res = await gql<{ products: ApiPage }>(
      api.port,
      host,
      `{ products(${args}) { totalCount edges { cursor node { ${PRODUCT_FIELDS} } }
         pageInfo { hasNextPage endCursor } facets { code type values { value count } min max } } }`,
      undefined,
      headers,
    );
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.products;
  };

  describe('category listing', () => {
    it('lists the category subtree with the count, title, canonical URL and lang', async () => {
      const res = await page(JANSEN, '/c/pbm?lang=nl');
      expect(res.status).toBe(200);
      expect(res.body).toContain('<html lang="nl">');
      expect(res.body).toContain(
        '<title>Persoonlijke beschermingsmiddelen · Jansen Bouw B.V.</title>',
      );
      expect(res.body).toMatch(
        /<link rel="canonical" href="http:\/\/jansen-bouw\.localhost(:\d+)?\/c\/pbm">/,
      );
      expect(canonicalPath(res.body)).toBe('/c/pbm');
      const apiPage = await products(JANSEN, 'first: 20, categorySlug: "pbm"');
      expect(shownCount(res.body)).toBe(apiPage.totalCount);
      expect(cardSlugs(res.body)).toEqual(apiPage.edges.map((e) => e.node.slug));
      // A subcategory's page lists a part of it.
      const sub = await page(JANSEN, '/c/handschoenen');
      expect(sub.status).toBe(200);
      expect(shownCount(sub.body)).toBeLessThan(apiPage.totalCount);
      expect(sub.body).toContain('<a href="/c/pbm">Persoonlijke beschermingsmiddelen</a>');
    });

    it('pages on with the API’s keyset cursor', async () => {
      const first = await page(JANSEN, '/c/bevestigingsmaterialen');
      const apiFirst = await products(JANSEN, 'first: 20, categorySlug: "bevestigingsmaterialen"');
      expect(apiFirst.pageInfo.hasNextPage).toBe(true);
      const next = unescapeAttr(/<a class="next" href="([^"]+)"/.exec(first.body)?.[1] ?? '');
      expect(next).toBe(
        `/c/bevestigingsmaterialen?after=${encodeURIComponent(apiFirst.pageInfo.endCursor!)}`,
      );
      const second = await page(JANSEN, next!);
      expect(second.status).toBe(200);
      const apiSecond = await products(
        JANSEN,
        `first: 20, categorySlug: "bevestigingsmaterialen", after: "${apiFirst.pageInfo.endCursor}"`,
      );
      expect(cardSlugs(second.body)).toEqual(apiSecond.edges.map((e) => e.node.slug));
      expect(cardSlugs(second.body)).not.toEqual(cardSlugs(first.body));
      expect(second.body).toContain('>Eerste pagina</a>');
    });

    it('narrows the results with facets, counting as the API does', async () => {
      const all = await products(JANSEN, 'first: 1, categorySlug: "pbm"');
      const material = all.facets.find((f) => f.code === 'material')!;
      const value = material.values.find((v) => v.count < all.totalCount)!;
      const base = await page(JANSEN, '/c/pbm');
      // The facet form offers the value with its count.
      expect(base.body).toContain(`name="f.material" value="${escaped(value.value)}"`);
      expect(base.body).toContain(
        `${escaped(value.value)} <span class="count">(${value.count})</span>`,
      );

      const filtered = await page(JANSEN, `/c/pbm?f.material=${encodeURIComponent(value.value)}`);
      expect(filtered.status).toBe(200);
      expect(shownCount(filtered.body)).toBe(value.count);
      expect(filtered.body).toMatch(/value="[^"]*" checked>/);
      expect(filtered.body).toContain('Filters wissen');

      // A number range, as the API's min/max.
      const fasteners = await products(JANSEN, 'first: 1, categorySlug: "bevestigingsmaterialen"');
      const length = fasteners.facets.find((f) => f.code === 'length_mm')!;
      const mid = Math.round((length.min! + length.max!) / 2);
      const ranged = await page(JANSEN, `/c/bevestigingsmaterialen?min.length_mm=${mid}`);
      const apiRanged = await products(
        JANSEN,
        `first: 1, categorySlug: "bevestigingsmaterialen", attributes: [{ code: "length_mm", min: ${mid} }]`,
      );
      expect(shownCount(ranged.body)).toBe(apiRanged.totalCount);
      expect(apiRanged.totalCount).toBeLessThan(fasteners.totalCount);
      expect(ranged.body).toContain(
        `name="min.length_mm" type="number" step="any" inputmode="decimal" value="${mid}"`,
      );
    });

    it('answers bad filters with a 400 page and unknown categories with 404', async () => {
      const unknownAttr = await page(JANSEN, '/c/pbm?f.no_such_thing=x');
      expect(unknownAttr.status).toBe(400);
      expect(unknownAttr.body).toContain('--primary: #e8590c;');
      const notANumber = await page(JANSEN, '/c/pbm?min.length_mm=abc');
      expect(notANumber.status).toBe(400);
      const badCursor = await page(JANSEN, '/c/pbm?after=garbage');
      expect(badCursor.status).toBe(400);

      const unknown = await page(JANSEN, '/c/no-such-category');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toContain('Deze categorie bestaat niet in deze webshop.');
      // Medical consumables exist in the catalog, but not in Jansen's assortment.
      const foreign = await page(JANSEN, '/c/medisch-verbruik');
      expect(foreign.status).toBe(404);
      expect(withoutToken(foreign.body).replace(/medisch-verbruik/g, 'X')).toBe(
        withoutToken(unknown.body).replace(/no-such-category/g, 'X'),
      );
    });
  });

  describe('search', () => {
    it('finds an exact article number first, as the API ranks it', async () => {
      const apiPage = await products(JANSEN, 'first: 20, categorySlug: "gereedschap"');
      const target = apiPage.edges[5].node;
      const sku = target.variants[0].sku;
      const res = await page(JANSEN, `/search?q=${sku.toLowerCase()}`);
      expect(res.status).toBe(200);
      expect(res.body).toContain(
        `<title>Zoekresultaten voor “${sku.toLowerCase()}” · Jansen Bouw B.V.</title>`,
      );
      expect(canonicalPath(res.body)).toBe(`/search?q=${sku.toLowerCase()}`);
      const apiSearch = await products(JANSEN, `first: 20, search: "${sku.toLowerCase()}"`);
      expect(cardSlugs(res.body)).toEqual(apiSearch.edges.map((e) => e.node.slug));
      expect(cardSlugs(res.body)[0]).toBe(target.slug);
      // By EAN too.
      const byGtin = await page(JANSEN, `/search?q=${target.variants[0].gtin}`);
      expect(cardSlugs(byGtin.body)[0]).toBe(target.slug);
      // Full text, in the site's language.
      const words = await page(
        JANSEN,
        `/search?q=${encodeURIComponent(target.name.split(' ')[0])}`,
      );
      expect(shownCount(words.body)).toBeGreaterThan(0);
    });

    it('shows a hint for an empty search and escapes what was typed', async () => {
      const empty = await page(JANSEN, '/search?q=');
      expect(empty.status).toBe(200);
      expect(empty.body).toContain('Typ een artikelnummer, EAN of naam in het zoekveld.');
      const typed = await page(
        JANSEN,
        `/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`,
      );
      expect(typed.status).toBe(200);
      expect(typed.body).not.toContain('<script>alert(1)');
      expect(typed.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const tooLong = await page(JANSEN, `/search?q=${'x'.repeat(300)}`);
      expect(tooLong.status).toBe(400);
    });

    it('never finds an article outside the assortment', async () => {
      const zorgOnly = await products(ZORG, 'first: 1, categorySlug: "medisch-verbruik"');
      const sku = zorgOnly.edges[0].node.variants[0].sku;
      const res = await page(JANSEN, `/search?q=${sku}`);
      expect(res.status).toBe(200);
      expect(cardSlugs(res.body)).toEqual([]);
      expect(res.body).not.toContain(`class="sku">${sku}`);
      expect(res.body).toContain('Geen artikelen gevonden.');
    });
  });

  describe('product detail', () => {
    it('shows variants, stock, attributes, dimensions, documents and the API’s prices', async () => {
      const apiPage = await products(JANSEN, 'first: 20, categorySlug: "bevestigingsmaterialen"');
      const withTiers =
        apiPage.edges.find((e) => e.node.variants.some((v) => v.tierPrices.length > 0))?.node ??
        apiPage.edges[0].node;
      const res = await page(JANSEN, `/p/${withTiers.slug}`);
      expect(res.status).toBe(200);
      expect(res.body).toContain(`<title>${escaped(withTiers.name)} · Jansen Bouw B.V.</title>`);
      expect(canonicalPath(res.body)).toBe(`/p/${withTiers.slug}`);
      expect(res.body).toContain(`<h1>${escaped(withTiers.name)}</h1>`);
      expect(res.body).toMatch(/Prijzen excl\. btw; btw 21 %\./);
      expect(res.body).toContain('Technische gegevens');
      expect(res.body).toMatch(/<dt>Gewicht<\/dt><dd>[\d.,]+ k?g<\/dd>/);
      expect(res.body).toMatch(/<dt>Lengte<\/dt><dd>[\d.,]+ mm<\/dd>/);
      expect(res.body).toMatch(
        /<a href="https:\/\/media\.vitrine\.example\/datasheets\/[^"]+" rel="noopener">/,
      );
      for (const v of withTiers.variants) {
        const row = variantRow(res.body, v.sku);
        expect(row).toContain(`<td class="gtin" data-label="EAN">${v.gtin}</td>`);
        // A signed-in buyer sees the quantity on hand.
        expect(row).toMatch(/Op voorraad \(\d+\)|Niet op voorraad/);
        expect(row).toContain(`>${money(v.price!.unit.amount)}</span>`);
        if (v.listPrice)
          expect(row).toContain(`data-label="Adviesprijs">${money(v.listPrice.amount)}</td>`);
        for (const t of v.tierPrices)
          expect(row).toContain(
            `<tr><td>${t.minQuantity}</td><td class="amount">${money(t.unit.amount)}</td></tr>`,
          );
      }
      expect(withTiers.variants.some((v) => v.tierPrices.length > 0)).toBe(true);
    });

    it('shows each tenant its own prices and no list prices where the tenant hides them', async () => {
      const shared = await products(ZORG, 'first: 1, categorySlug: "handschoenen"');
      const slug = shared.edges[0].node.slug;
      const sku = shared.edges[0].node.variants[0].sku;
      const jansen = (await products(JANSEN, `first: 1, search: "${sku}"`)).edges[0].node;
      const jansenSlug = jansen.slug;
      const zorgPage = await page(ZORG, `/p/${slug}`);
      const jansenPage = await page(JANSEN, `/p/${jansenSlug}`);
      expect(variantRow(zorgPage.body, sku)).toContain(
        `>${money(shared.edges[0].node.variants[0].price!.unit.amount)}</span>`,
      );
      expect(variantRow(jansenPage.body, sku)).toContain(
        `>${money(jansen.variants[0].price!.unit.amount)}</span>`,
      );
      expect(zorgPage.body).not.toContain('class="price list-price"');
      expect(jansenPage.body).toContain('class="price list-price"');
    });

    it('answers a product of another tenant exactly like an unknown one: 404, same page', async () => {
      const zorgOnly = await products(ZORG, 'first: 1, categorySlug: "medisch-verbruik"');
      const foreignSlug = zorgOnly.edges[0].node.slug;
      const unknownSlug = 'x'.repeat(foreignSlug.length);
      const foreign = await page(JANSEN, `/p/${foreignSlug}`);
      const unknown = await page(JANSEN, `/p/${unknownSlug}`);
      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      expect(withoutToken(foreign.body).replaceAll(foreignSlug, 'SLUG')).toBe(
        withoutToken(unknown.body).replaceAll(unknownSlug, 'SLUG'),
      );
      expect(foreign.body).toContain('Dit artikel bestaat niet in deze webshop.');
      expect(foreign.headers['content-type']).toBe(unknown.headers['content-type']);
    });

    it('sends anonymous visitors of a login-only site to sign in, except on the home page', async () => {
      for (const path of ['/c/pbm', '/search?q=SKU-000001', '/p/anything']) {
        const res = await page(JANSEN, path, ANONYMOUS);
        expect(res.status).toBe(303);
        expect(res.headers['location']).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
      expect((await page(JANSEN, '/', ANONYMOUS)).status).toBe(200);
    });

    it('shows prospects on the public shop list prices, but no stock quantities', async () => {
      const apiPage = await products(SHOP, 'first: 1, categorySlug: "gereedschap"', ANONYMOUS);
      const product = apiPage.edges[0].node;
      const res = await page(SHOP, `/p/${product.slug}`, ANONYMOUS);
      expect(res.status).toBe(200);
      const row = variantRow(res.body, product.variants[0].sku);
      expect(row).toContain(`>${money(product.variants[0].price!.unit.amount)}</span>`);
      expect(row).toMatch(/>(Op voorraad|Niet op voorraad)</);
    });

    it('shows no prices to a buyer whose company hides them', async () => {
      const apiPage = await products(JANSEN, 'first: 1, categorySlug: "pbm"');
      const hidden = await buyerHeaders(api, 'jansen-bouw', { canSeePrices: false });
      const res = await page(JANSEN, `/p/${apiPage.edges[0].node.slug}`, hidden);
      expect(res.status).toBe(200);
      expect(res.body).not.toContain('class="amount"');
      expect(res.body).not.toContain('Prijzen excl. btw');
      const listing = await page(JANSEN, '/c/pbm', hidden);
      expect(listing.body).not.toContain('class="amount"');
    });
  });

  describe('home page', () => {
    it('features the top-level categories, linked to their listings', async () => {
      const res = await page(JANSEN, '/');
      expect(res.status).toBe(200);
      for (const [slug, name] of [
        ['bevestigingsmaterialen', 'Bevestigingsmaterialen'],
        ['gereedschap', 'Gereedschap'],
        ['pbm', 'Persoonlijke beschermingsmiddelen'],
      ])
        expect(res.body).toContain(`<a href="/c/${slug}">${name}</a>`);
      expect(res.body).not.toContain('/c/handschoenen'); // a subcategory
      expect(res.body).not.toContain('/c/medisch-verbruik'); // not Jansen's
      expect(res.body).toContain('action="/search"');
    });

    it("offers a buyer's last orders to order again, not to a requisitioner who sees only their own", async () => {
      const token = await companyUser(api, 'jansen-bouw', 'home-reorder@jansenbouw.example', [
        'BUYER',
      ]);
      const other = await companyUser(api, 'jansen-bouw', 'home-other@jansenbouw.example', [
        'REQUISITIONER',
      ]);
      const as = { authorization: `Bearer ${token}` };
      const articles = await gql<{
        products: {
          edges: Array<{
            node: {
              variants: Array<{
                sku: string;
                inStock: boolean;
                minOrderQuantity: number;
                orderMultiple: number;
              }>;
            };
          }>;
        };
      }>(
        api.port,
        JANSEN,
        `{ products(first: 20, categorySlug: "pbm") { edges { node { variants { sku inStock minOrderQuantity orderMultiple } } } } }`,
        undefined,
        as,
      );
      const sku = articles
        .data!.products.edges.flatMap((e) => e.node.variants)
        .find((v) => v.inStock && v.minOrderQuantity === 1 && v.orderMultiple === 1)!.sku;
      const added = await gql(
        api.port,
        JANSEN,
        `mutation($l: [CartLineInput!]!) { addLinesToCart(lines: $l) { rejected { sku } } }`,
        { l: [{ sku, quantity: 1 }] },
        as,
      );
      expect(added.errors).toBeUndefined();
      const placed = await gql<{ placeOrder: { number: string } }>(
        api.port,
        JANSEN,
        `mutation($i: PlaceOrderInput!, $k: String!) { placeOrder(input: $i, idempotencyKey: $k) { number } }`,
        { i: { poNumber: 'PO-HOME-1' }, k: 'home-reorder-1' },
        as,
      );
      const number = placed.data?.placeOrder.number;
      expect(placed.errors).toBeUndefined();

      const home = await page(JANSEN, '/', as);
      expect(home.body).toContain('Opnieuw bestellen');
      expect(home.body).toContain(`<a href="/orders/${number}">Bestelling ${number}</a>`);
      const elsewhere = await page(JANSEN, '/', { authorization: `Bearer ${other}` });
      expect(elsewhere.body).not.toContain(`/orders/${number}`);
      expect(elsewhere.body).not.toContain('Opnieuw bestellen');
    });
  });

  describe('a product named <script>', () => {
    const NAME = '<script>alert(1)</script>';
    const SKU = 'SKU-XSS001';

    beforeAll(async () => {
      // Into the demo catalog and every tenant's assortment, as an import + materialization would.
      await sql(
        `WITH p AS (
           INSERT INTO product (slug, category_id, manufacturer, names, descriptions, media)
           SELECT 'script-test', c.id, $1, jsonb_build_object('nl', $1::text, 'en', $1::text),
                  jsonb_build_object('nl', $1::text), jsonb_build_array(
                    jsonb_build_object('kind', 'datasheet', 'url', 'javascript:alert(2)', 'title', $1::text),
                    jsonb_build_object('kind', 'manual', 'url', 'https://example.test/m.pdf', 'title', $1::text))
             FROM category c WHERE c.slug = 'handschoenen'
           RETURNING id, category_id),
         v AS (
           INSERT INTO variant (product_id, sku, names, stock_on_hand, attributes)
           SELECT id, $2, jsonb_build_object('nl', $1::text, 'en', $1::text), 7,
                  jsonb_build_object('material', $1::text, 'colour', 'zwart')
             FROM p RETURNING id, product_id),
         lp AS (INSERT INTO list_price (variant_id, currency, amount_minor) SELECT id, 'EUR', 1234 FROM v),
         tp AS (INSERT INTO tenant_product (tenant_id, product_id, slug, category_id)
                SELECT t.id, p.id, 'script-test', p.category_id FROM tenant t, p)
         INSERT INTO tenant_variant (tenant_id, variant_id, product_id)
         SELECT t.id, v.id, v.product_id FROM tenant t, v`,
        [NAME, SKU],
      );
      await sql(
        `SELECT vitrine_refresh_product_search(array_agg(id)) FROM product WHERE slug = 'script-test'`,
      );
    });

    it.each(HOSTS)('renders as text on listing, search and product pages of %s', async (host) => {
      for (const path of ['/c/handschoenen', `/search?q=${SKU}`, '/p/script-test', '/']) {
        const res = await page(host, path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.body).not.toContain('<script>alert(1)');
        expect(res.body).not.toContain('javascript:');
        if (path !== '/') expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
      const product = await page(host, '/p/script-test');
      expect(product.body).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · ');
      expect(product.body).toContain('<a href="https://example.test/m.pdf" rel="noopener">');
    });
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

    maybe('searches an article number from the header and opens its product page', async () => {
      const apiPage = await products(JANSEN, 'first: 20, categorySlug: "gereedschap"');
      const target = apiPage.edges[3].node;
      const sku = target.variants[0].sku;
      const context = await browser.newContext({
        locale: 'nl-NL',
        extraHTTPHeaders: await buyerHeaders(api, 'jansen-bouw'),
      });
      const tab = await context.newPage();
      await tab.goto(`http://${JANSEN}:${api.port}/`);
      await tab.getByRole('searchbox').fill(sku.toLowerCase());
      await tab.getByRole('button', { name: 'Zoeken' }).click();
      await tab.waitForURL(/\/search\?q=/);
      expect(await tab.title()).toBe(
        `Zoekresultaten voor “${sku.toLowerCase()}” · Jansen Bouw B.V.`,
      );
      await tab.locator('article.product h2 a').first().click();
      await tab.waitForURL(new RegExp(`/p/${target.slug}$`));
      expect(await tab.title()).toBe(`${target.name} · Jansen Bouw B.V.`);
      expect(await tab.locator('h1').innerText()).toBe(target.name);
      expect(await tab.locator(`tr#v-${sku.toLowerCase()} td.sku`).innerText()).toContain(sku);
      const price = await tab.locator(`tr#v-${sku.toLowerCase()} .amount`).first().innerText();
      expect(price.replace(/\s/g, ' ')).toBe(
        money(target.variants[0].price!.unit.amount).replace(/\s/g, ' '),
      );

      // Usable at 375 px: nothing widens the page beyond the screen.
      await tab.setViewportSize({ width: 375, height: 800 });
      for (const path of [`/p/${target.slug}`, '/c/bevestigingsmaterialen', `/search?q=${sku}`]) {
        await tab.goto(`http://${JANSEN}:${api.port}${path}`);
        expect({
          path,
          width: await tab.evaluate<number>('document.documentElement.scrollWidth'),
        }).toEqual({ path, width: 375 });
      }
      await context.close();
    });
  });
});
