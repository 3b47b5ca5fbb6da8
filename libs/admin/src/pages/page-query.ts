import { VitrineError } from '@vitrine/errors';

/** A form or query value: repeated fields arrive as arrays; take the only one, else nothing. */
export function field(value: unknown): string | null {
  if (Array.isArray(value)) return value.length === 1 ? field(value[0]) : null;
  return typeof value === 'string' ? value : null;
}

/** What a query field holds when it means anything: trimmed text, or null when empty. */
export function filled(value: unknown): string | null {
  const text = field(value)?.trim();
  return text ? text : null;
}

/**
 * A status filter of a list page (`?status=`): one of `allowed` in any case, null when empty,
 * BAD_USER_INPUT naming the choices otherwise (the page answers 400).
 */
export function statusFilter<T extends string>(
  value: string | null,
  allowed: readonly T[],
): T | null {
  if (value === null) return null;
  const upper = value.toUpperCase();
  const found = allowed.find((s) => s === upper);
  if (!found)
    throw VitrineError.badInput(
      `"${value.slice(0, 40)}" is not a status of this list; choose one of ${allowed.join(', ')}.`,
      { field: 'status' },
    );
  return found;
}

/** A page link: `path` with the query fields that have a value. */
export function pageHref(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
