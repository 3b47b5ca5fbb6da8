import { PasswordService } from '@vitrine/accounts';
import { QuoteOfferService } from '@vitrine/ordering';
import { gql, type HttpResponse, type TestDatabase } from '@vitrine/testing';
import type { Role } from '@vitrine/tenancy';
import {
  buyerHeaders,
  maintenanceSql,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';
import { DEMO_PASSWORD, SiteVisitor, textOf } from './site-visitor';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const BUYER = 'inkoop@jansenbouw.example'; // BUYER + APPROVER, spend limit 5000
const REQUISITIONER = 'werkvoorbereiding@jansenbouw.example';
const VIEWER = 'kijker@jansenbouw.example';
const OTHER_COMPANY = 'koper@jansen-noord.example';
const ZORG_BUYER = 'inkoop@zorggroep-noord.example';

/**
 * The buying pages over HTTP, as a browser without JavaScript uses them: status codes, content,
 * and for every bad input that nothing changed in the database.
 */
describe('microsite buying pages (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const running = () => api;
  const sql = maintenanceSql(running);
  const visitor = (host = JANSEN) => new SiteVisitor(running, host);
  /** One signed-in visitor per user for the whole file: sign-in is rate limited per address. */
  const sessions = new Map<string, Promise<SiteVisitor>>();
  const signedIn = (email: string, host = JANSEN): Promise<SiteVisitor> => {
    let v = sessions.get(email);
    if (!v) {
      v = visitor(host).login(email);
      sessions.set(email, v);
    }
    return v;
  };

  /** SKUs of a tenant's assortment, in stock, by their ordering rules. */
  let simple: string; // minimum 1, multiple 1
  let simple2: string;
  let simple3: string;
  let multiple: { sku: string; multiple: number };
  let minimum: { sku: string; minimum: number };

  const cartOf = async (email: string) =>
    sql<Array<{ sku: string; quantity: number }>>(
      `SELECT v.sku, cl.quantity FROM cart_line cl
         JOIN cart c ON c.id = cl.cart_id JOIN app_user u ON u.id = c.user_id
         JOIN variant v ON v.id = cl.variant_id
        WHERE u.email = $1 ORDER BY v.sku`,
      [email],
    );
  const ordersOf = async (email: string) =>
    sql<Array<{ number: string; status: string; po_number: string | null }>>(
      `SELECT o.number, o.status, o.po_number FROM customer_order o JOIN app_user u ON u.id = o.placed_by
        WHERE u.email = $1 ORDER BY o.created_at`,
      [email],
    );
  const clearCart = (email: string) =>
    sql(
      `DELETE FROM cart_line WHERE cart_id IN (SELECT c.id FROM cart c JOIN app_user u ON u.id = c.user_id WHERE u.email = $1)`,
      [email],
    );
  const userId = async (email: string) =>
    (await sql<Array<{ id: string }>>(`SELECT id FROM app_user WHERE email = $1`, [email]))[0].id;

  async function add(
    v: SiteVisitor,
    sku: string,
    quantity: number | string,
  ): Promise<HttpResponse> {
    return v.post('/cart/add', { _csrf: await v.csrf('/cart'), sku, quantity: String(quantity) });
  }
  /** Runs `fn` with the visitor's pages in English (the language cookie), then Dutch again. */
  async function inEnglish<T>(v: SiteVisitor, fn: () => Promise<T>): Promise<T> {
    v.cookies.set('vitrine_lang', 'en');
    try {
      return await fn();
    } finally {
      v.cookies.delete('vitrine_lang');
    }
  }
  /** Checkout with the form's own idempotency key; fields over the form's defaults. */
  async function checkout(
    v: SiteVisitor,
    fields: Record<string, string> = {},
  ): Promise<{ res: HttpResponse; key: string; csrf: string }> {
    const page = await v.get('/checkout');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await v.post('/checkout', { _csrf: csrf, idempotencyKey: key, ...fields });
    return { res, key, csrf };
  }

  beforeAll(async () => {
    db = await seededDatabase(200);
    api = await startApp(db, testConfig());
    // Demo users sign in with the demo password (as `npm start` in development provisions them).
    const hash = await api.app.get(PasswordService).hash(DEMO_PASSWORD);
    await sql(`UPDATE app_user SET status = 'ACTIVE', password_hash = $1`, [hash]);
    const user = (slug: string, email: string, roles: Role[], company = slug) =>
      sql(
        `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status, password_hash)
         SELECT t.id, c.id, $2, $2, $3::text[], 'ACTIVE', $4
           FROM tenant t JOIN company c ON c.tenant_id = t.id AND c.code = $5 WHERE t.slug = $1`,
        [slug, email, roles, hash, company],
      );
    await user('jansen-bouw', VIEWER, ['VIEWER']);
    await sql(
      `INSERT INTO company (tenant_id, code, name, country) SELECT id, 'jb-noord', 'Jansen Noord', 'NL' FROM tenant WHERE slug = 'jansen-bouw'`,
    );
    await sql(
      `INSERT INTO company_address (tenant_id, company_id, kind, label, name, street, postal_code, city, country, is_default)
       SELECT tenant_id, id, 'SHIPPING', 'Depot', 'Jansen Noord', 'Weg 1', '9700 AA', 'Groningen', 'NL', true FROM company WHERE code = 'jb-noord'`,
    );
    await user('jansen-bouw', OTHER_COMPANY, ['BUYER'], 'jb-noord');

    const pick = async (where: string) =>
      sql<Array<{ sku: string; min_order_quantity: number; order_multiple: number }>>(
        `SELECT v.sku, v.min_order_quantity, v.order_multiple FROM variant v
           JOIN tenant_variant tv ON tv.variant_id = v.id JOIN tenant t ON t.id = tv.tenant_id
          WHERE t.slug = 'jansen-bouw' AND v.status = 'ACTIVE' AND v.stock_on_hand >= 200
            AND coalesce(v.weight_grams, 0) < 2000 AND ${where}
          ORDER BY v.sku LIMIT 3`,
      );
    [simple, simple2, simple3] = (
      await pick('v.min_order_quantity = 1 AND v.order_multiple = 1')
    ).map((r) => r.sku);
    const m = (await pick('v.min_order_quantity = 1 AND v.order_multiple > 1'))[0];
    multiple = { sku: m.sku, multiple: m.order_multiple };
    const n = (await pick('v.min_order_quantity > 1 AND v.order_multiple = 1'))[0];
    minimum = { sku: n.sku, minimum: n.min_order_quantity };
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  describe('who may use which page', () => {
    it.each(['/cart', '/quick-order', '/checkout', '/orders', '/quotes', '/orders/2026-00001'])(
      'sends an anonymous visitor of %s to sign in and back',
      async (path) => {
        const res = await visitor().get(path);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
      },
    );

    it('refuses a viewer the cart, quick order and checkout with a themed 403 page, and shows them orders', async () => {
      const v = await signedIn(VIEWER);
      for (const path of ['/cart', '/quick-order', '/checkout']) {
        const res = await v.get(path);
        expect(res.status).toBe(403);
        expect(res.body).toContain('<title>Niet toegestaan · Jansen Bouw B.V.</title>');
        expect(res.body).toContain('--primary: #e8590c;');
      }
      const add = await v.post('/cart/add', {
        _csrf: await v.csrf('/orders'),
        sku: simple,
        quantity: '1',
      });
      expect(add.status).toBe(403);
      expect(await cartOf(VIEWER)).toEqual([]);
      expect((await v.get('/orders')).status).toBe(200);
    });
  });

  describe('cart', () => {
    beforeEach(() => clearCart(BUYER));

    it('adds from a product page, back to that page with a notice, and shows the API’s prices and totals', async () => {
      const v = await signedIn(BUYER);
      const product = await v.get(`/search?q=${simple}`);
      expect(product.status).toBe(200);
      const res = await v.post('/cart/add', {
        _csrf: await v.csrf('/cart'),
        sku: simple,
        quantity: '3',
        next: '/p/some-product?x=1',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/p/some-product?x=1');
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 3 }]);

      const page = await v.get('/cart');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Winkelwagen · Jansen Bouw B.V.</title>');
      expect(page.body).toContain(`3 × ${simple} toegevoegd aan uw winkelwagen.`);
      expect(page.body).toContain(`value="3"`);
      expect(page.body).toContain('href="/checkout"');

      // The same cart through the GraphQL API, as the same user: equal amounts.
      const headers = await buyerHeaders(api, 'jansen-bouw', {
        userId: await userId(BUYER),
        roles: ['BUYER', 'APPROVER'],
      });
      const api_ = await gql<{
        cart: {
          lines: Array<{ unitPrice: { amount: string }; lineTotal: { amount: string } }>;
          shipping: { amount: string } | null;
          tax: { amount: string };
          total: { amount: string };
        };
      }>(
        api.port,
        JANSEN,
        '{ cart { lines { unitPrice { amount } lineTotal { amount } } shipping { amount } tax { amount } total { amount } } }',
        {},
        headers,
      );
      const cart = api_.data!.cart;
      const text = textOf(page.body);
      const euro = (amount: string) => `€ ${amount.replace('.', ',')}`;
      expect(text).toContain(euro(cart.lines[0].unitPrice.amount));
      expect(text).toContain(euro(cart.lines[0].lineTotal.amount));
      expect(text).toContain(`Verzendkosten (schatting) ${euro(cart.shipping!.amount)}`);
      expect(text).toContain(`Btw ${euro(cart.tax.amount)}`);
      expect(text).toContain(`Totaal ${euro(cart.total.amount)}`);
    });

    it('never sends a visitor to another site after adding', async () => {
      const v = await signedIn(BUYER);
      for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example'])
        expect(
          (
            await v.post('/cart/add', {
              _csrf: await v.csrf('/cart'),
              sku: simple,
              quantity: '1',
              next,
            })
          ).headers.location,
        ).toBe('/cart');
    });

    it('refuses a negative or non-numeric quantity with a 400 page and changes nothing', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 2);
      for (const quantity of ['-3', '0', 'abc', '1.5', '']) {
        const res = await add(v, simple2, quantity);
        expect(res.status).toBe(400);
        expect(res.body).toContain('<title>Winkelwagen · Jansen Bouw B.V.</title>');
        expect(textOf(res.body)).toContain('Het aantal moet een heel getal van minstens 1 zijn');
      }
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 2 }]);
    });

    it('refuses lines the cart refuses (unknown, multiple, minimum, stock) with the reason, 422, nothing changed', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 1);
      // The shop's default language is Dutch: the cart's reasons are said in Dutch.
      const cases: Array<[string, number, RegExp]> = [
        ['SKU-999999', 1, /SKU-999999 is geen artikel van deze webshop\./],
        [multiple.sku, multiple.multiple + 1, /wordt verkocht per \d+ stuks/],
        [
          minimum.sku,
          minimum.minimum - 1,
          new RegExp(
            `${minimum.sku} wordt verkocht vanaf ${minimum.minimum} stuks; de winkelwagen zou er ${minimum.minimum - 1} bevatten\\.`,
          ),
        ],
        [simple2, 900_000, /nog maar \d+ op voorraad/],
      ];
      for (const [sku, quantity, reason] of cases) {
        const res = await add(v, sku, quantity);
        expect(res.status).toBe(422);
        expect(textOf(res.body)).toMatch(reason);
        expect(textOf(res.body)).not.toMatch(/ is (sold|not an article)|in stock/);
      }
      // The same refusal on an English page, in English.
      const english = await inEnglish(v, () => add(v, minimum.sku, minimum.minimum - 1));
      expect(english.status).toBe(422);
      expect(textOf(english.body)).toContain(
        `${minimum.sku} is sold from ${minimum.minimum} pieces; the cart would hold ${minimum.minimum - 1}.`,
      );
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 1 }]);
    });

    it('updates a line, removes it with 0, and refuses a negative quantity (400, nothing changed)', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 1);
      await add(v, simple2, 1);
      const csrf = await v.csrf('/cart');
      let res = await v.post('/cart/update', { _csrf: csrf, sku: simple, quantity: '4' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/cart');
      res = await v.post('/cart/update', { _csrf: csrf, sku: simple, quantity: '-1' });
      expect(res.status).toBe(400);
      res = await v.post('/cart/update', { _csrf: csrf, sku: multiple.sku, quantity: '1' });
      expect([404, 422]).toContain(res.status);
      expect(await cartOf(BUYER)).toEqual(
        [
          { sku: simple, quantity: 4 },
          { sku: simple2, quantity: 1 },
        ].sort((a, b) => a.sku.localeCompare(b.sku)),
      );
      res = await v.post('/cart/update', { _csrf: csrf, sku: simple2, quantity: '0' });
      expect(res.status).toBe(303);
      expect(textOf((await v.get('/cart')).body)).toContain(
        `${simple2} verwijderd uit uw winkelwagen.`,
      );
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 4 }]);
    });

    it('refuses a tampered or missing CSRF token with a 403 page and changes nothing', async () => {
      const v = await signedIn(BUYER);
      const csrf = await v.csrf('/cart');
      const tampered = `${csrf.slice(0, -2)}${csrf.endsWith('AA') ? 'BB' : 'AA'}`;
      const forms: Array<Record<string, string>> = [
        { _csrf: tampered, sku: simple, quantity: '1' },
        { sku: simple, quantity: '1' },
      ];
      for (const form of forms) {
        const res = await v.post('/cart/add', form);
        expect(res.status).toBe(403);
        expect(res.body).toContain('Niet toegestaan');
      }
      const up = await v.post('/quick-order', { _csrf: tampered, lines: `${simple};1` });
      expect(up.status).toBe(403);
      expect(await cartOf(BUYER)).toEqual([]);
    });
  });

  describe('quick order', () => {
    beforeEach(() => clearCart(BUYER));

    it('adds pasted lines (semicolon, tab, comma) and lists every refused line with its reason', async () => {
      const v = await signedIn(BUYER);
      const form = await v.get('/quick-order');
      expect(form.status).toBe(200);
      expect(form.body).toContain('enctype="multipart/form-data"');
      expect(form.body).toMatch(/<label for="quick-lines">/);
      const res = await v.postMultipart('/quick-order', {
        _csrf: await v.csrf('/quick-order'),
        lines: `SKU;Aantal\n${simple};2\n${simple2}\t3\nSKU-999999;1\n${multiple.sku},${multiple.multiple + 1}\n${simple3};x\n`,
      });
      expect(res.status).toBe(200);
      const text = textOf(res.body);
      expect(text).toContain('SKU-999999 is geen artikel van deze webshop.');
      expect(text).toMatch(/wordt verkocht per \d+ stuks/);
      expect(text).toContain('Het aantal “x” is geen heel getal van minstens 1.');
      expect(text).toContain(`${simple} × 2`);
      // The refused lines come back in the textarea to correct.
      expect(res.body).toMatch(/<textarea id="quick-lines"[^>]*>SKU-999999;1/);
      expect(await cartOf(BUYER)).toEqual(
        [
          { sku: simple, quantity: 2 },
          { sku: simple2, quantity: 3 },
        ].sort((a, b) => a.sku.localeCompare(b.sku)),
      );
    });

    it('adds an uploaded CSV and goes to the cart when every line was added', async () => {
      const v = await signedIn(BUYER);
      const res = await v.postMultipart(
        '/quick-order',
        { _csrf: await v.csrf('/quick-order'), lines: '' },
        {
          field: 'file',
          filename: 'order.csv',
          type: 'text/csv',
          data: Buffer.from(`\uFEFF"sku";"quantity"\r\n"${simple}";"5"\r\n${simple2};1\r\n`),
        },
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/cart');
      expect(await cartOf(BUYER)).toHaveLength(2);
    });

    it('refuses an upload over 5 MB with a themed 413 page and changes nothing', async () => {
      const v = await signedIn(BUYER);
      const big = Buffer.alloc(5 * 1024 * 1024, `${simple};1\n`);
      const res = await v.postMultipart(
        '/quick-order',
        { _csrf: await v.csrf('/quick-order') },
        { field: 'file', filename: 'big.csv', type: 'text/csv', data: big },
      );
      expect(res.status).toBe(413);
      expect(res.body).toContain('<title>Te groot · Jansen Bouw B.V.</title>');
      expect(textOf(res.body)).toContain('big.csv is larger than 5 MB');
      expect(await cartOf(BUYER)).toEqual([]);
    });

    it('refuses a file that is not CSV — by its type and by its content — with a 415 page, nothing changed', async () => {
      const v = await signedIn(BUYER);
      const csrf = await v.csrf('/quick-order');
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      for (const file of [
        { field: 'file', filename: 'photo.png', type: 'image/png', data: png },
        { field: 'file', filename: 'sneaky.csv', type: 'text/csv', data: png },
        {
          field: 'file',
          filename: 'latin1.csv',
          type: 'text/csv',
          data: Buffer.from([0x53, 0x4b, 0xe9, 0x3b, 0x31]),
        },
        {
          field: 'file',
          filename: 'broken.csv',
          type: 'text/csv',
          data: Buffer.from(`"${simple};1\n`),
        },
      ]) {
        const res = await v.postMultipart(
          '/quick-order',
          { _csrf: csrf, lines: `${simple};1` },
          file,
        );
        expect(res.status).toBe(415);
        expect(res.body).toContain('Bestandstype niet ondersteund');
      }
      expect(await cartOf(BUYER)).toEqual([]);
    });

    it('says what to do when nothing was sent (400)', async () => {
      const v = await signedIn(BUYER);
      const res = await v.postMultipart('/quick-order', {
        _csrf: await v.csrf('/quick-order'),
        lines: '  ',
      });
      expect(res.status).toBe(400);
      expect(textOf(res.body)).toContain('Plak eerst regels of kies een bestand.');
    });
  });

  describe('checkout and orders', () => {
    beforeEach(() => clearCart(BUYER));

    it('shows the form: PO required, the company’s ship-to addresses, a fresh idempotency key per rendering', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 1);
      const a = await v.get('/checkout');
      const b = await v.get('/checkout');
      expect(a.status).toBe(200);
      expect(a.body).toContain('<title>Afrekenen · Jansen Bouw B.V.</title>');
      expect(a.body).toMatch(/name="poNumber"[^>]* required/);
      expect(textOf(a.body)).toContain('Werf Utrecht');
      expect(textOf(a.body)).toContain('Bouwproject Antwerpen');
      expect(textOf(a.body)).not.toContain('Hoofdkantoor'); // a billing address
      expect(a.body).toContain('type="date"');
      const key = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
      expect(key(a.body)).toMatch(/^[0-9a-f-]{36}$/);
      expect(key(a.body)).not.toBe(key(b.body));
    });

    it('keeps the input and places nothing when the PO number is missing or the date is bad', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 1);
      let { res } = await checkout(v, { note: 'Bel bij aankomst', poNumber: '' });
      expect(res.status).toBe(400);
      expect(textOf(res.body)).toContain('Uw bedrijf vereist een inkoopordernummer (PO-nummer).');
      expect(res.body).toContain('>Bel bij aankomst</textarea>');
      ({ res } = await inEnglish(v, () => checkout(v, { poNumber: '' })));
      expect(res.status).toBe(400);
      expect(textOf(res.body)).toContain('Your company requires a purchase order (PO) number.');
      ({ res } = await checkout(v, { poNumber: 'PO-1', requestedDeliveryDate: '2001-01-01' }));
      expect(res.status).toBe(400);
      expect(res.body).toContain('value="PO-1"');
      expect(await ordersOf(BUYER)).toEqual([]);
      expect(await cartOf(BUYER)).toHaveLength(1);
    });

    it('shows OUT_OF_STOCK and CREDIT_LIMIT_EXCEEDED on the checkout page with their status, nothing placed', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple3, 5);
      const [{ stock_on_hand: stock }] = await sql<Array<{ stock_on_hand: number }>>(
        `SELECT stock_on_hand FROM variant WHERE sku = $1`,
        [simple3],
      );
      await sql(`UPDATE variant SET stock_on_hand = 2 WHERE sku = $1`, [simple3]);
      try {
        const { res } = await checkout(v, { poNumber: 'PO-STOCK' });
        expect(res.status).toBe(409);
        expect(textOf(res.body)).toContain(
          `Onvoldoende voorraad: ${simple3} (2 beschikbaar). Pas de aantallen aan en bestel opnieuw.`,
        );
        expect(res.body).toContain('value="PO-STOCK"');
        const english = await inEnglish(v, () => checkout(v, { poNumber: 'PO-STOCK' }));
        expect(english.res.status).toBe(409);
        expect(textOf(english.res.body)).toContain(
          `Not enough stock: ${simple3} (2 available). Adjust the quantities and order again.`,
        );
      } finally {
        await sql(`UPDATE variant SET stock_on_hand = $2 WHERE sku = $1`, [simple3, stock]);
      }
      await sql(
        `UPDATE company SET credit_used_minor = credit_limit_minor WHERE code = 'jansen-bouw'`,
      );
      try {
        const { res } = await checkout(v, { poNumber: 'PO-CREDIT' });
        expect(res.status).toBe(409);
        // Amounts in the page's locale.
        expect(textOf(res.body).replace(/\u00a0/g, ' ')).toMatch(
          /Deze bestelling \(€ [\d.]+,\d\d incl\. btw\) is hoger dan het beschikbare krediet van uw bedrijf van € 0,00\./,
        );
        const english = await inEnglish(v, () => checkout(v, { poNumber: 'PO-CREDIT' }));
        expect(english.res.status).toBe(409);
        expect(textOf(english.res.body)).toMatch(
          /This order \(€[\d,]+\.\d\d incl\. VAT\) exceeds your company's available credit of €0\.00\./,
        );
      } finally {
        await sql(`UPDATE company SET credit_used_minor = 0 WHERE code = 'jansen-bouw'`);
      }
      expect(await ordersOf(BUYER)).toEqual([]);
      expect(await cartOf(BUYER)).toEqual([{ sku: simple3, quantity: 5 }]);
    });

    it('places the order once for a double submit, shows it in the history and its page', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 2);
      const addresses = await sql<Array<{ id: string }>>(
        `SELECT id FROM company_address WHERE label = 'Bouwproject Antwerpen'`,
      );
      const fields = {
        poNumber: 'PO-4711',
        shippingAddressId: addresses[0].id,
        note: 'Achterom',
      };
      const { res, key, csrf } = await checkout(v, fields);
      expect(res.status).toBe(303);
      const number = /^\/orders\/(\d{4}-\d{5})$/.exec(res.headers.location as string)?.[1];
      expect(number).toBeDefined();
      // The same form sent again (double click, back + resend): the same order.
      const again = await v.post('/checkout', { _csrf: csrf, idempotencyKey: key, ...fields });
      expect(again.status).toBe(303);
      expect(again.headers.location).toBe(`/orders/${number}`);
      expect(await ordersOf(BUYER)).toEqual([{ number, status: 'PLACED', po_number: 'PO-4711' }]);
      expect(await cartOf(BUYER)).toEqual([]);

      const page = await v.get(`/orders/${number}`);
      expect(page.status).toBe(200);
      const text = textOf(page.body);
      expect(text).toContain(`Bestelling ${number} geplaatst.`);
      expect(page.body).toContain(`<title>Bestelling ${number} · Jansen Bouw B.V.</title>`);
      expect(text).toContain('Leopold de Waelplaats 4');
      expect(text).toContain('PO-4711');
      expect(text).toMatch(/Btw 21(\.00)?%/);
      expect(text).toContain('Geplaatst');

      const list = await v.get('/orders');
      expect(list.status).toBe(200);
      expect(list.body).toContain(`href="/orders/${number}"`);
      const placed = await v.get('/orders?status=PLACED');
      expect(placed.body).toContain(`href="/orders/${number}"`);
      const rejected = await v.get('/orders?status=REJECTED');
      expect(rejected.body).not.toContain(`href="/orders/${number}"`);
      expect((await v.get('/orders?status=NONSENSE')).status).toBe(400);

      // Reorder: the lines go back into the cart.
      const re = await v.post(`/orders/${number}/reorder`, {
        _csrf: await v.csrf(`/orders/${number}`),
      });
      expect(re.status).toBe(303);
      expect(re.headers.location).toBe('/cart');
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 2 }]);
    });

    it('tells a requisitioner before submitting that approval is needed; the approver approves or rejects', async () => {
      const req = await signedIn(REQUISITIONER);
      await add(req, simple, 1);
      const form = await req.get('/checkout');
      expect(textOf(form.body)).toContain('Deze bestelling moet worden goedgekeurd');
      expect(textOf(form.body)).toContain('Ter goedkeuring indienen');
      // The approval reason (stored in English for the API) in the page's language.
      expect(textOf(form.body)).toContain(
        'Bestellingen van aanvragers worden goedgekeurd door een goedkeurder van het bedrijf.',
      );
      let { res } = await checkout(req, { poNumber: 'PO-REQ-1' });
      expect(res.status).toBe(303);
      const first = (res.headers.location as string).split('/').pop()!;
      expect(textOf((await req.get(`/orders/${first}`)).body)).toContain(
        'ter goedkeuring ingediend',
      );
      await add(req, simple2, 1);
      ({ res } = await checkout(req, { poNumber: 'PO-REQ-2' }));
      const second = (res.headers.location as string).split('/').pop()!;

      const approver = await signedIn(BUYER);
      const waiting = await approver.get('/orders?status=mine');
      expect(waiting.body).toContain(`href="/orders/${first}"`);
      expect(waiting.body).toContain(`href="/orders/${second}"`);
      const detail = await approver.get(`/orders/${first}`);
      expect(detail.body).toContain(`action="/orders/${first}/approve"`);
      const csrf = await approver.csrf(`/orders/${first}`);

      // The requisitioner may not decide (403), an empty reason is refused (400): nothing changes.
      const own = await req.post(`/orders/${first}/approve`, { _csrf: await req.csrf('/orders') });
      expect(own.status).toBe(403);
      const noReason = await approver.post(`/orders/${second}/reject`, {
        _csrf: csrf,
        reason: ' ',
      });
      expect(noReason.status).toBe(400);
      expect(textOf(noReason.body)).toContain('Geef de aanvrager een reden (1 tot');
      expect((await ordersOf(REQUISITIONER)).map((o) => o.status)).toEqual([
        'PENDING_APPROVAL',
        'PENDING_APPROVAL',
      ]);

      expect((await approver.post(`/orders/${first}/approve`, { _csrf: csrf })).status).toBe(303);
      const rejected = await approver.post(`/orders/${second}/reject`, {
        _csrf: csrf,
        reason: 'Niet nodig',
      });
      expect(rejected.status).toBe(303);
      expect((await ordersOf(REQUISITIONER)).map((o) => o.status)).toEqual(['PLACED', 'REJECTED']);
      // Deciding again: the order is already decided (409 page).
      const twice = await approver.post(`/orders/${first}/approve`, { _csrf: csrf });
      expect(twice.status).toBe(409);
      expect(textOf(twice.body)).toContain(
        `Bestelling ${first} is geplaatst, niet in afwachting van goedkeuring.`,
      );
      expect(textOf((await req.get(`/orders/${second}`)).body)).toContain('Niet nodig');
    });

    it("answers another company's or another tenant's order with the 404 page", async () => {
      const other = await signedIn(OTHER_COMPANY);
      await add(other, simple, 1);
      const { res } = await checkout(other);
      expect(res.status).toBe(303);
      const number = (res.headers.location as string).split('/').pop()!;
      const buyer = await signedIn(BUYER);
      const foreign = await buyer.get(`/orders/${number}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toContain('Pagina niet gevonden');
      // The same words as for a number that does not exist, in the page's language.
      expect(textOf(foreign.body)).toContain(`U heeft geen bestelling ${number}.`);
      expect((await buyer.get('/orders/2026-99999')).status).toBe(404);

      // Zorggroep's numbers are made to be ones Jansen Bouw does not have.
      for (const year of [
        new Date().getFullYear() - 1,
        new Date().getFullYear(),
        new Date().getFullYear() + 1,
      ])
        await sql(
          `INSERT INTO tenant_sequence (tenant_id, name, value) SELECT id, $1, 800 FROM tenant WHERE slug = 'zorggroep-noord'
           ON CONFLICT (tenant_id, name) DO UPDATE SET value = 800`,
          [`order-${year}`],
        );
      const zorg = await signedIn(ZORG_BUYER, ZORG);
      const zorgSku = (
        await sql<Array<{ sku: string }>>(
          `SELECT v.sku FROM variant v JOIN tenant_variant tv ON tv.variant_id = v.id JOIN tenant t ON t.id = tv.tenant_id
            WHERE t.slug = 'zorggroep-noord' AND v.stock_on_hand >= 10 AND v.min_order_quantity = 1 AND v.order_multiple = 1
            ORDER BY v.sku LIMIT 1`,
        )
      )[0].sku;
      await add(zorg, zorgSku, 1);
      const placed = await checkout(zorg);
      expect(placed.res.status).toBe(303);
      const zorgNumber = (placed.res.headers.location as string).split('/').pop()!;
      expect((await zorg.get(`/orders/${zorgNumber}`)).status).toBe(200);
      expect((await buyer.get(`/orders/${zorgNumber}`)).status).toBe(404);
    });
  });

  describe('quotes', () => {
    beforeEach(() => clearCart(BUYER));

    it('requests a quote of the cart, shows the offer, accepts it into an order', async () => {
      const v = await signedIn(BUYER);
      await add(v, simple, 10);
      const res = await v.post('/quotes/request', {
        _csrf: await v.csrf('/cart'),
        note: 'Projectprijs graag',
      });
      expect(res.status).toBe(303);
      const number = /^\/quotes\/(Q\d{4}-\d{6})$/.exec(res.headers.location as string)?.[1] ?? '';
      expect(number).not.toBe('');
      const requested = await v.get(`/quotes/${number}`);
      expect(requested.status).toBe(200);
      expect(textOf(requested.body)).toContain('Aangevraagd');
      expect(requested.body).not.toContain('/accept"');
      expect((await v.get('/quotes')).body).toContain(`href="/quotes/${number}"`);
      // The cart stays as it was.
      expect(await cartOf(BUYER)).toEqual([{ sku: simple, quantity: 10 }]);

      await api.app
        .get(QuoteOfferService)
        .offer(number, [{ sku: simple, unitPrice: '1.50' }], new Date(Date.now() + 7 * 86_400_000));
      const offered = await v.get(`/quotes/${number}`);
      expect(textOf(offered.body)).toContain('€ 1,50');
      expect(offered.body).toContain(`action="/quotes/${number}/accept"`);
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(offered.body)?.[1] ?? '';
      const csrf = /name="_csrf" value="([^"]+)"/.exec(offered.body)?.[1] ?? '';

      const noPo = await v.post(`/quotes/${number}/accept`, { _csrf: csrf, idempotencyKey: key });
      expect(noPo.status).toBe(400);
      expect(textOf(noPo.body)).toContain('inkoopordernummer');
      const accepted = await v.post(`/quotes/${number}/accept`, {
        _csrf: csrf,
        idempotencyKey: key,
        poNumber: 'PO-Q',
      });
      expect(accepted.status).toBe(303);
      const order = (accepted.headers.location as string).split('/').pop()!;
      expect(textOf((await v.get(`/orders/${order}`)).body)).toContain('€ 15,00');
      const again = await v.post(`/quotes/${number}/accept`, {
        _csrf: csrf,
        idempotencyKey: key,
        poNumber: 'PO-Q',
      });
      expect(again.headers.location).toBe(`/orders/${order}`);
      expect((await v.get('/quotes/Q2000-000001')).status).toBe(404);
    });

    it('refuses an empty quote request with the form again (400)', async () => {
      const v = await signedIn(BUYER);
      const res = await v.post('/quotes/request', { _csrf: await v.csrf('/cart'), note: '' });
      expect(res.status).toBe(400);
      expect(res.body).toContain('<title>Offerte aanvragen · Jansen Bouw B.V.</title>');
    });

    it('sends anonymous visitors of a login-only site to sign in for a quote request', async () => {
      const res = await visitor().get('/quotes/request');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fquotes%2Frequest');
    });
  });
});
