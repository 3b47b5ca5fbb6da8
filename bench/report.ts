import type { ImportScenarioResult } from './import-prices';
import type { FlowLoadSummary, OrderFlowDetail } from './order-flow';
import type { ProvisioningResult } from './provisioning';

/**
 * The part of an autocannon result the report reads. autocannon's own `Result` satisfies it;
 * tests build it by hand.
 */
export interface LoadResultLike {
  requests: { mean: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
  /** Responses whose body failed the verifyBody check (a GraphQL `errors` member). */
  mismatches: number;
}

/** One load run (against the ceiling or the API), reduced to what is reported. */
export interface LoadSummary {
  /** Mean of the per-second request counts. */
  reqPerSec: number;
  /** Latency percentiles of 2xx responses, milliseconds. */
  p50Ms: number;
  p99Ms: number;
  totalRequests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** 2xx responses carrying GraphQL errors. */
  graphqlErrors: number;
}

/** A scenario's line in the report. */
export interface ScenarioRow {
  name: string;
  description: string;
  host: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Why the scenario failed or was skipped. */
  reason: string | null;
  /** Body size of the warm-up response, which the ceiling replays. */
  bytesPerResponse: number | null;
  contentType: string | null;
  api: LoadSummary | null;
  ceiling: LoadSummary | null;
  /** api.reqPerSec ÷ ceiling.reqPerSec: the share of a bare server's throughput the API reaches. */
  ratio: number | null;
  /**
   * The order-flow scenario only (bench/order-flow.ts): per-step latencies and errors by code.
   * Its `api`/`ceiling` summaries count flows, not requests: reqPerSec is orders (flows) per
   * second, p50/p99 the latency of a whole flow (add lines + place order).
   */
  flow?: OrderFlowDetail;
}

/** Reduces an autocannon result to the reported numbers. */
export function summarize(result: LoadResultLike): LoadSummary {
  return {
    reqPerSec: result.requests.mean,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    totalRequests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    graphqlErrors: result.mismatches,
  };
}

/**
 * API throughput as a fraction of the ceiling's, rounded to 4 decimals; null when the ceiling
 * produced nothing to divide by (it then measured nothing meaningful).
 */
export function throughputRatio(apiReqPerSec: number, ceilingReqPerSec: number): number | null {
  if (!Number.isFinite(apiReqPerSec) || !Number.isFinite(ceilingReqPerSec)) return null;
  if (ceilingReqPerSec <= 0) return null;
  return Math.round((apiReqPerSec / ceilingReqPerSec) * 10_000) / 10_000;
}

/** Identity of a scenario as the row needs it. */
export interface RowScenario {
  name: string;
  description: string;
  host: string;
}

/** The row of a scenario that ran to the end. */
export function measuredRow(
  scenario: RowScenario,
  warmup: { bytes: number; contentType: string | null },
  ceiling: LoadResultLike,
  api: LoadResultLike,
): ScenarioRow {
  const c = summarize(ceiling);
  const a = summarize(api);
  return {
    name: scenario.name,
    description: scenario.description,
    host: scenario.host,
    status: 'ok',
    reason: null,
    bytesPerResponse: warmup.bytes,
    contentType: warmup.contentType,
    api: a,
    ceiling: c,
    ratio: throughputRatio(a.reqPerSec, c.reqPerSec),
  };
}

/**
 * A flow load in the shape of a request load, so the order-flow scenario shares the table: one
 * "request" is one flow. HTTP statuses, transport failures and GraphQL/business errors land in
 * non2xx, errors (timeouts included) and gql err like autocannon's counters.
 */
export function flowLoadSummary(s: FlowLoadSummary): LoadSummary {
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let graphqlErrors = 0;
  for (const [code, n] of Object.entries(s.errors)) {
    const bare = code.replace(/^[A-Za-z]+: /, '');
    if (bare.startsWith('HTTP_')) non2xx += n;
    else if (bare === 'TIMEOUT') {
      timeouts += n;
      errors += n;
    } else if (/^E[A-Z]+$/.test(bare) || bare === 'CONNECTION_ERROR') errors += n;
    else graphqlErrors += n;
  }
  return {
    reqPerSec: s.flowsPerSec,
    p50Ms: s.flow.p50Ms,
    p99Ms: s.flow.p99Ms,
    totalRequests: s.flows,
    non2xx,
    errors,
    timeouts,
    graphqlErrors,
  };
}

/**
 * The order-flow scenario's row: failed when any flow failed, against the API or the ceiling,
 * with every number kept so the failure can be read next to them.
 */
export function flowRow(
  scenario: RowScenario,
  detail: Omit<OrderFlowDetail, 'ratio'>,
): ScenarioRow {
  const api = flowLoadSummary(detail.api);
  const ceiling = flowLoadSummary(detail.ceiling);
  const ratio = throughputRatio(detail.api.flowsPerSec, detail.ceiling.flowsPerSec);
  const failures = [
    ...Object.entries(detail.api.errors).map(([code, n]) => `api ${code}×${n}`),
    ...Object.entries(detail.ceiling.errors).map(([code, n]) => `ceiling ${code}×${n}`),
  ];
  return {
    name: scenario.name,
    description: scenario.description,
    host: scenario.host,
    status: failures.length > 0 ? 'failed' : 'ok',
    reason: failures.length > 0 ? `errors under load: ${failures.join(', ')}` : null,
    // Two responses per flow: the table's one-response column does not fit; the detail has both.
    bytesPerResponse: null,
    contentType: null,
    api,
    ceiling,
    ratio,
    flow: { ...detail, ratio },
  };
}

/** The order-flow detail for people: what ran, and each step's latency against the ceiling. */
export function formatFlow(row: ScenarioRow): string {
  const f = row.flow;
  if (!f) return '';
  const step = (label: string, pick: (s: FlowLoadSummary) => { p50Ms: number; p99Ms: number }) =>
    `  ${label.padEnd(15)} api p50 ${millis(pick(f.api).p50Ms).padStart(7)} ms  p99 ${millis(pick(f.api).p99Ms).padStart(7)} ms   ` +
    `ceiling p50 ${millis(pick(f.ceiling).p50Ms).padStart(6)} ms  p99 ${millis(pick(f.ceiling).p99Ms).padStart(6)} ms`;
  return [
    `${row.name}: ${f.buyers} buyers of ${f.company} on ${f.host}, ${f.linesPerOrder} lines per order from ${f.skuPool} articles; ` +
      `responses ${f.addLinesBytes} + ${f.placeOrderBytes} bytes`,
    `  orders/s        api ${fixed(f.api.flowsPerSec, 1)} (${f.api.flows} orders in ${f.api.seconds} s)   ` +
      `ceiling ${fixed(f.ceiling.flowsPerSec, 1)} flows/s   ratio ${fixed(f.ratio, 4)}`,
    step('flow', (s) => s.flow),
    step('addLinesToCart', (s) => s.addLines),
    step('placeOrder', (s) => s.placeOrder),
  ].join('\n');
}

/** The row of a scenario that failed or was skipped before producing numbers. */
export function unmeasuredRow(
  scenario: RowScenario,
  status: 'failed' | 'skipped',
  reason: string,
  warmup: { bytes: number; contentType: string | null } | null = null,
): ScenarioRow {
  return {
    name: scenario.name,
    description: scenario.description,
    host: scenario.host,
    status,
    reason,
    bytesPerResponse: warmup?.bytes ?? null,
    contentType: warmup?.contentType ?? null,
    api: null,
    ceiling: null,
    ratio: null,
  };
}

interface Column {
  title: string;
  align: 'left' | 'right';
  cell: (row: ScenarioRow) => string;
}

const DASH = '-';

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? DASH : value.toFixed(digits);
}

