import { VitrineError } from '@vitrine/errors';

/**
 * Keyset cursor: the sort key of the last row seen. Opaque to clients.
 *
 * A page of products is ordered by (rank, score, slug): `rank` is the search tier (0 exact
 * article number, 1 prefix, 2 full text, 3 similar; 0 when browsing), `score` an integer
 * within the tier (lower is better: the negated text rank or similarity in millionths), and
 * the slug breaks ties. All three are integers or text computed from the data alone, so a
 * cursor stays valid and exact across requests: no row is skipped or repeated while paging.
 */
export interface CursorKey {
  rank: number;
  /** Omitted when 0. */
  score?: number;
  slug: string;
}

/** Format version 2: [2, rank, score, slug]. Version 1 was [rank, slug] (still read). */
const VERSION = 2;
const MAX_CURSOR_LENGTH = 400;
const MAX_INT = 2 ** 31 - 1;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(
    JSON.stringify([VERSION, key.rank, key.score ?? 0, key.slug]),
    'utf8',
  ).toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    if (cursor.length > MAX_CURSOR_LENGTH) throw new Error('too long');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed)) {
      const [rank, score, slug] =
        parsed.length === 4 && parsed[0] === VERSION
          ? (parsed.slice(1) as unknown[])
          : parsed.length === 2
            ? [parsed[0], 0, parsed[1]]
            : [];
      if (isInt(rank) && rank >= 0 && isInt(score) && typeof slug === 'string' && slug.length) {
        return score === 0 ? { rank, slug } : { rank, score, slug };
      }
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

function isInt(v: unknown): v is number {
  return Number.isInteger(v) && Math.abs(v as number) <= MAX_INT;
}
