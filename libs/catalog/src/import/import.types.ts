/** What an import reads: comma-separated values with a header, or one JSON object per line. */
export type ImportFormat = 'csv' | 'ndjson';

export type ImportKind = 'catalog' | 'customer-skus';

/** One reason a row was not imported. A row with several problems has several rejects. */
export interface RowReject {
  /** Line in the source file, 1-based (the header of a CSV file is line 1). */
  line: number;
  /** The row's SKU as written, when it has one. */
  sku: string;
  /** CSV column or NDJSON field (dotted path, e.g. `names.nl`); `-` for the whole row. */
  column: string;
  reason: string;
}

export interface ImportCounters {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportProgress extends ImportCounters {
  /** Bytes of the file consumed so far and in total (for rate and ETA). */
  bytesRead: number;
  bytesTotal: number;
  elapsedMs: number;
}

export interface ImportOptions {
  /** Default: from the file extension (.csv, .ndjson/.jsonl). */
  format?: ImportFormat;
  /** Default: `<file>.rejects.csv`. */
  rejectsPath?: string;
  /** Rows per transaction. Default 2,000. */
  batchSize?: number;
  /** CSV field delimiter. Default `,`. */
  delimiter?: string;
  /** Called after every committed batch (and once at the end). */
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
}

export interface ImportResult extends ImportCounters {
  format: ImportFormat;
  /** The reject file, or null when no row was rejected (a stale one is removed). */
  rejectsPath: string | null;
  elapsedMs: number;
}

/**
 * The import cannot start or cannot go on as a whole: unreadable file, unknown format or
 * column, unknown tenant. `kind` says whether the caller asked for something impossible
 * (`usage`) or the file itself is not an import file (`invalidInput`). Bad rows never throw.
 */
export class ImportError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'invalidInput',
  ) {
    super(message);
    this.name = 'ImportError';
  }
}
