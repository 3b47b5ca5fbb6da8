import { openSource, formatFromPath, type SourceRecord } from './record-source';
import { RejectWriter } from './reject-writer';
import {
  ImportError,
  type ImportCounters,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  type RowReject,
} from './import.types';

/** What one committed batch did. */
export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** Rows the database refused (found only when a batch failed and was retried row by row). */
  rejects: RowReject[];
}

/** The kind-specific half of an import: turn records into rows, and commit a batch of rows. */
export interface ImportHandler<Row extends { line: number }> {
  checkHeader?: (columns: string[]) => string[];
  /** A valid row, or the reasons this record is rejected. Called in file order. */
  toRow(record: Record<string, unknown>, line: number, format: ImportFormat): Row | RowReject[];
  /** Commits one batch in its own transaction. */
  commit(rows: Row[]): Promise<BatchOutcome>;
  /** Identifies a row in a reject made for a failed commit. */
  skuOf(row: Row): string;
}

export const DEFAULT_BATCH_SIZE = 2000;

/** Resolves the format from the option or the file extension. */
export function resolveFormat(path: string, format?: string): ImportFormat {
  if (format === 'csv' || format === 'ndjson') return format;
  if (format) throw new ImportError(`unknown format "${format}" (csv, ndjson)`, 'usage');
  const fromPath = formatFromPath(path);
  if (!fromPath)
    throw new ImportError(
      `cannot tell the format of ${path} from its extension: use --format csv|ndjson`,
      'usage',
    );
  return fromPath;
}

/**
 * Reads a file in batches and commits each batch in its own transaction: a bad row is rejected
 * and the file goes on; a crash loses at most the batch in flight, and because writes are
 * upserts by key with content hashes, running the same file again completes it and changes
 * nothing else. A batch the database refuses as a whole (a constraint no validation foresaw)
 * is retried row by row, so that only the offending rows are rejected.
 *
 * Reading and committing overlap: while one batch is being committed the next one is read and
 * validated (the database and the parser each get a core). Commits stay one at a time and in
 * file order, so counters, rejects and progress come out as if they ran one after another.
 */
export async function runImport<Row extends { line: number }>(
  path: string,
  options: ImportOptions,
  handler: ImportHandler<Row>,
): Promise<ImportResult> {
  const started = Date.now();
  const format = resolveFormat(path, options.format);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const source = await openSource(path, format, {
    delimiter: options.delimiter,
    checkHeader: handler.checkHeader,
  });
  const rejects = new RejectWriter(options.rejectsPath ?? `${path}.rejects.csv`);
  const counters: ImportCounters = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const progress = async () =>
    options.onProgress?.({
      ...counters,
      bytesRead: source.bytesRead(),
      bytesTotal: source.bytesTotal,
      elapsedMs: Date.now() - started,
    });

  let batch: Row[] = [];
  const reject = async (list: RowReject[]) => {
    counters.rejected += new Set(list.map((r) => r.line)).size;
    await rejects.write(list);
  };
  /** The commit in flight, if any: at most one, so batches commit in file order. */
  const pending: { commit: Promise<void> | null } = { commit: null };
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await pending.commit;
    pending.commit = commit(rows);
    // Awaited by the next flush or at the end; this only keeps a failure from being reported
    // as unhandled while the next batch is still being read.
    pending.commit.catch(() => undefined);
  };
  const commit = async (rows: Row[]) => {
    let outcome: BatchOutcome;
    try {
      outcome = await handler.commit(rows);
    } catch (err) {
      if (rows.length === 1) {
        outcome = { created: 0, updated: 0, unchanged: 0, rejects: [dbReject(rows[0], err)] };
      } else {
        outcome = { created: 0, updated: 0, unchanged: 0, rejects: [] };
        for (const row of rows) {
          try {
            const one = await handler.commit([row]);
            outcome.created += one.created;
            outcome.updated += one.updated;
            outcome.unchanged += one.unchanged;
            outcome.rejects.push(...one.rejects);
          } catch (rowErr) {
            outcome.rejects.push(dbReject(row, rowErr));
          }
        }
      }
    }
    counters.created += outcome.created;
    counters.updated += outcome.updated;
    counters.unchanged += outcome.unchanged;
    await reject(outcome.rejects);
    await progress();
  };
  const dbReject = (row: Row, err: unknown): RowReject => ({
    line: row.line,
    sku: handler.skuOf(row),
    column: '-',
    reason: `refused by the database: ${(err as Error).message}`,
  });

  let rejectsPath: string | null = null;
  try {
    for await (const item of source.records as AsyncIterable<SourceRecord>) {
      counters.read++;
      if (item.error !== undefined) {
        await reject([{ line: item.line, sku: '', column: '-', reason: item.error }]);
        continue;
      }
      const row = handler.toRow(item.record, item.line, format);
      if (Array.isArray(row)) await reject(row);
      else {
        batch.push(row);
        if (batch.length >= batchSize) await flush();
      }
    }
    await flush();
    await pending.commit;
  } finally {
    await pending.commit?.catch(() => undefined);
    rejectsPath = await rejects.close();
  }
  await progress();
  return { ...counters, format, rejectsPath, elapsedMs: Date.now() - started };
}
