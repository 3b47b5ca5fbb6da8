import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { VitrineError } from '@vitrine/errors';

export interface SpooledFile {
  path: string;
  sizeBytes: number;
}

/** "200 MB" for a byte count (decimal units, as people read them). */
export function readableBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Math.round((bytes / 1_000_000) * 10) / 10} MB`;
  if (bytes >= 1_000) return `${Math.round((bytes / 1_000) * 10) / 10} kB`;
  return `${bytes} bytes`;
}

export function tooLarge(maxBytes: number): VitrineError {
  return new VitrineError(
    'PAYLOAD_TOO_LARGE',
    `The file is larger than the limit of ${readableBytes(maxBytes)} (IMPORT_MAX_BYTES): split it into smaller files (each is imported on its own) or raise the limit.`,
    { maxBytes },
  );
}

/**
 * Streams a request body to a new file in `dir` (created if needed), never holding more than a
 * chunk in memory (backpressure: the body is paused while the file catches up). PAYLOAD_TOO_LARGE
 * as soon as more than `maxBytes` arrived — the body is then left paused, not destroyed, so the
 * caller can still answer (with `Connection: close`); BAD_USER_INPUT for an empty body. On any
 * error the partial file is removed.
 */
export async function spoolUpload(
  body: Readable,
  dir: string,
  extension: string,
  maxBytes: number,
): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.${extension}`);
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let sizeBytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        body.off('data', onData);
        body.pause();
        out.destroy();
        reject(err);
      };
      const onData = (chunk: Buffer) => {
        sizeBytes += chunk.length;
        if (sizeBytes > maxBytes) return fail(tooLarge(maxBytes));
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      body.on('data', onData);
      body.once('end', () => out.end());
      body.once('aborted', () => fail(new Error('the client stopped sending')));
      body.once('error', fail);
      out.once('error', fail);
      out.once('finish', () => (failed ? undefined : resolve()));
    });
  } catch (err) {
    out.destroy();
    await unlink(path).catch(() => undefined);
    if (err instanceof VitrineError) throw err;
    throw VitrineError.badInput(
      `The upload did not arrive completely (${(err as Error).message}); send the file again.`,
    );
  }
  if (sizeBytes === 0) {
    await unlink(path).catch(() => undefined);
    throw VitrineError.badInput(
      'The request body is empty: send the file itself as the body (curl --data-binary @file.csv).',
    );
  }
  return { path, sizeBytes };
}
