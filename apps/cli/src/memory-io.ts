import { Writable } from 'node:stream';
import type { CliIO } from './output';

/** A stream that keeps what is written to it, optionally pretending to be a terminal. */
export class MemoryStream extends Writable {
  readonly chunks: string[] = [];

  constructor(readonly isTTY = false) {
    super({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.chunks.push(String(chunk));
        done();
      },
    });
  }

  text(): string {
    return this.chunks.join('');
  }
}

/** The CLI's output captured in memory (tests, and callers that run commands in-process). */
export function memoryIO(
  options: { tty?: boolean; env?: Record<string, string | undefined> } = {},
): CliIO & { stdout: MemoryStream; stderr: MemoryStream } {
  return {
    stdout: new MemoryStream(options.tty ?? false),
    stderr: new MemoryStream(options.tty ?? false),
    env: options.env ?? {},
  };
}
