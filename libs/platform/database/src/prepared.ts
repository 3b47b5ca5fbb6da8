import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Client, type ClientConfig } from 'pg';

/** Statement text → name of its server-side prepared statement. */
const names = new Map<string, string>();

/** More distinct texts than this are not a fixed set of hot statements: the rest run unnamed. */
const MAX_PREPARED = 200;

/**
 * Marks `sql` as a hot statement to run as a named (server-side prepared) statement on
 * PostgreSQL, and returns it unchanged: `em.query(prepared(SQL), params)`. Each connection
 * parses it once and PostgreSQL keeps its plan (a generic plan once it costs no more than the
 * custom ones), instead of parsing and planning it at every execution — for the short
 * statements of a checkout, planning is a third of the server's CPU. Only for fixed texts with
 * all values as parameters; PGlite runs it as any other statement.
 */
export function prepared(sql: string): string {
  if (!names.has(sql) && names.size < MAX_PREPARED)
    names.set(sql, `vitrine_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`);
  return sql;
}

function ignoreLateError(): void {
  // Reported to the queries and listeners that can act on it; see the constructor.
}

/**
 * The node-postgres client of the pool (`Client` of pg-pool's options). Runs the texts marked
 * with {@link prepared} as named statements. And the statements issued in one turn of the event
 * loop leave in one write: the socket is corked from the first until the turn's microtasks have
 * run (pipeline mode sends each at once, see createDataSource) — a unit's start with its first
 * statement, a last statement with its COMMIT. On a virtual machine a send to a local socket
 * costs the receiver's network processing and wake-up; it was a fifth of the API's CPU.
 */
export class PreparingClient extends Client {
  private corked = false;

  constructor(config?: string | ClientConfig) {
    super(config);
    // A lost connection is reported to its queries (rejected) and to whoever holds the client:
    // TypeORM's query runner or the pool's idle listener, which both drop it. A second report
    // of the same loss ("terminated unexpectedly" after the server's FATAL) can arrive while
    // neither listens; without a listener of its own that would be an unhandled 'error' event
    // and end the process — seen when PostgreSQL restarted under load (faults.e2e).
    this.on('error', ignoreLateError);
    const query = this.query.bind(this) as (config: unknown, ...rest: unknown[]) => unknown;
    this.query = ((config: unknown, ...rest: unknown[]) => {
      const name =
        typeof config === 'string' && Array.isArray(rest[0]) ? names.get(config) : undefined;
      this.corkForTurn();
      return query(name ? { name, text: config } : config, ...rest);
    }) as Client['query'];
  }

  private corkForTurn(): void {
    const stream = (this as unknown as { connection?: { stream?: Socket } }).connection?.stream;
    if (this.corked || !stream || typeof stream.cork !== 'function') return;
    this.corked = true;
    stream.cork();
    process.nextTick(() => {
      this.corked = false;
      stream.uncork();
    });
  }
}