/**
 * autocannon records latency in whole milliseconds (truncated), so integers are shown as such;
 * a fractional value (another source) keeps one decimal.
 */
function millis(value: number | null | undefined): string {
  if (value === null || value === undefined) return DASH;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function count(value: number | null | undefined): string {
  return value === null || value === undefined ? DASH : String(value);
}

const COLUMNS: readonly Column[] = [
  { title: 'scenario', align: 'left', cell: (r) => r.name },
  { title: 'status', align: 'left', cell: (r) => (r.status === 'failed' ? 'FAIL' : r.status) },
  { title: 'req/s', align: 'right', cell: (r) => fixed(r.api?.reqPerSec, 1) },
  { title: 'p50 ms', align: 'right', cell: (r) => millis(r.api?.p50Ms) },
  { title: 'p99 ms', align: 'right', cell: (r) => millis(r.api?.p99Ms) },
  { title: 'non2xx', align: 'right', cell: (r) => count(r.api?.non2xx) },
  { title: 'errors', align: 'right', cell: (r) => count(r.api?.errors) },
  { title: 'timeouts', align: 'right', cell: (r) => count(r.api?.timeouts) },
  { title: 'gql err', align: 'right', cell: (r) => count(r.api?.graphqlErrors) },
  { title: 'bytes', align: 'right', cell: (r) => count(r.bytesPerResponse) },
  { title: 'ceil req/s', align: 'right', cell: (r) => fixed(r.ceiling?.reqPerSec, 1) },
  { title: 'ceil p99', align: 'right', cell: (r) => millis(r.ceiling?.p99Ms) },
  { title: 'ratio', align: 'right', cell: (r) => fixed(r.ratio, 3) },
];

/**
 * Renders the rows as a plain-text table (header, rule, one line per scenario), followed by
 * the reason of every failed or skipped scenario. No colours: the output is often piped.
 */
export function formatTable(rows: readonly ScenarioRow[]): string {
  const cells = rows.map((row) => COLUMNS.map((c) => c.cell(row)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i].length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (COLUMNS[i].align === 'left' ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of cells) out.push(line(r));
  const notes = rows.filter((r) => r.reason !== null);
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) out.push(`${r.name} (${r.status}): ${r.reason}`);
  }
  return out.join('\n');
}

