import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '@vitrine/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory of PostgreSQL's server binaries (initdb, pg_ctl), or undefined when absent. */
export const pgBin: string | undefined = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql')
      .map((v) => join('/usr/lib/postgresql', v, 'bin'))
      .find((dir) => existsSync(join(dir, 'initdb')))
  : undefined;

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  url: string;
  /** Starts the server again (`pg_ctl start -w`). */
  start(): void;
  /** Stops it (`pg_ctl stop -m fast`): sessions are terminated, their transactions roll back. */
  stop(): void;
  /** Stops it if it runs and removes its data directory. */
  close(): void;
}

/**
 * A PostgreSQL cluster of the test's own (`initdb` in a temp dir, a free port, fsync off), so a
 * test can stop and start the server without touching the machine's shared one. Runs the server
 * as the `postgres` user when the test runs as root (CI). Requires {@link pgBin}.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!pgBin) throw new Error('initdb not found under /usr/lib/postgresql/*/bin');
  const bin = pgBin;
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    );
  const port = await freePort();
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], {
          stdio: 'ignore',
        })
      : execFileSync(join(bin, tool), args, { stdio: 'ignore' });
  const start = () =>
    pg('pg_ctl', [
      'start',
      '-w',
      '-D',
      dir,
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
    ]);
  const stop = () => pg('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', dir]);
  pg('initdb', ['-D', dir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  start();
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    close: () => {
      try {
        stop();
      } catch {
        /* not running */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with DATABASE_URL pointing at `url` (createTestDatabase reads it), then restores it. */
export async function withDatabaseServer<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const shared = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    return await fn();
  } finally {
    if (shared === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = shared;
  }
}
