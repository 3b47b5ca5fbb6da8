import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { ImportError, type ImportFormat } from './import.types';

/** One record of the source file, or a line that could not be read as a record. */
export type SourceRecord =
  | { line: number; record: Record<string, unknown>; error?: undefined }
  | { line: number; record?: undefined; error: string };

export interface SourceReader {
  records: AsyncIterable<SourceRecord>;
  /** Bytes consumed so far (for progress), and the file's size. */
  bytesRead(): number;
  bytesTotal: number;
}

/** The import format of a file name, or null when the extension says nothing. */
export function formatFromPath(path: string): ImportFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  return null;
}

/**
 * Streams the records of a file. Nothing is held beyond the parser's buffer: async iteration
 * pulls records only as fast as the consumer awaits them, so a slow database slows the read
 * (backpressure) instead of filling memory.
 *
 * CSV (csv-parse, RFC 4180): the first line is the header; `checkHeader` returns problems that make the
 * whole file unusable (unknown columns). A record with the wrong number of cells or broken
 * quoting is reported as that line's error and the file goes on. NDJSON: one object per line; blank lines
 * are skipped, a line that is not JSON is that line's error.
 */
export async function openSource(
  path: string,
  format: ImportFormat,
  opts: { delimiter?: string; checkHeader?: (columns: string[]) => string[] } = {},
): Promise<SourceReader> {
  let bytesTotal: number;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) throw new ImportError(`${path} is not a file`, 'usage');
    bytesTotal = stat.size;
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`cannot read ${path}: ${(err as Error).message}`, 'usage');
  }
  return format === 'csv' ? csvSource(path, bytesTotal, opts) : ndjsonSource(path, bytesTotal);
}

function csvSource(
  path: string,
  bytesTotal: number,
  opts: { delimiter?: string; checkHeader?: (columns: string[]) => string[] },
): SourceReader {
  const delimiter = opts.delimiter ?? ',';
  if (delimiter === '' || /["\r\n]/.test(delimiter))
    throw new ImportError(`${JSON.stringify(delimiter)} cannot be a CSV delimiter`, 'usage');
  // Arrays, not `columns`: the header is checked and mapped here, once. A record with broken
  // quoting is skipped by the parser and reported as that line's error; the file goes on.
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  const skipped: SourceRecord[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => {
    skipped.push({ line: err.lines ?? 0, error: err.message });
  });
  let bytes = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);
  async function* records(): AsyncGenerator<SourceRecord> {
    let columns: string[] | null = null;
    try {
      for await (const item of parser as AsyncIterable<{
        record: string[];
        info: { lines: number; bytes: number };
      }>) {
        bytes = item.info.bytes;
        const cells = item.record;
        const line = item.info.lines;
        // The parser reads ahead: a skipped record is reported in line order, before the
        // first record that follows it.
        while (skipped.length && skipped[0].line < line) {
          if (!columns)
            throw new ImportError(`${path}: the header line: ${skipped[0].error}`, 'invalidInput');
          yield skipped.shift() as SourceRecord;
        }
        if (!columns) {
          columns = cells.map((h) => h.trim().toLowerCase());
          const problems = opts.checkHeader?.(columns) ?? [];
          if (problems.length > 0)
            throw new ImportError(`${path}: ${problems.join('; ')}`, 'invalidInput');
          continue;
        }
        if (cells.length !== columns.length) {
          yield {
            line,
            error: `Invalid Record Length: columns length is ${columns.length}, got ${cells.length} on line ${line}`,
          };
          continue;
        }
        const record: Record<string, string> = {};
        for (let c = 0; c < columns.length; c++) record[columns[c]] = cells[c];
        yield { line, record };
      }
      yield* skipped.splice(0);
      if (!columns)
        throw new ImportError(`${path}: the file is empty (no header line)`, 'invalidInput');
      bytes = bytesTotal;
    } catch (err) {
      if (err instanceof ImportError) throw err;
      throw new ImportError(`${path}: ${(err as Error).message}`, 'invalidInput');
    } finally {
      stream.destroy();
      parser.destroy();
    }
  }
  return { records: records(), bytesRead: () => bytes, bytesTotal };
}

function ndjsonSource(path: string, bytesTotal: number): SourceReader {
  let bytes = 0;
  const stream = createReadStream(path, { encoding: 'utf8' });
  async function* records(): AsyncGenerator<SourceRecord> {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        // Byte count of what was read: close enough for progress without re-encoding every line.
        bytes = stream.bytesRead;
        const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
        if (trimmed === '') continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(trimmed);
        } catch (err) {
          yield { line, error: `not valid JSON: ${(err as Error).message}` };
          continue;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          yield { line, error: 'a line must be a JSON object' };
        else yield { line, record: parsed as Record<string, unknown> };
      }
      bytes = bytesTotal;
    } finally {
      lines.close();
      stream.destroy();
    }
  }
  return { records: records(), bytesRead: () => bytes, bytesTotal };
}
