import { VitrineError } from '@vitrine/errors';

/** Keyset cursor: (rank, slug) of the last row seen. Opaque to clients. */
export interface CursorKey {
  rank: number;
  slug: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.rank, key.slug]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    if (cursor.length > 400) throw new Error('too long');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isInteger(parsed[0]) &&
      typeof parsed[1] === 'string'
    ) {
      return { rank: parsed[0] as number, slug: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw VitrineError.badInput(
    'The `after` cursor is not valid; use an `endCursor` or `cursor` returned by this API.',
    {
      argument: 'after',
    },
  );
}
