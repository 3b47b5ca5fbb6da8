import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@vitrine/config';
import { createDataSource, ensureSchema, type DataSourceOptions } from '@vitrine/database';

export interface TestDatabase {
  config: DatabaseConfig;
  dataSource: DataSource;
  /** Destroys the DataSource and drops the throwaway database. */
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server of
 * DATABASE_URL when set (CI), an in-memory PGlite otherwise. Nothing is shared between files.
 */
export async function createTestDatabase(
  options: DataSourceOptions & {
    /**
     * PGlite: run the session as the runtime role after migrating, as the application does
     * (row-level security applies). Off by default: test setup often writes rows with raw SQL.
     */
    runtimeRole?: boolean;
  } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const config: DatabaseConfig = { kind: 'pglite', dataDir: 'memory://' };
    const dataSource = await createDataSource(config, options);
    await ensureSchema(dataSource, config, true, { runtimeRole: options.runtimeRole ?? false });
    return { config, dataSource, close: () => dataSource.destroy() };
  }
  const name = `vitrine_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const config: DatabaseConfig = { kind: 'postgres', url: url.toString() };
  const dataSource = await createDataSource(config, { poolSize: 5, ...options });
  await ensureSchema(dataSource, config, true);
  return {
    config,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await withAdminClient(serverUrl, (c) =>
        c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function withAdminClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
