import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { unlink } from 'node:fs/promises';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { returnedRows, TenantDb } from '@vitrine/database';
import { IMPORT_RUNNERS, type ImportRunner } from './import-runner';
import { resolveFormat } from './import/import-pipeline';
import { ImportError, type ImportOptions, type ImportProgress } from './import/import.types';

export type ImportJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
export const IMPORT_JOB_STATUSES: readonly ImportJobStatus[] = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** A pollable import, as stored in import_job. */
export interface ImportJob {
  id: string;
  /** A runner's kind: 'catalog', 'customer-skus', 'prices'. */
  kind: string;
  tenantId: string | null;
  /** The tenant's slug, for tenant-bound kinds. */
  tenantSlug: string | null;
  source: string;
  format: 'csv' | 'ndjson';
  status: ImportJobStatus;
  rowsRead: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  rejectFile: string | null;
  error: string | null;
  /** The admin account that started it (null: a bootstrap token, the CLI, a test). */
  requestedBy: string | null;
  /** Readable: the account's e-mail or the token's subject. */
  requestedByName: string | null;
  sizeBytes: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date;
}

export interface ImportJobOptions extends Omit<ImportOptions, 'onProgress'> {
  /** Required for tenant-bound kinds (customer-skus): the tenant whose file this is. */
  tenantSlug?: string;
  requestedBy?: { id: string | null; name: string };
  sizeBytes?: number;
  /** Delete the source file when the job ends (a spooled upload); the reject file stays. */
  removeSource?: boolean;
  /**
   * Called in the transaction that records the job, with its id (and tenant): an audit row
   * written here exists if and only if the job does.
   */
  onRecorded?: (em: EntityManager, job: { id: string; tenantId: string | null }) => Promise<void>;
}

/** What a listing may show: per kind, every job (tenantIds null) or the jobs of these tenants. */
export interface ImportJobFilter {
  visible: ReadonlyArray<{ kind: string; tenantIds: readonly string[] | null }>;
  status?: ImportJobStatus | null;
  /** At most this many (one more is read to tell whether there is a next page). */
  first: number;
  /** The id of the last job of the previous page. */
  afterId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SELECT = `SELECT j.*, t.slug AS tenant_slug FROM import_job j LEFT JOIN tenant t ON t.id = j.tenant_id`;
/** Default when no configuration is injected (the limit the config defaults to). */
const DEFAULT_STALE_AFTER_S = 120;

/**
 * Imports as background jobs: `start` records the job and returns its id at once; the import
 * runs in this process (the same pipeline as the CLI) through the runner of its kind
 * (IMPORT_RUNNERS) and writes its counters to import_job after every batch, so `get` can be
 * polled. A job that throws ends FAILED with its message; rejected rows do not fail a job (they
 * are counted and written to the reject file).
 *
 * While a job runs, its process writes `heartbeat_at` every few seconds. A QUEUED or RUNNING
 * job whose heartbeat is older than `imports.staleAfterS` belongs to a process that stopped
 * (crash, deploy, kill): it is marked FAILED — "interrupted" — at startup and before every read,
 * so nobody polls it forever. Committed batches stay; the same file run again completes it.
 */
@Injectable()
export class ImportJobService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ImportJob');
  private readonly running = new Map<string, Promise<void>>();
  private readonly runners: Map<string, ImportRunner>;
  private readonly staleAfterS: number;

  constructor(
    private readonly db: TenantDb,
    @Inject(IMPORT_RUNNERS) runners: ImportRunner[],
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    this.runners = new Map(runners.map((r) => [r.kind, r]));
    this.staleAfterS = config?.imports?.staleAfterS ?? DEFAULT_STALE_AFTER_S;
  }

  /** The kinds this service can run, in registration order. */
  kinds(): string[] {
    return [...this.runners.keys()];
  }

  /** Whether jobs of `kind` belong to one tenant. */
  isTenantBound(kind: string): boolean {
    return !!this.runners.get(kind)?.tenantOf;
  }

