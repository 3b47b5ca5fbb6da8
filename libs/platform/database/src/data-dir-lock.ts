import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** Another process holds the embedded database. */
export class DatabaseInUseError extends Error {}

const log = new Logger('Database');

/**
 * Claims an embedded (PGlite) data folder for this process. PGlite has no postmaster that
 * keeps a second process out, and two processes writing one folder corrupt it — so the API,
 * the CLI and the bench take this lock first. A crashed holder's lock goes stale and is taken
 * over; the lock is released on close and when the process exits.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dir, {
      lockfilePath: join(dir, 'vitrine.lock'),
      realpath: false,
      retries: 0,
      // Generous: a long seed can keep the event loop busy for a while between lock refreshes.
      stale: 60_000,
      update: 10_000,
      onCompromised: (err) =>
        log.warn(`The lock on ${dir} could not be refreshed (${err.message}); carrying on.`),
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new DatabaseInUseError(
        `The embedded database in ${dir} is in use by another Vitrine process (npm start, the CLI ` +
          'or a benchmark). Stop that process first, point VITRINE_DATA_DIR at another folder, ' +
          'or use a shared PostgreSQL with DATABASE_URL.',
      );
    }
    throw err;
  }
}
