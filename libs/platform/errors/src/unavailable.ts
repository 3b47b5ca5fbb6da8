import { VitrineError } from './vitrine-error';

/** Seconds a client should wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** node-postgres's messages for a pool that cannot connect or a connection that ended. */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/**
 * Whether an error means "the database cannot be reached right now" rather than "this request
 * is wrong": socket errors, SQLSTATE class 08 (connection exception), 57P01–57P03 (server
 * shutting down or starting up), 53300 (too many connections), and node-postgres's own messages.
 * TypeORM copies the driver's `code` onto its QueryFailedError; `driverError` is looked at too.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || /^08/.test(code) || /^57P0[123]$/.test(code) || code === '53300')
    return true;
  if (typeof e.message === 'string' && DRIVER_MESSAGES.test(e.message)) return true;
  // (TypeORM's "query runner already released" after a lost connection is turned into 08006 by
  // TenantDb, which knows it happened inside a unit of work; elsewhere it is a bug.)
  return (
    isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
  );
}

/** The error a client sees while the database is down: 503, SERVICE_UNAVAILABLE, Retry-After. */
export function serviceUnavailable(): VitrineError {
  return new VitrineError(
    'SERVICE_UNAVAILABLE',
    'The service is briefly unavailable. Please try again in a few seconds.',
    { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_S },
  );
}