/** The JSON document written to bench/results/. */
export interface BenchReport {
  date: string;
  /** Short commit hash, null outside a git checkout. */
  commit: string | null;
  /** Whether the working tree had uncommitted changes (the numbers may not match `commit`). */
  dirty: boolean | null;
  node: string;
  platform: string;
  cpu: { model: string; count: number };
  totalMemoryMb: number;
  flags: {
    products: number;
    tenants: number;
    duration: number;
    connections: number;
    scenarios: string[];
    /** Rows of the import-prices file, when that scenario ran. */
    importRows?: number;
    /** Virtual buyers of the order-flow scenario, when it ran. */
    buyers?: number;
    /** Tenants of the provisioning scenario, when it ran. */
    provision?: number;
  };
  database: 'pglite' | 'postgres';
  redis: boolean;
  /** Resident set size of the API process after the last scenario, kilobytes. */
  apiRssKb: number | null;
  /** Seconds from starting the API until /healthz answered (includes migration and seeding). */
  startupSeconds: number;
  scenarios: ScenarioRow[];
  /** The import-prices scenario, when it was selected (bench/import-prices.ts). */
  imports?: ImportScenarioResult[];
  /** The provisioning scenario, when it was selected (bench/provisioning.ts). */
  provisioning?: ProvisioningResult;
}

/** Reads the VmRSS line of a /proc/<pid>/status text, in kilobytes; null when absent. */
export function parseVmRssKb(status: string): number | null {
  const match = /^VmRSS:\s*(\d+)\s*kB/m.exec(status);
  return match ? Number(match[1]) : null;
}

/**
 * File name of a timestamped report: the ISO date with ':' and '.' replaced, as ':' is not
 * allowed in file names everywhere.
 */
export function reportFileName(date: Date): string {
  return `${date.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** The import-prices scenario for people: what was imported, and time and rate of each run. */
export function formatImport(i: ImportScenarioResult): string {
  const head = `${i.name}: ${i.status}${i.reason ? ` (${i.reason})` : ''}`;
  if (!i.plan) return head;
  const lines = [
    `${head} — ${i.plan.rows.toLocaleString('en-US')} contract prices: ${i.plan.companies} companies × ${i.plan.articles.toLocaleString('en-US')} articles × ${i.plan.tiers} tiers`,
  ];
  for (const r of i.runs)
    lines.push(
      `  ${r.label.padEnd(16)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.rowsPerSecond.toLocaleString('en-US').padStart(9)} rows/s  ` +
        `(${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected; process ${r.processSeconds} s)`,
    );
  return lines.join('\n');
}
