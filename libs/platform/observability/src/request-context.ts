import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * What a log line and a metric may say about the unit of work it belongs to: the request id,
 * and once known the tenant (slug) and the user (a buyer's id, or an admin's). Filled in
 * lazily — `identify` reads the request when a line is written, so the tenancy and admin hooks
 * that run after the context was opened are still seen.
 */
export interface LogContext {
  readonly reqId: string;
  /** GraphQL operation type of the request (query, mutation, subscription), once parsed. */
  operation?: string;
  /** Reads tenant and user from the request (or whatever the unit of work is). */
  identify?: () => LogIdentity;
  /** Fixed identity (worker deliveries, scripts). */
  tenant?: string;
  user?: string;
}

export interface LogIdentity {
  tenant?: string;
  user?: string;
}

export const logContextStorage = new AsyncLocalStorage<LogContext>();

/** The current unit of work's context, if any. */
export function currentLogContext(): LogContext | undefined {
  return logContextStorage.getStore();
}

/** Runs `fn` with its own log context (e.g. one outbox delivery: `{ tenant, reqId: event id }`). */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return logContextStorage.run(context, fn);
}

/** The fields a log line gets from a context: reqId, tenant, user (absent ones omitted). */
export function contextFields(ctx: LogContext | undefined, withReqId = true): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ctx) return out;
  if (withReqId) out.reqId = ctx.reqId;
  const who = ctx.identify?.() ?? ctx;
  const tenant = who.tenant ?? ctx.tenant;
  const user = who.user ?? ctx.user;
  if (tenant) out.tenant = tenant;
  if (user) out.user = user;
  return out;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/**
 * The id of a request: the caller's X-Request-Id when it is sane (1–128 characters of letters,
 * digits and `._:@/+=-`, e.g. a proxy's UUID), so one id follows the request through the
 * proxy and this service; otherwise a new UUID. Never trusted for anything but correlation.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}
