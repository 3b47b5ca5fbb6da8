import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGlite, types, type PGliteOptions, type Results } from '@electric-sql/pglite';
import { EventEmitter } from 'node:events';
import { Mutex } from 'async-mutex';

/**
 * A node-postgres compatible Pool over one PGlite instance, for TypeORM's postgres driver.
 *
 * PGlite is a single session. TypeORM opens a transaction by sending BEGIN on a pooled
 * connection and expects no one else to use that connection until it is released, so this
 * pool hands the one session out exclusively (a mutex held from `connect` to `release`):
 * concurrent units of work queue instead of interleaving their statements inside each other's
 * transactions. Results are shaped like node-postgres's (rows, rowCount, command) and int8
 * comes back as a string, exactly as with a real PostgreSQL, so code cannot tell the two apart.
 */
export class PGlitePool extends EventEmitter {
  private readonly session = new Mutex();
  private readonly client: PGliteClient;

  constructor(
    readonly db: PGlite,
    private readonly onClose?: () => Promise<void>,
  ) {
    super();
    this.client = new PGliteClient(db);
  }

  connect(
    callback?: (
      err: Error | null,
      client: PGliteClient | null,
      release: (err?: unknown) => void,
    ) => void,
  ): Promise<PGliteClient> | void {
    const acquired = this.session.acquire();
    if (!callback) return acquired.then((release) => this.client.lease(release));
    acquired.then(
      (release) => {
        const client = this.client.lease(release);
        callback(null, client, () => client.release());
      },
      (err: Error) => callback(err, null, () => undefined),
    );
  }

  /** A single statement outside any explicit transaction (pg's `pool.query`). */
  async query(text: string, params?: unknown[]): Promise<PgResult> {
    return this.session.runExclusive(() => this.client.run(text, params));
  }

  end(callback?: (err?: Error | null) => void): Promise<void> | void {
    const done = this.db.close().then(() => this.onClose?.());
    if (!callback) return done;
    done.then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }

  get totalCount(): number {
    return 1;
  }
}

type QueryCallback = (err: Error | null, result: PgResult | undefined) => void;

export interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: Array<{ name: string; dataTypeID: number }>;
}

class PGliteClient extends EventEmitter {
  private releaseLock: (() => void) | null = null;

  constructor(private readonly db: PGlite) {
    super();
  }

  lease(release: () => void): this {
    this.releaseLock = release;
    return this;
  }

  release(): void {
    const release = this.releaseLock;
    this.releaseLock = null;
    release?.();
  }

  /**
   * node-postgres's signatures: (text, values?) → Promise, and (text, values?, callback) or
   * (text, callback) with a Node-style callback (TypeORM uses the latter when it connects).
   */
  query(
    text: string | { text: string; values?: unknown[] },
    paramsOrCallback?: unknown[] | QueryCallback,
    callback?: QueryCallback,
  ): Promise<PgResult> | undefined {
    const sql = typeof text === 'object' ? text.text : text;
    const fromObject = typeof text === 'object' ? text.values : undefined;
    const cb = typeof paramsOrCallback === 'function' ? paramsOrCallback : callback;
    const params =
      typeof paramsOrCallback === 'function' ? fromObject : (paramsOrCallback ?? fromObject);
    const result = this.run(sql, params);
    if (!cb) return result;
    result.then(
      (r) => cb(null, r),
      (err: Error) => cb(err, undefined),
    );
    return undefined;
  }

  async run(text: string, params?: unknown[]): Promise<PgResult> {
    // Parameterless text may hold several statements (migrations); PGlite's `exec` runs them
    // with the simple protocol and, like pg, we answer with the last statement's result.
    if (!params || params.length === 0) {
      const results = await this.db.exec(text);
      return toPgResult(text, results[results.length - 1]);
    }
    return toPgResult(text, await this.db.query(text, params));
  }
}

function toPgResult(text: string, result: Results | undefined): PgResult {
  const rows = (result?.rows ?? []) as unknown[];
  const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  return {
    rows,
    rowCount: result?.affectedRows ?? rows.length,
    command,
    fields: (result?.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
  };
}

/** Opens PGlite with node-postgres's type behaviour (int8 as string). `dataDir` undefined: in memory. */
export async function openPGlite(dataDir?: string, options: PGliteOptions = {}): Promise<PGlite> {
  return PGlite.create(dataDir ?? 'memory://', {
    ...options,
    // Trigram similarity for search with typos; PostgreSQL has it as a contrib extension.
    extensions: { pg_trgm, ...(options.extensions ?? {}) },
    parsers: { [types.INT8]: (value: string) => value, ...(options.parsers ?? {}) },
    serializers: {
      // PGlite would send JS booleans as 't'/'f' text, which PostgreSQL accepts for boolean but
      // not for text-typed parameters; send the SQL literals like node-postgres does.
      [types.BOOL]: (v: unknown) =>
        v === true || v === 'true' ? 'true' : v === false || v === 'false' ? 'false' : String(v),
      ...(options.serializers ?? {}),
    },
  });
}

/** The `driver` option TypeORM's postgres dialect accepts: an object with a Pool constructor. */
/** A pg-compatible driver over `db`; `onClose` runs after the pool has closed it (lock release). */
export function pgliteDriver(
  db: PGlite,
  onClose?: () => Promise<void>,
): { Pool: new () => PGlitePool } {
  return {
    Pool: class extends PGlitePool {
      constructor() {
        super(db, onClose);
      }
    },
  };
}
