import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { RowReject } from './import.types';

/** A CSV cell: quoted when it holds a delimiter, quote or line break (RFC 4180). */
export function csvCell(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The reject file: `line,sku,column,reason`, one line per problem. Opened on the first reject
 * only; when a run rejects nothing, a reject file left by an earlier run is removed so that it
 * cannot be mistaken for this run's.
 */
export class RejectWriter {
  private stream: WriteStream | null = null;
  count = 0;

  constructor(readonly path: string) {}

  async write(rejects: readonly RowReject[]): Promise<void> {
    if (rejects.length === 0) return;
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { encoding: 'utf8' });
      this.stream.write('line,sku,column,reason\n');
    }
    let chunk = '';
    for (const r of rejects)
      chunk += `${r.line},${csvCell(r.sku)},${csvCell(r.column)},${csvCell(r.reason)}\n`;
    this.count += rejects.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Closes the file; returns its path, or null when nothing was rejected. */
  async close(): Promise<string | null> {
    if (!this.stream) {
      await fs.rm(this.path, { force: true });
      return null;
    }
    const stream = this.stream;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    return this.path;
  }
}
