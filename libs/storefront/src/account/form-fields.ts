/**
 * One text field of a parsed form body (application/x-www-form-urlencoded): a repeated field
 * counts as its first value, a missing one as ''. Forms are input from anywhere; nothing here
 * trusts their shape.
 */
export function field(body: unknown, name: string, maxLength = 1000): string {
  if (!body || typeof body !== 'object') return '';
  const raw = (body as Record<string, unknown>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value.slice(0, maxLength) : '';
}

/** Every value of a field that may repeat (checkboxes). */
export function fields(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const raw = (body as Record<string, unknown>)[name];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.filter((v): v is string => typeof v === 'string').slice(0, 20);
}
