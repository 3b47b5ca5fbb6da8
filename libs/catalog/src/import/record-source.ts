import { createReadStream, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { CsvParser, type CsvItem } from './csv-parser';
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
 * CSV (`CsvParser`): the first line is the header; `checkHeader` returns problems that make the
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
  let parser: CsvParser;
  try {
    parser = new CsvParser(opts.delimiter ?? ',');
  } catch (err) {
    throw new ImportError((err as Error).message, 'usage');
  }
  let bytes = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  async function* records(): AsyncGenerator<SourceRecord> {
    let columns: string[] | null = null;
    /** Records of one chunk; a record names its cells by the header's columns. */
    function* items(list: CsvItem[]): Generator<SourceRecord> {
      for (const item of list) {
        if ('error' in item) {
          if (!columns)
            throw new ImportError(`${path}: the header line: ${item.error}`, 'invalidInput');
          yield item;
          continue;
        }
        if (!columns) {
          columns = item.cells.map((h) => h.trim().toLowerCase());
          const problems = opts.checkHeader?.(columns) ?? [];
          if (problems.length > 0)
            throw new ImportError(`${path}: ${problems.join('; ')}`, 'invalidInput');
          continue;
        }
        const cells = item.cells;
        if (cells.length !== columns.length) {
          yield {
            line: item.line,
            error: `Invalid Record Length: columns length is ${columns.length}, got ${cells.length} on line ${item.line}`,
          };
          continue;
        }
        const record: Record<string, string> = {};
        for (let c = 0; c < columns.length; c++) record[columns[c]] = cells[c];
        yield { line: item.line, record };
      }
    }
    try {
      for await (const chunk of stream as AsyncIterable<string>) {
        bytes = stream.bytesRead;
        yield* items(parser.push(chunk));
      }
      yield* items(parser.end());
      if (!columns)
        throw new ImportError(`${path}: the file is empty (no header line)`, 'invalidInput');
      bytes = bytesTotal;
    } catch (err) {
      if (err instanceof ImportError) throw err;
      throw new ImportError(`${path}: ${(err as Error).message}`, 'invalidInput');
    } finally {
      stream.destroy();
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
