import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { DataSource, type EntitySchema, type LoggerOptions, type MixedList } from 'typeorm';
import type { DatabaseConfig } from '@vitrine/config';
import { lockDataDir } from './data-dir-lock';
import { MIGRATIONS } from './migrations';
import { openPGlite, pgliteDriver } from './pglite-pool';
import { PreparingClient } from './prepared';
import { enterRuntimeRole, grantRuntimeRole, installAnalyzeFunction } from './runtime-role';

export interface DataSourceOptions {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  logging?: LoggerOptions;
  /** An already open PGlite (tests share one in memory). */
  pglite?: PGlite;
  poolSize?: number;
  /**
   * `migrate`: connect as the owner (DATABASE_MIGRATION_URL when set) to run migrations and
   * grant the runtime role; `runtime` (default): the application's own connection.
   */
  purpose?: 'runtime' | 'migrate';
}

/**
 * Builds and initializes the DataSource: PostgreSQL when configured, PGlite otherwise — same
 * dialect, same SQL, same migrations. Never `synchronize`: the schema is the migrations'.
 */
export async function createDataSource(
  db: DatabaseConfig,
  options: DataSourceOptions = {},
): Promise<DataSource> {
  const common = {
    type: 'postgres' as const,
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: options.logging ?? (['error'] as LoggerOptions),
  };
  let ds: DataSource;
  if (db.kind === 'postgres') {
    ds = new DataSource({
      ...common,
      url: options.purpose === 'migrate' ? (db.migrationUrl ?? db.url) : db.url,
      poolSize: options.poolSize ?? 10,
      applicationName: 'vitrine',
      // Fail a request fast (503, see isDatabaseUnavailable) instead of queueing it behind a
      // server that does not answer; the pool reconnects by itself once it does. Pipeline mode:
      // a statement is sent as soon as it is issued, not after the previous one's answer; units
      // of work await each statement anyway, except TenantDb.commitWith's statement + COMMIT.
      // PreparingClient: statements marked with prepared() run as named statements.
      extra: {
        connectionTimeoutMillis: db.connectTimeoutMs ?? 5000,
        pipeline: true,
        Client: PreparingClient,
      },
    });
  } else {
    let pglite = options.pglite;
    let release: (() => Promise<void>) | undefined;
    if (!pglite) {
      if (db.dataDir !== 'memory://') {
        mkdirSync(db.dataDir, { recursive: true });
        release = await lockDataDir(db.dataDir);
      }
      try {
        pglite = await openPGlite(db.dataDir === 'memory://' ? undefined : db.dataDir);
      } catch (err) {
        await release?.();
        throw err;
      }
    }
    ds = new DataSource({ ...common, driver: pgliteDriver(pglite, release) });
  }
  return ds.initialize();
}

export class SchemaBehindError extends Error {}

/**
 * Brings the schema up to date or refuses to go on. The embedded database migrates itself
 * (it belongs to this process); a shared PostgreSQL is migrated deliberately, by an operator
 * or a deploy job, so a process that finds it behind stops with instructions instead.
 */
export async function ensureSchema(
  ds: DataSource,
  db: DatabaseConfig,
  migrateIfBehind = db.kind === 'pglite',
  /**
   * PGlite: switch the session to the runtime role after migrating (default). Test databases
   * keep the superuser session unless they ask for it (createTestDatabase's `runtimeRole`).
   */
  options: { runtimeRole?: boolean } = {},
): Promise<void> {
  if (migrateIfBehind) {
    if (db.kind === 'pglite') {
      // The one session may already run as the runtime role (a second ensureSchema).
      await ds.query('RESET ROLE');
      await ds.runMigrations({ transaction: 'each' });
      if (options.runtimeRole ?? true) await enterRuntimeRole(ds);
      else await installAnalyzeFunction(ds);
      return;
    }
    await ds.runMigrations({ transaction: 'each' });
    if (db.runtimeRole) await grantRuntimeRole(ds, db.runtimeRole);
    else await installAnalyzeFunction(ds);
    return;
  }
  if (await ds.showMigrations()) {
    const applied = await ds
      .query('SELECT name FROM migrations')
      .catch(() => [] as Array<{ name: string }>);
    const appliedNames = new Set((applied as Array<{ name: string }>).map((r) => r.name));
    const pending = ds.migrations
      .map((m) => m.name ?? m.constructor.name)
      .filter((n) => !appliedNames.has(n));
    throw new SchemaBehindError(
      `The database schema is behind: ${pending.length} migration(s) pending (${pending.join(', ')}).\n` +
        'Run `npm run db:migrate` with the same DATABASE_URL, then start again.',
    );
  }
}
