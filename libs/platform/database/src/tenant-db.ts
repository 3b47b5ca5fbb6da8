import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ANALYZE_FUNCTION } from './runtime-role';

const openUnits = new AsyncLocalStorage<boolean>();

function refuseNesting(what: string): void {
  if (openUnits.getStore())
    throw new Error(
      `TenantDb: ${what} was started inside a unit of work. Use the EntityManager you were given, ` +
        'or do the work before or after the unit of work.',
    );
}

/** Injection token of the initialized DataSource. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** What the database layer needs to know about the caller: whose data it is. */
export interface TenantScope {
  readonly tenantId: string;
}

/**
 * The tenant-scoped unit of work. Every read or write of tenant-owned rows goes through `run`,
 * which opens a transaction and sets `app.tenant_id` for it (transaction-local, so a pooled
 * connection never carries one tenant's setting into another's request). Row-level security
 * filters on that setting: SQL that forgets `tenant_id = $1` returns nothing of other tenants.
 *
 * Invariant (PGlite is one session): inside `fn`, use only the given manager — never the
 * DataSource — or the unit of work waits on itself.
 */
@Injectable()
export class TenantDb {
  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  async run<T>(scope: TenantScope, fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.unit(async (em) => {
      await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [scope.tenantId]);
      return fn(em);
    });
  }

  /** Reads or writes the seller's own data (catalog, price lists): no tenant setting. */
  async global<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.unit(fn);
  }

  /**
   * A unit of work that maintains tenant-owned rows across tenants (materializing assortments
   * after a catalog import, provisioning). The tenant policies admit it through the
   * transaction-local `app.maintenance` setting — explicit and greppable, never a request path.
   */
  async maintenance<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.unit(async (em) => {
      await em.query(`SELECT set_config('app.maintenance', 'on', true)`);
      return fn(em);
    });
  }

  /** A single statement on data that belongs to no tenant. */
  query<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    refuseNesting('a statement outside it');
    return this.ds.query(sql, params) as Promise<T[]>;
  }

  /**
   * A transaction, remembered in the async context: opening a second one (or a statement on the
   * side) from inside it is refused with a clear error. On PGlite — one session — it would wait
   * for the first forever; on PostgreSQL it would silently run outside the first's transaction.
   */
  private unit<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    refuseNesting('another unit of work');
    return this.ds.transaction((em) => openUnits.run(true, () => fn(em)));
  }

  /**
   * Refreshes the planner's statistics after a bulk load. PGlite has no autovacuum, so without
   * this the planner keeps the row estimates of an empty table and picks bad plans for good;
   * on PostgreSQL it saves waiting for autovacuum. Table names are ours, never user input.
   */
  async refreshStatistics(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
      // The runtime role owns no table: ANALYZE through the owner's function (runtime-role.ts).
      // A schema migrated before the function existed: ANALYZE directly (owners only).
      await this.ds
        .query(`SELECT ${ANALYZE_FUNCTION}($1)`, [table])
        .catch((err: { code?: string }) =>
          err.code === '42883' ? this.ds.query(`ANALYZE ${table}`) : Promise.reject(err),
        );
    }
  }

  /** The identity of this installation (see the installation migration). */
  async installationId(): Promise<string> {
    const [row] = await this.query<{ id: string }>(`SELECT id FROM installation`);
    if (!row) throw new Error('The installation row is missing; run the migrations.');
    return row.id;
  }
}

/**
 * The rows of an `UPDATE`/`DELETE … RETURNING` run through `EntityManager.query`: TypeORM's
 * PostgreSQL driver answers those with `[rows, affectedCount]`, INSERT and SELECT with rows.
 */
export function returnedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}
