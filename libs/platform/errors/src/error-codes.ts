/**
 * Every error code a client can see in `extensions.code`, with the HTTP status it maps to.
 * The storefront contract lists the minimum; domains add theirs here so that the mapping
 * to GraphQL and HTTP lives in exactly one place.
 */
export const ERROR_HTTP_STATUS = {
  TENANT_NOT_FOUND: 404,
  TENANT_SUSPENDED: 403,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  OUT_OF_STOCK: 409,
  SPEND_LIMIT_EXCEEDED: 409,
  CREDIT_LIMIT_EXCEEDED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  /** The state changed under the request (a cart changed while ordering, an order already decided). */
  CONFLICT: 409,
  /** No shipping rate of the tenant covers the order (destination, weight, volume, value). */
  SHIPPING_UNAVAILABLE: 422,
  /** The quote's offer is no longer valid. */
  QUOTE_EXPIRED: 409,
  /** A GraphQL document over a limit: `limit` (depth, cost, aliases, tokens), `max`, `actual`. */
  QUERY_TOO_COMPLEX: 400,
  /** A JSON array of GraphQL operations in one request: send them one by one. */
  BATCHING_NOT_ALLOWED: 400,
  /** A browser request from an origin that is not one of the host's own (docs/security.md). */
  ORIGIN_NOT_ALLOWED: 403,
  /** Too many requests of a tenant, client address or account: `Retry-After` says when again. */
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export function httpStatusFor(code: string): number {
  return (ERROR_HTTP_STATUS as Record<string, number>)[code] ?? 500;
}