  /**
   * The tenant a job of `kind` would belong to (null: none), checked as `start` checks it —
   * to decide who may start it before the file is read. ImportError for a missing or unknown one.
   */
  async tenantFor(kind: string, tenantSlug?: string): Promise<string | null> {
    const runner = this.runner(kind);
    return runner.tenantOf ? runner.tenantOf(tenantSlug) : null;
  }

  /** Validates what can be checked up front (kind, format, tenant), records the job, starts it. */
  async start(kind: string, source: string, options: ImportJobOptions = {}): Promise<string> {
    const runner = this.runner(kind);
    const format = resolveFormat(source, options.format);
    const tenantId = runner.tenantOf ? await runner.tenantOf(options.tenantSlug) : null;
    const id = await this.db.global(async (em) => {
      const [job] = (await em.query(
        `INSERT INTO import_job (kind, tenant_id, source, format, requested_by, requested_by_name, size_bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          kind,
          tenantId,
          source,
          format,
          options.requestedBy?.id ?? null,
          options.requestedBy?.name ?? null,
          options.sizeBytes ?? null,
        ],
      )) as Array<{ id: string }>;
      await options.onRecorded?.(em, { id: job.id, tenantId });
      return job.id;
    });
    const run = this.run(id, runner, source, { ...options, format }).finally(() =>
      this.running.delete(id),
    );
    this.running.set(id, run);
    return id;
  }

  /** The job, or null for an unknown id (or one that is not an id). Interrupted jobs are failed first. */
  async get(id: string): Promise<ImportJob | null> {
    if (!UUID.test(id)) return null;
    await this.failInterrupted();
    const [row] = await this.db.query<Record<string, unknown>>(`${SELECT} WHERE j.id = $1`, [id]);
    return row ? toJob(row) : null;
  }

  /** Jobs newest first, as far as `filter.visible` allows; `first + 1` rows at most. */
  async list(filter: ImportJobFilter): Promise<ImportJob[]> {
    await this.failInterrupted();
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const visible = filter.visible.map((v) =>
      v.tenantIds === null
        ? `j.kind = ${p(v.kind)}`
        : `(j.kind = ${p(v.kind)} AND j.tenant_id = ANY(${p([...v.tenantIds])}::uuid[]))`,
    );
    if (visible.length === 0) return [];
    const where = [`(${visible.join(' OR ')})`];
    if (filter.status) where.push(`j.status = ${p(filter.status)}`);
    if (filter.afterId) {
      if (!UUID.test(filter.afterId)) return [];
      where.push(
        `(j.created_at, j.id) < (SELECT created_at, id FROM import_job WHERE id = ${p(filter.afterId)})`,
      );
    }
    const rows = await this.db.query<Record<string, unknown>>(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY j.created_at DESC, j.id DESC LIMIT ${p(filter.first + 1)}`,
      params,
    );
    return rows.map(toJob);
  }

  /** Resolves when the job has finished in this process (at once when it is not running here). */
  async wait(id: string): Promise<ImportJob | null> {
    await this.running.get(id);
    return this.get(id);
  }

  /**
   * Marks FAILED every unfinished job whose heartbeat is older than the limit (its process is
   * gone). Jobs running in this process are never touched. Returns how many were marked.
   */
  async failInterrupted(): Promise<number> {
    const mine = [...this.running.keys()];
    const rows = returnedRows<{ id: string }>(
      await this.db.query(
        `UPDATE import_job
            SET status = 'FAILED', finished_at = now(),
                error = 'Interrupted: the process running this import stopped (no sign of life since '
                  || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || '). Batches committed before that are kept; run the import again with the same file: imports are idempotent, rows already imported stay unchanged.'
          WHERE status IN ('QUEUED', 'RUNNING')
            AND heartbeat_at < now() - make_interval(secs => $1)
            AND NOT (id = ANY($2::uuid[]))
          RETURNING id`,
        [this.staleAfterS, mine],
      ),
    );
    for (const r of rows) this.log.warn(`import job ${r.id} was interrupted; marked FAILED`);
    return rows.length;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.failInterrupted();
    } catch (err) {
      // A database not reachable at boot is reported elsewhere (readiness); reads sweep again.
      this.log.warn(`could not check for interrupted import jobs: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  private runner(kind: string): ImportRunner {
    const runner = this.runners.get(kind);
    if (!runner)
      throw new ImportError(
        `unknown import kind "${kind}" (${this.kinds().join(', ') || 'none registered'})`,
        'usage',
      );
    return runner;
  }

  private async run(
    id: string,
    runner: ImportRunner,
    source: string,
    options: ImportJobOptions,
  ): Promise<void> {
    // Yield first so that `start` answers before any work is done.
    await new Promise((resolve) => setImmediate(resolve));
    // A heartbeat independent of batches: one batch may take longer than the limit.
    const beatEveryMs = Math.max(1000, Math.floor((this.staleAfterS * 1000) / 4));
    const beat = setInterval(() => {
      this.db
        .query(`UPDATE import_job SET heartbeat_at = now() WHERE id = $1`, [id])
        .catch((e: unknown) => this.log.warn(`heartbeat of import job ${id}: ${String(e)}`));
    }, beatEveryMs);
    beat.unref();
    try {
      await this.db.query(
        `UPDATE import_job SET status = 'RUNNING', started_at = now(), heartbeat_at = now() WHERE id = $1`,
        [id],
      );
      const importOptions: ImportOptions = {
        format: options.format,
        rejectsPath: options.rejectsPath,
        batchSize: options.batchSize,
        delimiter: options.delimiter,
        onProgress: (p: ImportProgress) => this.saveCounters(id, p),
      };
      const result = await runner.run(source, importOptions, options.tenantSlug ?? null);
      await this.saveCounters(id, result);
      await this.db.query(
        `UPDATE import_job SET status = 'SUCCEEDED', reject_file = $2, finished_at = now(), heartbeat_at = now() WHERE id = $1`,
        [id, result.rejectsPath],
      );
    } catch (err) {
      this.log.warn(`import job ${id} failed: ${(err as Error).message}`);
      await this.db
        .query(
          `UPDATE import_job SET status = 'FAILED', error = $2, finished_at = now(), heartbeat_at = now() WHERE id = $1`,
          [id, (err as Error).message],
        )
        .catch((e: unknown) => this.log.error(e));
    } finally {
      clearInterval(beat);
      if (options.removeSource) await unlink(source).catch(() => undefined);
    }
  }

  private async saveCounters(
    id: string,
    c: { read: number; created: number; updated: number; unchanged: number; rejected: number },
  ): Promise<void> {
    await this.db.query(
      `UPDATE import_job SET rows_read = $2, rows_created = $3, rows_updated = $4,
         rows_unchanged = $5, rows_rejected = $6, heartbeat_at = now() WHERE id = $1`,
      [id, c.read, c.created, c.updated, c.unchanged, c.rejected],
    );
  }
}

function toJob(r: Record<string, unknown>): ImportJob {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string,
    kind: r.kind as string,
    tenantId: (r.tenant_id as string | null) ?? null,
    tenantSlug: (r.tenant_slug as string | null) ?? null,
    source: r.source as string,
    format: r.format as 'csv' | 'ndjson',
    status: r.status as ImportJobStatus,
    rowsRead: Number(r.rows_read),
    rowsCreated: Number(r.rows_created),
    rowsUpdated: Number(r.rows_updated),
    rowsUnchanged: Number(r.rows_unchanged),
    rowsRejected: Number(r.rows_rejected),
    rejectFile: (r.reject_file as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    requestedBy: (r.requested_by as string | null) ?? null,
    requestedByName: (r.requested_by_name as string | null) ?? null,
    sizeBytes: r.size_bytes == null ? null : Number(r.size_bytes),
    createdAt: date(r.created_at)!,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    heartbeatAt: date(r.heartbeat_at)!,
  };
}
