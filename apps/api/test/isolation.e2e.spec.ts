import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  createDataSource,
  enterRuntimeRole,
  grantRuntimeRole,
  inspectRole,
  returnedRows,
  runtimeRoleProblems,
  TenantDb,
} from '@vitrine/database';
import { formatDecimal } from '@vitrine/pricing';
import { gql, type TestDatabase } from '@vitrine/testing';
import { ENTITIES } from '../src/app.module';
import { companyUser, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

/**
 * Isolation at every layer (issue #9): the API runs as the runtime role (owns nothing, no
 * BYPASSRLS — on PostgreSQL a login role of its own, on PGlite the role the session switches to
 * after migrating), two tenants × two companies with their own contract prices are served
 * concurrently, and no response carries another's data; then SQL that leaves out the tenant
 * filter, run as that role in one tenant's unit of work, sees and deletes nothing of the other's
 * on every tenant-owned table.
 */
const TENANTS = ['jansen-bouw', 'zorggroep-noord'] as const;
const COMPANIES = ['key', 'iso-second'] as const;
const ROUNDS = 6;

interface Actor {
  name: string;
  host: string;
  tenantId: string;
  token: string;
  /** The article with this company's own contract price. */
  sku: string;
  /** That price as the API writes it. */
  amount: string;
  orders: Set<string>;
}

/** Tables with row-level security: every tenant-owned table. */
async function tenantOwnedTables(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity
      ORDER BY 1`,
  )) as Array<{ t: string }>;
  return rows.map((r) => r.t);
}

describe('isolation: runtime role, row-level security, two tenants and two companies under load', () => {
  let db: TestDatabase;
  /** The application's connection: the runtime role. */
  let runtime: DataSource;
  let api: RunningApp;
  let dropRole: () => Promise<void> = async () => undefined;
  const actors: Actor[] = [];
  const assortment = new Map<string, Set<string>>();

  /** As the owner (the test's superuser connection; on PGlite the session user). */
  const asOwner = <T>(sql: string, params: unknown[] = []): Promise<T> =>
    db.dataSource.transaction(async (em) => {
      const [{ user }] = (await em.query(`SELECT session_user AS user`)) as Array<{
        user: string;
      }>;
      await em.query(`SET LOCAL ROLE "${user}"`);
      return em.query(sql, params) as Promise<T>;
    });

  beforeAll(async () => {
    db = await seededDatabase(300);
    if (db.config.kind === 'postgres') {
      // A login role of its own, granted by the owner's migration step, as in production.
      const role = `vitrine_iso_${process.pid}_${randomBytes(3).toString('hex')}`;
      await db.dataSource.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS`);
      const server = process.env.DATABASE_URL!;
      dropRole = async () => {
        const c = new Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP ROLE IF EXISTS ${role}`).finally(() => c.end());
      };
      await grantRuntimeRole(db.dataSource, role);
      const url = new URL(db.config.url);
      url.username = role;
      runtime = await createDataSource(
        { kind: 'postgres', url: url.toString() },
        { entities: ENTITIES, poolSize: 8 },
      );
    } else {
      // The one session switches to vitrine_runtime, as the application's ensureSchema does.
      await enterRuntimeRole(db.dataSource);
      runtime = db.dataSource;
    }

    // A second company in each tenant (ship-to copied from the key account), and a contract
    // price of its own for each of the four companies on one article of the tenant.
    let marker = 0;
    for (const slug of TENANTS) {
      const [t] = await asOwner<Array<{ id: string; currency: string }>>(
        `SELECT id, currency FROM tenant WHERE slug = $1`,
        [slug],
      );
      const skus = await asOwner<Array<{ sku: string; id: number }>>(
        `SELECT v.sku, v.id FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
          WHERE tv.tenant_id = $1 ORDER BY v.sku`,
        [t.id],
      );
      assortment.set(t.id, new Set(skus.map((s) => s.sku)));
      const [pick] = await asOwner<Array<{ sku: string; id: number }>>(
        `SELECT v.sku, v.id FROM tenant_variant tv JOIN variant v ON v.id = tv.variant_id
          WHERE tv.tenant_id = $1 AND v.status = 'ACTIVE' AND v.min_order_quantity = 1
            AND v.order_multiple = 1 ORDER BY v.sku LIMIT 1`,
        [t.id],
      );
      await asOwner(`UPDATE variant SET stock_on_hand = 100000, weight_grams = 100 WHERE id = $1`, [
        pick.id,
      ]);
      const [key] = await asOwner<Array<{ id: string }>>(
        `SELECT id FROM company WHERE tenant_id = $1 AND code = $2`,
        [t.id, slug],
      );
      const [second] = await asOwner<Array<{ id: string }>>(
        `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, 'iso-second', 'Second B.V.', 'NL')
         RETURNING id`,
        [t.id],
      );
      await asOwner(
        `INSERT INTO company_address (tenant_id, company_id, kind, label, name, street, postal_code, city, country, is_default)
         SELECT tenant_id, $2, kind, label, name, street, postal_code, city, country, is_default
           FROM company_address WHERE company_id = $1`,
        [key.id, second.id],
      );
      await asOwner(`UPDATE company SET credit_limit_minor = NULL WHERE tenant_id = $1`, [t.id]);
      for (const [i, company] of [key, second].entries()) {
        marker++;
        const minor = 987_100 + marker; // 9871.0x: no seeded price looks like it
        await asOwner(
          `INSERT INTO contract_price (tenant_id, company_id, variant_id, amount_minor, currency)
           VALUES ($1, $2, $3, $4, $5)`,
          [t.id, company.id, pick.id, minor, t.currency],
        );
        actors.push({
          name: `${slug}/${COMPANIES[i]}`,
          host: `${slug}.localhost`,
          tenantId: t.id,
          token: '',
          sku: pick.sku,
          amount: formatDecimal(minor, t.currency),
          orders: new Set(),
        });
      }
      await asOwner(`UPDATE tenant SET version = version + 1 WHERE id = $1`, [t.id]);
    }

    api = await startApp({ ...db, dataSource: runtime }, testConfig());
    for (const a of actors) {
      const [slug, company] = a.name.split('/');
      a.token = await companyUser(
        api,
        slug,
        `iso-${company}@${slug}.example`,
        ['BUYER', 'APPROVER'],
        {
          companyCode: company === 'key' ? slug : company,
        },
      );
    }
  });

  afterAll(async () => {
    await api?.app.close();
    if (runtime && runtime !== db.dataSource && runtime.isInitialized) await runtime.destroy();
    await db?.close();
    await dropRole();
  });

  it('connects as a role that owns nothing and has no BYPASSRLS', async () => {
    const role = await inspectRole(runtime);
    expect(role).toMatchObject({ superuser: false, bypassRls: false, owned: [] });
    expect(runtimeRoleProblems(role)).toEqual([]);
    if (db.config.kind === 'pglite') expect(role.role).toBe('vitrine_runtime');
    // It may read the migrations table (to know the schema is current), never write it, and
    // never TRUNCATE (which ignores row-level security).
    const [privileges] = (await runtime.query(
      `SELECT has_table_privilege('migrations', 'SELECT') AS read_migrations,
              has_table_privilege('migrations', 'DELETE') AS write_migrations,
              has_table_privilege('cart', 'TRUNCATE') AS truncate_cart,
              has_table_privilege('cart', 'DELETE') AS delete_cart`,
    )) as Array<Record<string, boolean>>;
    expect(privileges).toEqual({
      read_migrations: true,
      write_migrations: false,
      truncate_cart: false,
      delete_cart: true,
    });
  });

  it('serves two tenants and two companies concurrently with zero responses carrying the other’s data', async () => {
    const leaks: string[] = [];
    const call = <T>(a: Actor, query: string, variables: Record<string, unknown> = {}) =>
      gql<T>(api.port, a.host, query, variables, { authorization: `Bearer ${a.token}` });
    const foreignMarkers = (a: Actor) => actors.filter((o) => o !== a).map((o) => o.amount);
    const check = (a: Actor, what: string, body: unknown, ok: boolean) => {
      const text = JSON.stringify(body);
      const foreign = foreignMarkers(a).filter((m) => text.includes(`"${m}"`));
      if (!ok || foreign.length) leaks.push(`${a.name} ${what}: ${text.slice(0, 300)}`);
    };
    let requests = 0;

    const catalog = async (a: Actor) => {
      const res = await call<{
        products: {
          edges: Array<{
            node: { variants: Array<{ sku: string; price: { unit: { amount: string } } | null }> };
          }>;
        };
      }>(
        a,
        `{ products(first: 20) { edges { node { variants { sku price(quantity: 1) { unit { amount } } } } } } }`,
      );
      const variants = res.data?.products.edges.flatMap((e) => e.node.variants) ?? [];
      const own = assortment.get(a.tenantId)!;
      check(
        a,
        'catalog',
        res,
        !res.errors &&
          variants.length > 0 &&
          variants.every(
            (v) => own.has(v.sku) && (v.sku !== a.sku || v.price?.unit.amount === a.amount),
          ),
      );
    };
    const lookup = async (a: Actor) => {
      const res = await call<{
        lookupSkus: Array<{ variant: { price: { unit: { amount: string }; source: string } } }>;
      }>(
        a,
        `query($s: [String!]!) { lookupSkus(skus: $s) { variant { price { unit { amount } source } } } }`,
        {
          s: [a.sku],
        },
      );
      const price = res.data?.lookupSkus[0]?.variant?.price;
      check(a, 'price', res, price?.unit.amount === a.amount && price.source === 'CONTRACT');
    };
    const add = async (a: Actor) => {
      const res = await call<{
        addLinesToCart: { cart: { lines: Array<{ sku: string; unitPrice: { amount: string } }> } };
      }>(
        a,
        `mutation($l: [CartLineInput!]!) { addLinesToCart(lines: $l) { cart { lines { sku unitPrice { amount } } } rejected { sku reason } } }`,
        { l: [{ sku: a.sku, quantity: 1 }] },
      );
      const lines = res.data?.addLinesToCart.cart.lines ?? [];
      check(
        a,
        'cart',
        res,
        !res.errors &&
          lines.length === 1 &&
          lines.every((l) => l.sku === a.sku && l.unitPrice.amount === a.amount),
      );
    };
    const order = async (a: Actor) => {
      const res = await call<{
        placeOrder: {
          number: string;
          lines: Array<{ sku: string; unitPrice: { amount: string } }>;
        };
      }>(
        a,
        `mutation($i: PlaceOrderInput!, $k: String!) { placeOrder(input: $i, idempotencyKey: $k) { number lines { sku unitPrice { amount } } } }`,
        { i: { poNumber: `PO-${a.name}` }, k: randomUUID() },
      );
      const placed = res.data?.placeOrder;
      if (placed) a.orders.add(placed.number);
      check(
        a,
        'order',
        res,
        !!placed && placed.lines.every((l) => l.sku === a.sku && l.unitPrice.amount === a.amount),
      );
    };
    const history = async (a: Actor) => {
      const res = await call<{ orders: { edges: Array<{ node: { number: string } }> } }>(
        a,
        `{ orders(first: 50) { edges { node { number } } } }`,
      );
      const numbers = res.data?.orders.edges.map((e) => e.node.number) ?? [];
      check(a, 'orders', res, !res.errors && numbers.every((n) => a.orders.has(n)));
    };

    for (let round = 0; round < ROUNDS; round++) {
      // Every actor's requests of a round at once, interleaved across tenants and companies.
      const work: Array<Promise<void>> = [];
      for (let i = 0; i < 3; i++) for (const a of actors) work.push(catalog(a));
      for (const a of actors) work.push(lookup(a), add(a));
      requests += work.length;
      await Promise.all(work);
      const second: Array<Promise<void>> = [];
      for (const a of actors) second.push(round % 2 ? order(a) : history(a), catalog(a));
      requests += second.length;
      await Promise.all(second);
    }
    expect(requests).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
    for (const a of actors) expect(a.orders.size).toBe(ROUNDS / 2);
  });

  it('a query that omits the tenant filter sees and deletes zero rows of the other tenant, on every tenant-owned table', async () => {
    const [a, b] = [actors[0].tenantId, actors[2].tenantId];
    const tables = await tenantOwnedTables(runtime);
    expect(tables.length).toBeGreaterThan(20);
    const rollback = new Error('rollback');
    const seen: Record<string, { own: number; other: number; deleted: number }> = {};
    await new TenantDb(runtime)
      .run({ tenantId: a }, async (em) => {
        for (const t of tables) {
          const [row] = (await em.query(
            `SELECT count(*) FILTER (WHERE tenant_id = $1)::int AS own,
                    count(*) FILTER (WHERE tenant_id IS DISTINCT FROM $1)::int AS other FROM ${t}`,
            [a],
          )) as Array<{ own: number; other: number }>;
          const deleted = returnedRows(
            await em.query(`DELETE FROM ${t} WHERE tenant_id IS DISTINCT FROM $1 RETURNING 1`, [a]),
          ).length;
          seen[t] = { own: Number(row.own), other: Number(row.other), deleted };
        }
        throw rollback; // nothing was deleted, but never keep the unit's writes
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
    for (const t of tables) expect([t, seen[t].other, seen[t].deleted]).toEqual([t, 0, 0]);

    // The walls held against rows that exist: the other tenant has rows in the tables the load
    // above wrote (seen by the owner), and they are all still there.
    const present = await asOwner<Array<{ t: string; n: number }>>(
      tables
        .map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t} WHERE tenant_id = $1`)
        .join(' UNION ALL '),
      [b],
    );
    const withRows = new Set(present.filter((r) => Number(r.n) > 0).map((r) => r.t));
    for (const t of [
      'tenant_variant',
      'company',
      'company_address',
      'app_user',
      'contract_price',
      'cart',
      'customer_order',
      'outbox_event',
    ])
      expect([t, withRows.has(t)]).toEqual([t, true]);
  });
});
