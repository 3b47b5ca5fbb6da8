import { Presets, SingleBar } from 'cli-progress';
import type { ImportProgress, ImportResult } from '@vitrine/catalog';

const fmt = (n: number) => n.toLocaleString('en-US');
const rate = (rows: number, ms: number) => (ms > 0 ? Math.round((rows * 1000) / ms) : 0);

/**
 * Import progress on stderr: a bar with rows/s and ETA on a terminal (total from the file's
 * size and the bytes read), otherwise a plain line every few seconds, for logs and CI.
 */
export class ImportProgressReporter {
  private bar: SingleBar | null = null;
  private lastLine = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 5000,
  ) {}

  update = (p: ImportProgress): void => {
    if (this.out.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            stream: this.out,
            format:
              ' {bar} {percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 20,
          },
          Presets.shades_classic,
        );
        this.bar.start(Math.max(1, p.bytesTotal), 0, { rows: '0', rate: '0', rejected: '0' });
      }
      this.bar.update(p.bytesRead, {
        rows: fmt(p.read),
        rate: fmt(rate(p.read, p.elapsedMs)),
        rejected: fmt(p.rejected),
      });
      return;
    }
    if (p.elapsedMs - this.lastLine < this.everyMs) return;
    this.lastLine = p.elapsedMs;
    this.out.write(
      `${fmt(p.read)} rows (${fmt(rate(p.read, p.elapsedMs))} rows/s), ${fmt(p.rejected)} rejected\n`,
    );
  };

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** The closing summary of an import (stdout). */
export function importSummary(r: ImportResult): string {
  const lines = [
    `${fmt(r.read)} rows in ${(r.elapsedMs / 1000).toFixed(1)} s (${fmt(rate(r.read, r.elapsedMs))} rows/s): ` +
      `${fmt(r.created)} created, ${fmt(r.updated)} updated, ${fmt(r.unchanged)} unchanged, ${fmt(r.rejected)} rejected`,
  ];
  if (r.rejectsPath) lines.push(`Rejected rows: ${r.rejectsPath}`);
  return `${lines.join('\n')}\n`;
}
