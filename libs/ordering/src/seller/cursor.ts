import { VitrineError } from '@vitrine/errors';

/**
 * Keyset cursor of the seller's lists, which are ordered newest first: (created_at, id), both
 * descending. The timestamp travels as text with microseconds (a JavaScript Date would drop
 * them and skip or repeat rows created in the same millisecond).
 */
export interface CreatedCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC). */
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** SQL of a row's `created_at` in the cursor's text form. */
export const CREATED_AT_TEXT = (alias: string) =>
  `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCreatedCursor(key: CreatedCursor): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id]), 'utf8').toString('base64url');
}

export function decodeCreatedCursor(cursor: string): CreatedCursor {
  try {
    if (cursor.length > 200) throw new Error('too long');
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      TIMESTAMP.test(parsed[0]) &&
      UUID.test(parsed[1])
    )
      return { createdAt: parsed[0], id: parsed[1] };
  } catch {
    // fall through to the client error
  }
  throw VitrineError.badInput(
    'The cursor "after" is not valid: pass an endCursor or cursor from a previous page.',
  );
}

/** The page size asked for, checked against the installation's maximum. */
export function checkPageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw VitrineError.badInput(`"first" must be between 1 and ${max}; got ${first}.`);
  return first;
}

/** A page of a newest-first list. */
export interface SellerPage<T> {
  items: Array<{ cursor: string; node: T }>;
  hasNextPage: boolean;
  endCursor: string | null;
}
