import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { CatalogImporter } from './import/catalog-importer';
import { CustomerSkuImporter } from './import/customer-sku-importer';
import { resolveFormat } from './import/import-pipeline';
import type { ImportKind, ImportOptions, ImportProgress } from './import/import.types';

export type ImportJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** A pollable import, as stored in import_job. */
export interface ImportJob {
  id: string;
  kind: ImportKind;
  tenantId: string | null;
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
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface ImportJobOptions extends Omit<ImportOptions, 'onProgress'> {
  /** Required for customer-skus: the tenant whose customer numbers these are. */
  tenantSlug?: string;
}

/**
 * Imports as background jobs: `start` records the job and returns its id at once; the import
 * runs in this process (the same pipeline as the CLI) and writes its counters to import_job
 * after every batch, so `get` can be polled. A job that throws ends FAILED with its message;
 * rejected rows do not fail a job (they are counted and written to the reject file).
 */
@Injectable()
export class ImportJobService implements OnApplicationShutdown {
  private readonly log = new Logger('ImportJob');
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly db: TenantDb,
    private readonly catalog: CatalogImporter,
    private readonly customerSkus: CustomerSkuImporter,
  ) {}

  /** Validates what can be checked up front (format, tenant), records the job, starts it. */
  async start(kind: ImportKind, source: string, options: ImportJobOptions = {}): Promise<string> {
    const format = resolveFormat(source, options.format);
    let tenantId: string | null = null;
    if (kind === 'customer-skus') {
      if (!options.tenantSlug) throw new Error('a customer-skus import needs a tenant');
      tenantId = await this.customerSkus.tenantId(options.tenantSlug);
    }
    const [job] = await this.db.query<{ id: string }>(
      `INSERT INTO import_job (kind, tenant_id, source, format) VALUES ($1, $2, $3, $4) RETURNING id`,
      [kind, tenantId, source, format],
    );
    const run = this.run(job.id, kind, source, { ...options, format }).finally(() =>
      this.running.delete(job.id),
    );
    this.running.set(job.id, run);
    return job.id;
  }

  async get(id: string): Promise<ImportJob | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM import_job WHERE id = $1`,
      [id],
    );
    return row ? toJob(row) : null;
  }

  /** Resolves when the job has finished in this process (at once when it is not running here). */
  async wait(id: string): Promise<ImportJob | null> {
    await this.running.get(id);
    return this.get(id);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  private async run(
    id: string,
    kind: ImportKind,
    source: string,
    options: ImportJobOptions,
  ): Promise<void> {
    // Yield first so that `start` answers before any work is done.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      await this.db.query(
        `UPDATE import_job SET status = 'RUNNING', started_at = now() WHERE id = $1`,
        [id],
      );
      const onProgress = (p: ImportProgress) => this.saveCounters(id, p);
      const result =
        kind === 'catalog'
          ? await this.catalog.import(source, { ...options, onProgress })
          : await this.customerSkus.import(options.tenantSlug!, source, { ...options, onProgress });
      await this.saveCounters(id, result);
      await this.db.query(
        `UPDATE import_job SET status = 'SUCCEEDED', reject_file = $2, finished_at = now() WHERE id = $1`,
        [id, result.rejectsPath],
      );
    } catch (err) {
      this.log.warn(`import job ${id} failed: ${(err as Error).message}`);
      await this.db
        .query(
          `UPDATE import_job SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1`,
          [id, (err as Error).message],
        )
        .catch((e: unknown) => this.log.error(e));
    }
  }

  private async saveCounters(
    id: string,
    c: { read: number; created: number; updated: number; unchanged: number; rejected: number },
  ): Promise<void> {
    await this.db.query(
      `UPDATE import_job SET rows_read = $2, rows_created = $3, rows_updated = $4,
         rows_unchanged = $5, rows_rejected = $6 WHERE id = $1`,
      [id, c.read, c.created, c.updated, c.unchanged, c.rejected],
    );
  }
}

function toJob(r: Record<string, unknown>): ImportJob {
  const date = (v: unknown) => (v == null ? null : new Date(v as string));
  return {
    id: r.id as string,
    kind: r.kind as ImportKind,
    tenantId: (r.tenant_id as string | null) ?? null,
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
    createdAt: date(r.created_at)!,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
  };
}
