import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AccessTokenService } from '@vitrine/accounts';
import { DemoSeedService } from '@vitrine/admin';
import type { MemoryBus } from '@vitrine/cache';
import { loadConfig, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import type { Role } from '@vitrine/tenancy';
import { createTestDatabase, gql, type TestDatabase } from '@vitrine/testing';
import { ENTITIES } from '../src/app.module';
import { createApp } from '../src/bootstrap';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface RunningApp {
  app: NestFastifyApplication;
  port: number;
  config: AppConfig;
}

/** Test configuration: the repo's demo tenants, quiet logs, no schema file written. */
/** Test files share one Redis in CI: each gets its own key namespace. */
const CACHE_PREFIX = `vitrine-test-${process.pid}-${Date.now()}:`;
/** Mails and ERP files of this test file: never in the repository's var/. */
const OUTPUT_DIR = mkdtempSync(join(tmpdir(), 'vitrine-e2e-'));

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      TENANTS_DIR: resolve(REPO_ROOT, 'tenants'),
      REDIS_URL: process.env.REDIS_URL,
      CACHE_PREFIX,
      // Tests deliver the outbox themselves (OutboxWorker.drain), when they want to.
      OUTBOX_WORKER: 'off',
      MAILBOX_DIR: join(OUTPUT_DIR, 'mailbox'),
      ERP_DROP_DIR: join(OUTPUT_DIR, 'erp-drop'),
      ...env,
    },
    REPO_ROOT,
  );
}

/** A fresh database (PGlite, or PostgreSQL when DATABASE_URL is set) with the demo seeded. */
export async function seededDatabase(variants = 800): Promise<TestDatabase> {
  const db = await createTestDatabase({ entities: ENTITIES });
  const app = await startApp(db, testConfig());
  try {
    await app.app
      .get(DemoSeedService)
      .seed({ variants, extraTenants: 0, onProgress: () => undefined });
  } finally {
    await app.app.close();
  }
  return db;
}

/** Starts an API instance on a free port over an existing database. */
export async function startApp(
  db: TestDatabase,
  config: AppConfig,
  memoryBus?: MemoryBus,
): Promise<RunningApp> {
  const app = await createApp(config, { dataSource: db.dataSource, memoryBus });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = Number(new URL(await app.getUrl()).port);
  return { app, port, config };
}

/**
 * Headers of a signed-in buyer of a tenant's company (by company code; default the tenant's
 * key-account company, whose code is the slug). Until login exists (accounts issue) tests mint
 * the access token with the app's own signing key, exactly as login will.
 */
export async function buyerHeaders(
  running: RunningApp,
  tenantSlug: string,
  options: { companyCode?: string; canSeePrices?: boolean; userId?: string; roles?: Role[] } = {},
): Promise<Record<string, string>> {
  const db = running.app.get(TenantDb);
  const [row] = await db.maintenance(
    (em) =>
      em.query(
        `SELECT t.id AS tenant_id, c.id AS company_id FROM tenant t
         LEFT JOIN company c ON c.tenant_id = t.id AND c.code = $2
         WHERE t.slug = $1`,
        [tenantSlug, options.companyCode ?? tenantSlug],
      ) as Promise<Array<{ tenant_id: string; company_id: string | null }>>,
  );
  if (!row) throw new Error(`No tenant ${tenantSlug}`);
  const token = await running.app.get(AccessTokenService).sign({
    sub: options.userId ?? `test-user-${tenantSlug}`,
    tenant: row.tenant_id,
    company: row.company_id,
    prices: options.canSeePrices ?? true,
    roles: options.roles ?? ['BUYER'],
  });
  return { authorization: `Bearer ${token}` };
}

/**
 * `gql` as a signed-in buyer of each host's tenant (slug = first label of the host); headers the
 * call passes are merged over the buyer's (`{ authorization: '' }` for anonymous). Hosts without
 * a tenant go anonymous. Key-account sites are login-only.
 */
export function buyerGql(running: () => RunningApp): typeof gql {
  const headers = new Map<string, Promise<Record<string, string>>>();
  return async (port, host, query, variables, explicit = {}) => {
    const slug = host.split('.')[0].toLowerCase();
    let h = headers.get(slug);
    if (!h) {
      h = buyerHeaders(running(), slug).catch(() => ({}));
      headers.set(slug, h);
    }
    return gql(port, host, query, variables, { ...(await h), ...explicit });
  };
}

/** Runs SQL across tenants (maintenance unit of work): test setup and checks only. */
export function maintenanceSql(
  running: () => RunningApp,
): <T>(sql: string, params?: unknown[]) => Promise<T> {
  return <T>(sql: string, params: unknown[] = []) =>
    running()
      .app.get(TenantDb)
      .maintenance((em) => em.query(sql, params) as Promise<T>);
}

/**
 * A real, active user of a tenant's company (default: the key-account company, code = slug), created directly in the
 * database, and an access token for them minted with the app's signing key (as login does).
 * Carts, orders, quotes and lists need a real user row.
 */
export async function companyUser(
  running: RunningApp,
  slug: string,
  email: string,
  roles: Role[],
  options: { canSeePrices?: boolean; spendLimitMinor?: number | null; companyCode?: string } = {},
): Promise<string> {
  const canSeePrices = options.canSeePrices ?? true;
  const [row] = await maintenanceSql(() => running)<
    Array<{ id: string; tenant_id: string; company_id: string }>
  >(
    `INSERT INTO app_user (tenant_id, company_id, email, name, roles, status, can_see_prices, spend_limit_minor)
     SELECT t.id, c.id, $2, $2, $3::text[], 'ACTIVE', $4, $5
       FROM tenant t JOIN company c ON c.tenant_id = t.id AND c.code = coalesce($6, t.slug)
      WHERE t.slug = $1 RETURNING id, tenant_id, company_id`,
    [
      slug,
      email,
      roles,
      canSeePrices,
      options.spendLimitMinor ?? null,
      options.companyCode ?? null,
    ],
  );
  if (!row) throw new Error(`No tenant ${slug} with a company ${slug}`);
  return running.app.get(AccessTokenService).sign({
    sub: row.id,
    tenant: row.tenant_id,
    company: row.company_id,
    prices: canSeePrices,
    roles,
  });
}

/**
 * An ACTIVE article of jansen-bouw that can be ordered one piece at a time, given `stock`
 * pieces and a weight (so shipping resolves), with every company's credit limit lifted: for
 * tests that place many orders in a loop.
 */
export async function orderableSku(db: TestDatabase, stock: number): Promise<string> {
  const [row] = (await db.dataSource.query(
    `SELECT v.sku FROM tenant_variant tv JOIN tenant t ON t.id = tv.tenant_id JOIN variant v ON v.id = tv.variant_id
      WHERE t.slug = 'jansen-bouw' AND v.status = 'ACTIVE' AND v.min_order_quantity = 1 AND v.order_multiple = 1
      ORDER BY v.sku LIMIT 1`,
  )) as Array<{ sku: string }>;
  await db.dataSource.query(
    `UPDATE variant SET stock_on_hand = $2, weight_grams = 100 WHERE sku = $1`,
    [row.sku, stock],
  );
  await db.dataSource.query(`UPDATE company SET credit_limit_minor = NULL`);
  return row.sku;
}
