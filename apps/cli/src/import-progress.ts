import { Presets, SingleBar } from 'cli-progress';
import type { ImportProgress, ImportResult } from '@vitrine/catalog';
import type { Output } from './output';

const fmt = (n: number) => n.toLocaleString('en-US');
const rate = (rows: number, ms: number) => (ms > 0 ? Math.round((rows * 1000) / ms) : 0);

/** Streams progress may be drawn on: stderr, a terminal or not. */
type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * Import progress on stderr: a bar with rows/s and ETA on a terminal (total from the file's
 * size and the bytes read), otherwise — and always with --json — a plain line every few
 * seconds, for logs and CI.
 */
export class ImportProgressReporter {
  private bar: SingleBar | null = null;
  private lastLine = 0;

  constructor(
    private readonly out: ProgressStream = process.stderr,
    private readonly everyMs = 5000,
    private readonly bars = Boolean(out.isTTY),
  ) {}

  static for(output: Output, everyMs = 5000): ImportProgressReporter {
    return new ImportProgressReporter(output.io.stderr, everyMs, output.interactive);
  }

  update = (p: ImportProgress): void => {
    if (this.bars) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            stream: this.out as NodeJS.WriteStream,
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

/**
 * Progress of work counted in steps (variants seeded, tenants checked and written): one bar per
 * phase on a terminal, otherwise a line every few seconds on stderr. `minTotal` keeps short
 * work quiet — ten tenants need no bar.
 */
export class CountProgress {
  private bar: SingleBar | null = null;
  private phase = '';
  private lastLine = 0;
  private readonly started: number;

  constructor(
    private readonly output: Output,
    private readonly options: { everyMs?: number; minTotal?: number; now?: () => number } = {},
  ) {
    this.started = (options.now ?? Date.now)();
  }

  update = (phase: string, done: number, total: number): void => {
    if (total < (this.options.minTotal ?? 0)) return;
    if (this.output.interactive) {
      if (phase !== this.phase) {
        this.bar?.stop();
        this.phase = phase;
        this.bar = new SingleBar(
          {
            stream: this.output.io.stderr as NodeJS.WriteStream,
            format: ` {phase} {bar} {value}/{total} | {duration_formatted} | ETA {eta_formatted}`,
            hideCursor: true,
            etaBuffer: 50,
          },
          Presets.shades_classic,
        );
        this.bar.start(Math.max(1, total), 0, { phase: phase.padEnd(14) });
      }
      this.bar?.update(done);
      return;
    }
    const now = (this.options.now ?? Date.now)();
    const first = phase !== this.phase;
    const last = done >= total;
    if (!first && !last && now - this.lastLine < (this.options.everyMs ?? 5000)) return;
    this.phase = phase;
    this.lastLine = now;
    this.output.note(
      `${phase}: ${fmt(done)}/${fmt(total)} (${Math.floor((done * 100) / Math.max(1, total))}%, ${((now - this.started) / 1000).toFixed(1)} s)`,
    );
  };

  /** A line between phases: the current bar is finished first so the line stands on its own. */
  note(text: string): void {
    this.stop();
    this.phase = '';
    this.output.note(text);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** The closing summary of an import (stdout), the counts coloured like a sync plan's actions. */
export function importSummary(r: ImportResult, output?: Output): string {
  const c = output?.c;
  const paint = (n: number, colour?: (s: string) => string) =>
    n > 0 && colour ? colour(fmt(n)) : fmt(n);
  const lines = [
    `${fmt(r.read)} rows in ${(r.elapsedMs / 1000).toFixed(1)} s (${fmt(rate(r.read, r.elapsedMs))} rows/s): ` +
      `${paint(r.created, c?.green)} created, ${paint(r.updated, c?.yellow)} updated, ${paint(r.unchanged, c?.dim)} unchanged, ${paint(r.rejected, c?.red)} rejected`,
  ];
  if (r.rejectsPath) lines.push(`Rejected rows: ${r.rejectsPath}`);
  return `${lines.join('\n')}\n`;
}
