import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { register } from 'prom-client';
import { TenantDirectory } from '@vitrine/tenancy';
import { freePort, gql, type TestDatabase } from '@vitrine/testing';
import {
  pgBin,
  startPrivatePostgres,
  withDatabaseServer,
  type PrivatePostgres,
} from './private-postgres';
import {
  companyUser,
  orderableSku,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';

/**
 * Faults survived (issue #9), against private servers this file starts on free ports — never the
 * machine's shared Redis or PostgreSQL, which other tests use.
 */
const HOST = 'jansen-bouw.localhost';
const CATALOG = `{ products(first: 5) { edges { node { variants { sku price(quantity: 1) { unit { amount } } } } } } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, fn: () => Promise<boolean> | boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

async function degradedMetric(): Promise<string> {
  const metric = register.getSingleMetric('vitrine_cache_degraded');
  const value = (await metric?.get())?.values[0]?.value;
  return String(value);
}

const redisBinary = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find(existsSync);

(redisBinary ? describe : describe.skip)('Redis stopped under load', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let redis: ChildProcess | null = null;
  let port: number;
  let token: string;

  const startRedis = async () => {
    redis = spawn(
      redisBinary!,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await until('redis to listen', async () => {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
  };
  const stopRedis = async () => {
    const child = redis;
    redis = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const catalog = (app: RunningApp) =>
    gql(app.port, HOST, CATALOG, {}, { authorization: `Bearer ${token}` });

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    db = await seededDatabase(150);
    const config = testConfig({ REDIS_URL: `redis://127.0.0.1:${port}` });
    a = await startApp(db, config);
    b = await startApp(db, config);
    token = await companyUser(a, 'jansen-bouw', 'faults@jansenbouw.example', ['BUYER']);
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await stopRedis();
    await db?.close();
  });

  it('keeps serving from the database while Redis is down (degraded, metric raised), and resumes caches and pub/sub when it is back', async () => {
    expect(await degradedMetric()).toBe('0');
    const answers: Array<{ phase: string; ok: boolean }> = [];
    const load = async (phase: string, n: number) => {
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) => catalog(i % 2 ? a : b)),
      );
      for (const r of results)
        answers.push({
          phase,
          ok: !r.errors && (r.data as { products?: unknown })?.products != null,
        });
    };
    await load('up', 10);

    await stopRedis();
    await until('the degraded metric', async () => (await degradedMetric()) === '1');
    // New tenants' lookups and prices come from the database now.
    a.app.get(TenantDirectory)['local'].clear();
    await load('down', 20);

    await startRedis();
    await until('the metric to clear', async () => (await degradedMetric()) === '0');
    await load('back', 10);
    expect(answers.filter((x) => !x.ok)).toEqual([]);
    expect(answers.length).toBe(40);

    // Pub/sub resumed: a change announced on one instance reaches the other.
    const seen = new Promise<string[]>((resolve) => {
      const off = b.app.get(TenantDirectory).onChange((ids) => {
        off();
        resolve(ids);
      });
    });
    await until('the subscriber to be back', async () => {
      await a.app.get(TenantDirectory).invalidate(['faults-probe']);
      return Promise.race([seen.then(() => true), sleep(300).then(() => false)]);
    });
    await expect(seen).resolves.toEqual(['faults-probe']);
  });
});

if (!pgBin)
  console.warn(
    'faults.e2e: initdb not found under /usr/lib/postgresql/*/bin: PostgreSQL restart test skipped',
  );

const ADD_LINE = `mutation($l: [CartLineInput!]!) { addLinesToCart(lines: $l) { rejected { sku } } }`;
const PLACE_ORDER = `mutation($i: PlaceOrderInput!, $k: String!) { placeOrder(input: $i, idempotencyKey: $k) { number } }`;
const BUYERS = 3;

