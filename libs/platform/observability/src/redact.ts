/**
 * Secrets never reach a log line. Two nets: keys that name a secret (authorization, cookie,
 * set-cookie, password, token, secret, api key, …) have their value replaced wherever they sit
 * in a logged object, and strings are scrubbed of bearer/basic credentials, JWTs, passwords in
 * URLs and secret-looking query parameters — so a message that quotes a header is safe too.
 */
export const REDACTED = '[REDACTED]';

const SECRET_KEY =
  /passw(or)?d|passphrase|secret|token|authorization|cookie|api[-_]?key|credential|signature|private[-_]?key|session[-_]?id/i;

const SECRET_IN_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  // Authorization: Bearer <token> / Basic <credentials>
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // Any JWT (header.payload.signature), wherever it appears.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // user:password@ in URLs (database, Redis, SMTP).
  [/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, `$1${REDACTED}@`],
  // ?token=… &password=… in URLs and form bodies.
  [
    /([?&;](?:[a-z0-9_-]*(?:token|password|secret|key|signature))=)[^&\s#"']*/gi,
    `$1${REDACTED}`,
  ],
];

/** True for an object key whose value is a secret (case-insensitive). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** The text with credentials, JWTs, URL passwords and secret query parameters replaced. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_IN_TEXT) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 8;

/**
 * A copy of `value` safe to log: secret keys' values replaced, strings scrubbed. Plain objects
 * and arrays are copied (up to 8 levels; deeper is summarized); other objects (Errors, Dates,
 * Buffers) are left to the logger's serializers, which run this again on their output.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[Object]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>))
    out[key] = isSecretKey(key) && v !== undefined && v !== null ? REDACTED : redactValue(v, depth + 1);
  return out;
}
