import { MemoryBus } from '@vitrine/cache';
import { TenantDb } from '@vitrine/database';
import { AccessTokenService, CompanyDirectory } from '@vitrine/accounts';
import {
  LinePricingService,
  parseDecimal,
  PriceChangeService,
  roundHalfUp,
} from '@vitrine/pricing';
import { createTenantContext, TenantDirectory } from '@vitrine/tenancy';
import { gql, type TestDatabase } from '@vitrine/testing';
import { buyerHeaders, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const SHOP = 'vitrine-shop.localhost';

interface VariantPrices {
  sku: string;
  price: { unit: { amount: string; currency: string }; source: string; taxRate: string } | null;
  tier25: { unit: { amount: string }; source: string; minQuantity: number } | null;
  tierPrices: Array<{ minQuantity: number; unit: { amount: string } }>;
  listPrice: { amount: string } | null;
}
type LookupData = { lookupSkus: Array<{ variant: VariantPrices | null }> };

const LOOKUP = `query($skus: [String!]!) { lookupSkus(skus: $skus) { variant {
  sku
  price { unit { amount currency } source taxRate }
  tier25: price(quantity: 25) { unit { amount } source minQuantity }
  tierPrices { minQuantity unit { amount } }
  listPrice { amount }
} } }`;

/**
 * The pricing engine through the storefront API: who sees which price, contract prices of one
 * company never reaching another company or tenant, and a price change visible on the next
 * request of every instance.
 */
describe('pricing (end to end)', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  /** An article of both jansen's and zorggroep's assortments with a demo contract price for jansen. */
  let sku: string;
  let jansenId: string;

  const lookup = async (app: RunningApp, host: string, headers: Record<string, string> = {}) => {
    const res = await gql<LookupData>(app.port, host, LOOKUP, { skus: [sku] }, headers);
    expect(res.errors).toBeUndefined();
    return res.data!.lookupSkus[0].variant!;
  };

  const maintenance = <T>(sql: string, params: unknown[]) =>
    a.app.get(TenantDb).maintenance((em) => em.query(sql, params) as Promise<T>);

  /** Applies a price change the way every writer does: version bump in its transaction, then publish. */
  const changePrices = async (sql: string, params: unknown[], tenantIds: string[]) => {
    const changes = a.app.get(PriceChangeService);
    const changed = await a.app.get(TenantDb).maintenance(async (em) => {
      await em.query(sql, params);
      return changes.record(em, { tenantIds });
    });
    await changes.publish(changed);
  };

  beforeAll(async () => {
    db = await seededDatabase(400);
    const bus = new MemoryBus();
    a = await startApp(db, testConfig(), bus);
    b = await startApp(db, testConfig(), bus);
    const rows = await maintenance<Array<{ sku: string; tenant_id: string }>>(
      `SELECT v.sku, cp.tenant_id FROM contract_price cp
       JOIN tenant t ON t.id = cp.tenant_id AND t.slug = 'jansen-bouw'
       JOIN variant v ON v.id = cp.variant_id
       JOIN tenant_variant z ON z.variant_id = v.id
         AND z.tenant_id = (SELECT id FROM tenant WHERE slug = 'zorggroep-noord')
       WHERE cp.min_quantity = 1 ORDER BY v.sku LIMIT 1`,
      [],
    );
    expect(rows).toHaveLength(1);
    sku = rows[0].sku;
    jansenId = rows[0].tenant_id;
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.close();
  });

  it('shows anonymous visitors of a login-only site nothing of the assortment, prices included', async () => {
    const res = await gql<LookupData>(a.port, JANSEN, LOOKUP, { skus: [sku] });
    expect(res.status).toBe(401);
    expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(res.data?.lookupSkus ?? null).toBeNull();
    // The site itself still answers: name and theme for a sign-in page.
    const tenant = await gql<{ tenant: { name: string } }>(a.port, JANSEN, '{ tenant { name } }');
    expect(tenant.data!.tenant.name).toBe('Jansen Bouw B.V.');
  });

  it('shows prospects on a public site the list price only', async () => {
    const shop = await gql<{ products: { edges: Array<{ node: { variants: VariantPrices[] } }> } }>(
      a.port,
      SHOP,
      `{ products(first: 3) { edges { node { variants { sku price { unit { amount } source taxRate } listPrice { amount } tierPrices { minQuantity } } } } } }`,
    );
    const variants = shop.data!.products.edges.flatMap((e) => e.node.variants);
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) {
      expect(v.price!.source).toBe('LIST');
      expect(v.price!.unit.amount).toBe(v.listPrice!.amount);
      expect(v.price!.taxRate).toBe('21.00');
      expect(v.tierPrices).toEqual([]);
    }
  });

  it("shows a buyer their company's contract price with its tiers, consistent with price(quantity)", async () => {
    const v = await lookup(a, JANSEN, await buyerHeaders(a, 'jansen-bouw'));
    expect(v.price!.source).toBe('CONTRACT');
    expect(v.price!.unit.currency).toBe('EUR');
    expect(v.tier25!.source).toBe('CONTRACT');
    expect(v.tier25!.minQuantity).toBe(25);
    // Demo contracts: 15 % below list, 20 % below from 25 pieces (rounded half up to the cent).
    const list = parseDecimal(v.listPrice!.amount, 'EUR');
    expect(parseDecimal(v.price!.unit.amount, 'EUR')).toBe(
      Number(roundHalfUp(BigInt(list) * 85n, 100n)),
    );
    expect(v.tierPrices).toEqual([
      { minQuantity: 1, unit: { amount: v.price!.unit.amount } },
      { minQuantity: 25, unit: { amount: v.tier25!.unit.amount } },
    ]);
  });

  it("never shows one company's contract price to another company of the same tenant, nor to another tenant", async () => {
    // A distinctive contract price for jansen's company, and a sister company without contracts.
    await changePrices(
      `UPDATE contract_price SET amount_minor = 7777
       WHERE tenant_id = $1 AND min_quantity = 1 AND variant_id = (SELECT id FROM variant WHERE sku = $2)`,
      [jansenId, sku],
      [jansenId],
    );
    await changePrices(
      `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, 'JB-NOORD', 'Jansen Bouw Noord', 'NL')`,
      [jansenId],
      [jansenId],
    );
    const own = await lookup(a, JANSEN, await buyerHeaders(a, 'jansen-bouw'));
    const sister = await lookup(
      a,
      JANSEN,
      await buyerHeaders(a, 'jansen-bouw', { companyCode: 'JB-NOORD' }),
    );
    const zorg = await lookup(a, ZORG, await buyerHeaders(a, 'zorggroep-noord'));
    expect(own.price).toMatchObject({ source: 'CONTRACT', unit: { amount: '77.77' } });
    expect(sister.price!.source).not.toBe('CONTRACT');
    expect(sister.price!.unit.amount).not.toBe('77.77');
    // Zorggroep has demo contract prices of its own; never jansen's.
    expect(zorg.price!.unit.amount).not.toBe('77.77');
    expect(zorg.tierPrices.map((t) => t.unit.amount)).not.toContain('77.77');
    // Each context's cached data is its own: asking again as jansen still gives the contract.
    expect((await lookup(a, JANSEN, await buyerHeaders(a, 'jansen-bouw'))).price).toEqual(
      own.price,
    );
  });

  it('reverse-charges a German company with a valid VAT id, with the legal note', async () => {
    const res = await gql<{ products: { edges: Array<{ node: { variants: VariantPrices[] } }> } }>(
      a.port,
      'autoparts-delta.localhost',
      `{ products(first: 1) { edges { node { variants { price { taxRate taxNote source } } } } } }`,
      {},
      { ...(await buyerHeaders(a, 'autoparts-delta')), 'accept-language': 'en' },
    );
    const price = res.data!.products.edges[0].node.variants[0].price as unknown as {
      taxRate: string;
      taxNote: string | null;
    };
    expect(price.taxRate).toBe('0.00');
    expect(price.taxNote).toMatch(/reverse charged/);
    // A Dutch company pays Dutch VAT and needs no note.
    const nl = await lookup(a, JANSEN, await buyerHeaders(a, 'jansen-bouw'));
    expect(nl.price!.taxRate).toBe('21.00');
  });

  it('prices cart lines exactly as the product page does, with VAT per line', async () => {
    const headers = await buyerHeaders(a, 'jansen-bouw');
    const page = await lookup(a, JANSEN, headers);
    const [tenant] = await maintenance<Array<{ id: string; company_id: string }>>(
      `SELECT t.id, c.id AS company_id FROM tenant t JOIN company c ON c.tenant_id = t.id AND c.code = t.slug
       WHERE t.slug = 'jansen-bouw'`,
      [],
    );
    const snapshot = (await a.app.get(TenantDirectory).resolveHost(JANSEN))!;
    const company = (await a.app.get(CompanyDirectory).get(snapshot, tenant.company_id))!;
    const ctx = createTenantContext(snapshot, 'line-test', 'nl', {
      id: 'u',
      company,
      roles: ['BUYER'],
      canSeePrices: false, // hidden prices still price orders
    });
    const [variant] = (await a.app
      .get(TenantDb)
      .run(ctx, (em) => em.query(`SELECT id FROM variant WHERE sku = $1`, [sku]))) as Array<{
      id: number;
    }>;
    const line = (quantity: number) => ({
      variant: { id: variant.id, sku, categoryPath: [], taxCategory: 'standard' as const },
      quantity,
    });
    const priced = await a.app.get(LinePricingService).price(ctx, [line(3), line(25)]);
    const cents = (amount: string) => parseDecimal(amount, 'EUR');
    expect(priced.lines[0]).toMatchObject({
      unitMinor: cents(page.price!.unit.amount),
      source: 'CONTRACT',
      netMinor: 3 * cents(page.price!.unit.amount),
    });
    expect(priced.lines[1]).toMatchObject({
      unitMinor: cents(page.tier25!.unit.amount),
      minQuantity: 25,
      netMinor: 25 * cents(page.tier25!.unit.amount),
    });
    for (const l of priced.lines) {
      expect(l.tax.rate).toBe('21.00');
      // Half up per line, in integers.
      expect(l.taxMinor).toBe(Number(roundHalfUp(BigInt(l.netMinor) * 21n, 100n)));
    }
    expect(priced.totals.netMinor).toBe(priced.lines[0].netMinor + priced.lines[1].netMinor);
    expect(priced.totals.taxMinor).toBe(priced.lines[0].taxMinor + priced.lines[1].taxMinor);
  });

  it('hides prices from a user who may not see them', async () => {
    const v = await lookup(
      a,
      JANSEN,
      await buyerHeaders(a, 'jansen-bouw', { canSeePrices: false }),
    );
    expect(v.price).toBeNull();
    expect(v.tierPrices).toEqual([]);
    expect(v.listPrice).toBeNull();
  });

  it("refuses another site's token, a forged one and an expired one with UNAUTHENTICATED", async () => {
    const jansenToken = await buyerHeaders(a, 'jansen-bouw');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [jansenToken, /another site/],
      [{ authorization: `${jansenToken.authorization.slice(0, -3)}abc` }, /not valid/],
      [{ authorization: 'Basic dXNlcjpwdw==' }, /Bearer/],
    ];
    const [tenant] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'zorggroep-noord'`,
      [],
    );
    const expired = await a.app
      .get(AccessTokenService)
      .sign({ sub: 'u', tenant: tenant.id, company: null, prices: true, roles: [] }, -10);
    cases.push([{ authorization: `Bearer ${expired}` }, /expired/]);
    for (const [headers, message] of cases) {
      const res = await gql(a.port, ZORG, '{ tenant { name } }', {}, headers);
      expect(res.status).toBe(401);
      expect(res.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(res.errors![0].message).toMatch(message);
    }
  });

  it('serves a contract price change on the next request of every instance', async () => {
    const headers = await buyerHeaders(a, 'jansen-bouw');
    const before = await lookup(b, JANSEN, headers); // warm instance B's caches
    expect(before.price!.source).toBe('CONTRACT');
    await changePrices(
      `UPDATE contract_price SET amount_minor = 4242
       WHERE tenant_id = $1 AND min_quantity = 1 AND variant_id = (SELECT id FROM variant WHERE sku = $2)`,
      [jansenId, sku],
      [jansenId],
    );
    // Pub/sub delivery is asynchronous; the change must arrive within a second.
    const start = Date.now();
    let amount = before.price!.unit.amount;
    while (amount !== '42.42' && Date.now() - start < 1000) {
      await new Promise((r) => setTimeout(r, 10));
      amount = (await lookup(b, JANSEN, headers)).price!.unit.amount;
    }
    expect(amount).toBe('42.42');
    expect((await lookup(a, JANSEN, headers)).price!.unit.amount).toBe('42.42');
  });

  it('prices a catalog page with no more SQL statements than the same page without prices (warm)', async () => {
    const headers = await buyerHeaders(a, 'jansen-bouw');
    const page = (
      withPrices: boolean,
    ) => `{ products(first: 20) { edges { node { slug variants { sku
      ${withPrices ? 'price { unit { amount } source } tierPrices { minQuantity unit { amount } } listPrice { amount }' : ''}
    } } } } }`;
    const proto = Object.getPrototypeOf(db.dataSource.createQueryRunner()) as {
      query: (...args: unknown[]) => unknown;
    };
    const spy = jest.spyOn(proto, 'query');
    const count = async (query: string) => {
      await gql(a.port, JANSEN, query, {}, headers); // warm
      spy.mockClear();
      const res = await gql(a.port, JANSEN, query, {}, headers);
      expect(res.errors).toBeUndefined();
      return spy.mock.calls.length;
    };
    try {
      const without = await count(page(false));
      const withPrices = await count(page(true));
      expect(withPrices).toBe(without);
    } finally {
      spy.mockRestore();
    }
  });
});