(pgBin ? describe : describe.skip)('PostgreSQL restarted under load', () => {
  let server: PrivatePostgres;
  let db: TestDatabase;
  let api: RunningApp;
  const tokens: string[] = [];
  let sku: string;
  const pgStop = () => server.stop();
  const pgStart = () => server.start();

  beforeAll(async () => {
    server = await startPrivatePostgres();
    db = await withDatabaseServer(server.url, () => seededDatabase(150));
    api = await startApp(db, testConfig());
    // One user (one cart) per buyer: buyers sharing a cart would conflict with each other.
    // tokens[0] is the buyer who sends an order while the server is down.
    for (let i = 0; i <= BUYERS; i++)
      tokens.push(
        await companyUser(api, 'jansen-bouw', `restart-${i}@jansenbouw.example`, [
          'BUYER',
          'APPROVER',
        ]),
      );
    sku = await orderableSku(db, 100_000);
  });

  afterAll(async () => {
    await api?.app.close();
    if (db?.dataSource.isInitialized) await db.dataSource.destroy();
    server?.close();
  });

  it('answers 503 with Retry-After while it is down, recovers by itself, and every acknowledged order exists exactly once', async () => {
    /** Idempotency key -> order number, for every placeOrder that was answered with an order. */
    const acknowledged = new Map<string, string>();
    /** Idempotency key -> the buyer's headers. */
    const owner = new Map<string, Record<string, string>>();
    let phase: 'up' | 'down' | 'back' = 'up';
    const unavailable = { up: 0, down: 0, back: 0 };
    /** Any answer that is neither a clean 200 nor a 503 SERVICE_UNAVAILABLE with Retry-After. */
    const wrong: string[] = [];
    let running = true;

    /** One request; true when it succeeded, false when it was a proper 503 (retry). */
    const call = async <T>(
      query: string,
      variables: Record<string, unknown>,
      auth: Record<string, string>,
    ): Promise<T | null> => {
      const r = await gql<T>(api.port, HOST, query, variables, auth).catch((err: Error) => {
        wrong.push(`${phase}: ${err.message}`);
        return null;
      });
      if (!r) return null;
      if (r.status === 200 && !r.errors && r.data) return r.data;
      const codes = (r.errors ?? []).map((e) => e.extensions?.code);
      if (
        r.status === 503 &&
        codes.length > 0 &&
        codes.every((c) => c === 'SERVICE_UNAVAILABLE') &&
        /^\d+$/.test(String(r.headers['retry-after']))
      )
        unavailable[phase]++;
      else
        wrong.push(
          `${phase}: ${r.status} retry-after=${String(r.headers['retry-after'])} ${JSON.stringify(r.errors)}`,
        );
      return null;
    };
    const buyer = async (token: string) => {
      const auth = { authorization: `Bearer ${token}` };
      while (running && wrong.length === 0) {
        if (!(await call(ADD_LINE, { l: [{ sku, quantity: 1 }] }, auth))) {
          await sleep(50);
          continue;
        }
        // The same key until the order is acknowledged, as a client that got no answer does.
        const key = randomUUID();
        for (;;) {
          const placed = await call<{ placeOrder: { number: string } }>(
            PLACE_ORDER,
            { i: { poNumber: 'PO-RESTART' }, k: key },
            auth,
          );
          if (placed) {
            acknowledged.set(key, placed.placeOrder.number);
            owner.set(key, auth);
            break;
          }
          if (wrong.length) return;
          await sleep(50);
        }
      }
    };
    const buyers = tokens.slice(1).map(buyer);
    const failed = () => {
      if (wrong.length) throw new Error(`Wrong answers: ${wrong.slice(0, 5).join(' | ')}`);
      return false;
    };
    // This buyer's cart is filled while the server is up, and its order sent while it is down:
    // answered 503 until the restart, then acknowledged under the same key.
    const straddler = { authorization: `Bearer ${tokens[0]}` };
    const straddleKey = randomUUID();
    let straddleAttempts = 0;
    let straddled: Promise<string | null> = Promise.resolve(null);
    try {
      await until('orders before the outage', () => failed() || acknowledged.size >= 6);
      expect(await call(ADD_LINE, { l: [{ sku, quantity: 2 }] }, straddler)).not.toBeNull();
      phase = 'down';
      pgStop();
      straddled = (async () => {
        for (;;) {
          straddleAttempts++;
          const placed = await call<{ placeOrder: { number: string } }>(
            PLACE_ORDER,
            { i: { poNumber: 'PO-STRADDLE' }, k: straddleKey },
            straddler,
          );
          if (placed) return placed.placeOrder.number;
          if (wrong.length) return null;
          await sleep(50);
        }
      })();
      await until(
        '503s while down',
        () => failed() || (unavailable.down >= 10 && straddleAttempts >= 2),
      );
      pgStart();
      phase = 'back';
      const during = acknowledged.size;
      await until(
        'orders after the restart',
        () => failed() || acknowledged.size >= during + 6,
        30_000,
      );
    } finally {
      running = false;
      await Promise.all(buyers);
    }
    const straddleNumber = await straddled;
    expect(straddleNumber).not.toBeNull();
    acknowledged.set(straddleKey, straddleNumber!);
    owner.set(straddleKey, straddler);
    expect(straddleAttempts).toBeGreaterThan(1);

    expect(wrong).toEqual([]);
    expect(unavailable.down).toBeGreaterThanOrEqual(10);
    // Every order of these buyers is an acknowledged one, under its key, exactly once.
    const stored = (await db.dataSource.query(
      `SELECT o.number, k.key FROM customer_order o
         JOIN app_user u ON u.id = o.placed_by
         LEFT JOIN idempotency_key k ON k.order_id = o.id
        WHERE u.email LIKE 'restart-%'`,
    )) as Array<{ number: string; key: string | null }>;
    expect(new Map(stored.map((r) => [r.key, r.number]))).toEqual(acknowledged);
    expect(stored).toHaveLength(acknowledged.size);
    expect(new Set(acknowledged.values()).size).toBe(acknowledged.size);
    // A client that retries an acknowledged key gets the same order back, and no new one.
    for (const [key, number] of acknowledged) {
      const again = await call<{ placeOrder: { number: string } }>(
        PLACE_ORDER,
        { i: { poNumber: key === straddleKey ? 'PO-STRADDLE' : 'PO-RESTART' }, k: key },
        owner.get(key)!,
      );
      expect(again?.placeOrder.number).toBe(number);
    }
    const [{ n }] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM customer_order o JOIN app_user u ON u.id = o.placed_by
        WHERE u.email LIKE 'restart-%'`,
    )) as Array<{ n: number }>;
    expect(n).toBe(acknowledged.size);
  });
});
