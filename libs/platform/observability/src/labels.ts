/**
 * Label values are bounded: every metric label takes its values from a fixed set or from a
 * {@link LabelBudget}, so a client cannot grow the number of series by sending odd methods,
 * paths, operation names or hosts.
 */

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** An HTTP method as a label: the common ones, anything else `OTHER`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

/** `2xx`, `3xx`, `4xx`, `5xx` (anything outside 100–599: `other`). */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

const OPERATIONS = new Set(['query', 'mutation', 'subscription']);

/** A GraphQL operation type as a label; `none` for requests that are not (or never got to be) one. */
export function operationLabel(operation: string | undefined): string {
  if (!operation) return 'none';
  return OPERATIONS.has(operation) ? operation : 'unknown';
}

const ROUTE_SHAPE = /^[A-Za-z0-9/_*:.-]{1,100}$/;

/**
 * A route as a label: the route's registered pattern (`/graphql`, `/theme/*`), never the URL;
 * `unmatched` when no route matched (404s for arbitrary paths stay one series).
 */
export function routeLabel(pattern: string | undefined): string {
  if (!pattern) return 'unmatched';
  return ROUTE_SHAPE.test(pattern) ? pattern : 'other';
}

/**
 * At most `max` distinct values of one label. `admit(v)` answers the value to use: `v` while it
 * is one of the first `max` values seen, `overflow` after (default `other`). With
 * `overflow: null` the budget closes instead: `admit` answers null for every value from the
 * first one over budget on, and `exhausted` is true — for labels that are all or nothing (the
 * per-tenant series: omitted on installations with more tenants than the budget).
 */
export class LabelBudget {
  private readonly seen = new Set<string>();
  private closed = false;

  constructor(
    readonly max: number,
    private readonly overflow: string | null = 'other',
  ) {}

  get exhausted(): boolean {
    return this.closed;
  }

  get size(): number {
    return this.seen.size;
  }

  admit(value: string): string | null {
    if (this.closed) return null;
    if (this.seen.has(value)) return value;
    if (this.seen.size < this.max) {
      this.seen.add(value);
      return value;
    }
    if (this.overflow !== null) return this.overflow;
    this.closed = true;
    this.seen.clear();
    return null;
  }
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** An error code as a label: codes shaped like ours (UPPER_SNAKE) within a budget, else `OTHER`. */
export function errorCodeLabel(code: unknown, budget: LabelBudget): string {
  if (typeof code !== 'string' || !ERROR_CODE.test(code)) return 'OTHER';
  return budget.admit(code) ?? 'OTHER';
}
