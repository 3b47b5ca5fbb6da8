import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  QueryRunner,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { ANALYZE_FUNCTION } from './runtime-role';

/** The open unit of work of the async context: its manager, and whether it has committed. */
interface OpenUnit {
  em: EntityManager;
  committed: boolean;
}

const openUnits = new AsyncLocalStorage<OpenUnit>();

function refuseNesting(what: string): void {
  if (openUnits.getStore())
    throw new Error(
      `TenantDb: ${what} was started inside a unit of work. Use the EntityManager you were given, ` +
        'or do the work before or after the unit of work.',
    );
}

/** A setting value that can be written into SQL as it is: UUIDs, `on`. */
const PLAIN = /^[0-9A-Za-z-]{1,64}$/;

/** Sets TypeORM's flag as its own startTransaction/commitTransaction do (read-only in its types). */
function markTransaction(qr: QueryRunner, active: boolean): void {
  (qr as { isTransactionActive: boolean }).isTransactionActive = active;
}

/**
 * Starts the transaction of a unit and sets its setting: one simple-protocol query when the value
 * is a plain token (UUIDs, `on`), written into the SQL as it is; else the value is bound.
 */
function begin(
  qr: QueryRunner,
  setting: readonly [name: string, value: string] | null,
): Promise<unknown> {
  if (setting && PLAIN.test(setting[1]))
    return qr.query(`START TRANSACTION; SELECT set_config('${setting[0]}', '${setting[1]}', true)`);
  const start = qr.query('START TRANSACTION');
  if (!setting) return start;
  return Promise.all([start, qr.query(`SELECT set_config($1, $2, true)`, [...setting])]);
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
    return this.unit(['app.tenant_id', scope.tenantId], fn);
  }

  /** Reads or writes the seller's own data (catalog, price lists): no tenant setting. */
  async global<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.unit(null, fn);
  }

  /**
   * A unit of work that maintains tenant-owned rows across tenants (materializing assortments
   * after a catalog import, provisioning). The tenant policies admit it through the
   * transaction-local `app.maintenance` setting — explicit and greppable, never a request path.
   */
  async maintenance<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.unit(['app.maintenance', 'on'], fn);
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
   *
   * The transaction and its setting start without a round trip of their own: `START
   * TRANSACTION; SELECT set_config(…)` (one simple-protocol query, see {@link begin}) is sent
   * with the unit's first statement. On this kind of machine every round trip costs both
   * processes a send and a wake-up. Otherwise this is `DataSource.transaction`: commit, or roll
   * back and rethrow the original error.
   */
  private async unit<T>(
    setting: readonly [name: string, value: string] | null,
    fn: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    refuseNesting('another unit of work');
    const qr = this.ds.createQueryRunner();
    try {
      // Marked first, as TypeORM's startTransaction does: persistence inside `fn` must not open
      // a transaction of its own.
      markTransaction(qr, true);
      // Not awaited before `fn`: its first statement follows at once (pipeline mode), in the same
      // write (PreparingClient), so the start costs no round trip of its own.
      const started = begin(qr, setting);
      started.catch(() => undefined);
      const unit: OpenUnit = { em: qr.manager, committed: false };
      let result: T;
      try {
        result = await openUnits.run(unit, () => fn(qr.manager));
      } catch (err) {
        await started; // a failed start is the cause of what failed after it
        throw err;
      }
      await started;
      if (!unit.committed) await qr.query('COMMIT');
      markTransaction(qr, false);
      return result;
    } catch (err) {
      if (qr.isTransactionActive && !qr.isReleased)
        // The original error matters, not a failed rollback (the connection may be gone).
        await qr.query('ROLLBACK').catch(() => undefined);
      throw connectionLost(err) ?? err;
    } finally {
      markTransaction(qr, false);
      await qr.release();
    }
  }

  /**
   * Runs the last statement of the unit of work `em` belongs to and commits the unit, both sent
   * at once: the server runs the COMMIT right after the statement instead of waiting for this
   * process to read the answer and send it (node-postgres pipeline mode, see createDataSource).
   * Row locks the statement takes — a counter every order of a tenant updates — are then held
   * for the statement and the commit's flush, not also for a turn of a busy event loop, which
   * under load is the longer part. The statement itself must fail for anything that has to roll
   * the unit back: once it succeeds the unit is committed (if it fails, the server answers the
   * COMMIT with a rollback). Call it last, with the unit's manager.
   */
  async commitWith<T = unknown>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
    const unit = openUnits.getStore();
    if (!unit || unit.em !== em || unit.committed)
      throw new Error('TenantDb.commitWith: call it once, last, with the manager of its unit.');
    const [statement, commit] = await Promise.allSettled([
      em.query(sql, params) as Promise<T[]>,
      em.query('COMMIT'),
    ]);
    if (statement.status === 'rejected') throw statement.reason;
    if (commit.status === 'rejected') throw commit.reason;
    unit.committed = true;
    return statement.value;
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
 * TypeORM releases a query runner as soon as its connection reports an error (the server shut
 * down or restarted, the socket was cut), and the unit's next statement — often its COMMIT —
 * then fails with "query runner already released" instead of the connection error. Inside a
 * unit of work that can only mean the connection was lost (the manager is never used after its
 * unit), so it becomes what it is: SQLSTATE 08006 connection_failure, a retryable 503 upstream
 * (`isDatabaseUnavailable`), not an unexplained 500. The transaction did not commit.
 */
export function connectionLost(err: unknown): Error | null {
  if (
    !(err instanceof QueryRunnerAlreadyReleasedError) &&
    !(err instanceof QueryRunnerProviderAlreadyReleasedError)
  )
    return null;
  return Object.assign(
    new Error('The database connection was lost during the unit of work.', { cause: err }),
    { code: '08006' },
  );
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
