import { Counter, Gauge, Histogram, register, collectDefaultMetrics } from 'prom-client';
import { LabelBudget } from './labels';

/**
 * The API's own metrics, on prom-client's default registry (other libs add theirs there too;
 * the metrics server serves the whole registry). Created once per process, whatever the number
 * of app instances (tests start several): `metric()` answers the one already registered.
 */
function metric<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/** Latency of every HTTP response; `_count` is the request rate. */
export const httpDuration = metric(
  'vitrine_http_request_duration_seconds',
  () =>
    new Histogram({
      name: 'vitrine_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern, GraphQL operation type and status class: latency in seconds (the _count is the request rate).',
      labelNames: ['method', 'route', 'operation', 'status_class'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
);

export const httpInFlight = metric(
  'vitrine_http_requests_in_flight',
  () =>
    new Gauge({
      name: 'vitrine_http_requests_in_flight',
      help: 'HTTP requests being served right now.',
    }),
);

/** Errors: GraphQL errors by their code, HTTP error responses by their status. */
export const errorsTotal = metric(
  'vitrine_errors_total',
  () =>
    new Counter({
      name: 'vitrine_errors_total',
      help: 'Errors answered: source="graphql" by error code (extensions.code), source="http" by status code (4xx/5xx responses of every route).',
      labelNames: ['source', 'code'] as const,
    }),
);

/** Requests per tenant: only while the tenant count is within METRICS_TENANT_LABELS_MAX. */
export const tenantRequests = metric(
  'vitrine_tenant_requests_total',
  () =>
    new Counter({
      name: 'vitrine_tenant_requests_total',
      help: 'Requests per tenant (slug). Omitted entirely once more tenants than METRICS_TENANT_LABELS_MAX were seen by this process.',
      labelNames: ['tenant'] as const,
    }),
);

export const shuttingDownGauge = metric(
  'vitrine_shutting_down',
  () =>
    new Gauge({
      name: 'vitrine_shutting_down',
      help: '1 once the process received SIGTERM/SIGINT and is draining.',
    }),
);

let tenantBudget = new LabelBudget(50, null);

/** Sets the per-tenant label budget (METRICS_TENANT_LABELS_MAX); 0 turns the series off. */
export function configureTenantLabels(max: number): void {
  if (tenantBudget.max === max) return;
  tenantBudget = new LabelBudget(max, null);
  tenantRequests.reset();
}

/** Counts a request of a tenant, within the budget; over it the series are dropped for good. */
export function countTenantRequest(slug: string): void {
  const wasOpen = !tenantBudget.exhausted;
  const label = tenantBudget.admit(slug);
  if (label !== null) tenantRequests.inc({ tenant: label });
  else if (wasOpen) tenantRequests.reset();
}

let defaultsOn = false;

/** Node's process metrics (CPU, memory, event loop lag, GC, handles): once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn || register.getSingleMetric('process_cpu_user_seconds_total')) return;
  defaultsOn = true;
  collectDefaultMetrics();
}
