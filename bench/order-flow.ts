/**
 * The order-flow scenario: N virtual buyers, each a seeded user of bench-0001 with its own
 * token and cart, loop "addLinesToCart with 10 articles, then placeOrder" for the duration.
 * Unlike the request scenarios every request differs (articles rotate, every order has a fresh
 * idempotency key) and each flow writes: cart lines, an order with its lines, a stock
 * reservation, credit usage and outbox rows. Measured as orders per second and the latency of
 * the whole flow and of each step, beside a ceiling that replays the two responses from bare
 * node:http servers to the same client loop. See bench/README.md.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import * as hdr from 'hdr-histogram-js';
import { LOOPBACK } from './http';
import type { GraphQLRequest } from './scenarios';

export const ORDER_FLOW_SCENARIO = 'order-flow';

/** The generated tenant whose fixture holds the bench buyers (see libs/admin/src/bench-buyers.ts). */
export const ORDER_FLOW_HOST = 'bench-0001.localhost';

/** Company of the bench buyers (BENCH_BUYER_COMPANY of the seed). */
export const ORDER_FLOW_COMPANY = 'bench-contract';

/** Lines per order, each a distinct article with quantity 1. */
export const LINES_PER_ORDER = 10;

/**
 * Articles rotated through: four windows of 10 per buyer, so concurrent orders rarely lock the
 * same variant rows (stock is reserved with row locks) and a buyer's orders differ.
 */
export const POOL_WINDOWS_PER_BUYER = 4;

/** A request slower than this counts as a TIMEOUT; the flow loop goes on. */
const REQUEST_TIMEOUT_MS = 60_000;

/** What a quick-order page needs back: the cart as it now is, and the lines that were refused. */
export const ADD_LINES_MUTATION = `mutation($lines: [CartLineInput!]!) {
  addLinesToCart(lines: $lines) {
    cart { lines { sku name quantity unitPrice { amount currency } lineTotal { amount } } subtotal { amount currency } tax { amount } total { amount } }
    rejected { sku reason }
  }
}`;

/** What an order confirmation page shows. */
export const PLACE_ORDER_MUTATION = `mutation($input: PlaceOrderInput!, $key: String!) {
  placeOrder(input: $input, idempotencyKey: $key) {
    number status poNumber
    lines { sku quantity lineTotal { amount } }
    subtotal { amount currency } shipping { amount } tax { amount } total { amount currency }
  }
}`;

/** A page of the buyer's catalog with what decides whether one piece can be ordered. */
export const ORDERABLE_PAGE_QUERY = `query($after: String) {
  products(first: 100, after: $after) {
    edges { node { variants { sku status minOrderQuantity orderMultiple price(quantity: 1) { unit { amount } } } } }
    pageInfo { endCursor hasNextPage }
  }
}`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * SKUs of an {@link ORDERABLE_PAGE_QUERY} result that a buyer can order one piece of: ACTIVE,
 * sold per piece (minimum ≤ 1, multiple 1) and priced for this buyer. Others would be refused
 * by addLinesToCart and measure an error path instead of an order.
 */
export function orderableSkus(data: unknown): { skus: string[]; endCursor: string | null } {
  if (!isRecord(data) || !isRecord(data['products'])) return { skus: [], endCursor: null };
  const products = data['products'];
  const skus: string[] = [];
  for (const edge of Array.isArray(products['edges']) ? products['edges'] : []) {
    if (!isRecord(edge) || !isRecord(edge['node'])) continue;
    const variants = edge['node']['variants'];
    for (const v of Array.isArray(variants) ? variants : []) {
      if (!isRecord(v) || typeof v['sku'] !== 'string') continue;
      if (v['status'] !== 'ACTIVE' || !isRecord(v['price'])) continue;
      if (typeof v['minOrderQuantity'] !== 'number' || v['minOrderQuantity'] > 1) continue;
      if (v['orderMultiple'] !== 1) continue;
      skus.push(v['sku']);
    }
  }
  const info = isRecord(products['pageInfo']) ? products['pageInfo'] : {};
  const endCursor =
    info['hasNextPage'] === true && typeof info['endCursor'] === 'string'
      ? info['endCursor']
      : null;
  return { skus, endCursor };
}

/**
 * The articles of one flow: `lines` consecutive entries of the pool (wrapping), starting where
 * the window of (iteration, buyer) falls. At one iteration, buyers 0…B-1 get disjoint windows as
 * long as the pool holds B × lines entries; the next iteration moves every buyer on by B windows.
 * Distinct within a flow whenever the pool holds at least `lines` entries.
 */
export function flowSkus<T>(
  pool: readonly T[],
  buyer: number,
  iteration: number,
  buyers: number,
  lines: number,
): T[] {
  if (pool.length < lines) throw new RangeError(`a pool of ${pool.length} for ${lines} lines`);
  const start = ((iteration * buyers + buyer) * lines) % pool.length;
  const out: T[] = [];
  for (let i = 0; i < lines; i++) out.push(pool[(start + i) % pool.length]);
  return out;
}

/** The add-lines request of one flow. */
export function addLinesRequest(skus: readonly string[]): GraphQLRequest {
  return {
    query: ADD_LINES_MUTATION,
    variables: { lines: skus.map((sku) => ({ sku, quantity: 1 })) },
  };
}

/** The place-order request of one flow, with a fresh idempotency key (a new order each time). */
export function placeOrderRequest(poNumber: string, key: string = randomUUID()): GraphQLRequest {
  return { query: PLACE_ORDER_MUTATION, variables: { input: { poNumber }, key } };
}

/** The `extensions.code` of the first GraphQL error, or a generic code. */
function graphqlErrorCode(errors: unknown): string {
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (isRecord(first) && isRecord(first['extensions'])) {
    const code = first['extensions']['code'];
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return 'GRAPHQL_ERROR';
}

/**
 * Why a step's response is not a success, as an error code, or null. Parsed in full — for the
 * API and the ceiling alike, so the client's cost is the same on both sides of the ratio.
 * HTTP_<status> for a non-200; the error's `extensions.code`; LINE_REJECTED when addLinesToCart
 * refused a line; NOT_PLACED when the order is not PLACED (e.g. sent for approval).
 */
export function stepProblem(
  step: 'addLines' | 'placeOrder',
  status: number,
  body: string,
): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return status === 200 ? 'INVALID_JSON' : `HTTP_${status}`;
  }
  if (isRecord(parsed) && parsed['errors'] !== undefined) return graphqlErrorCode(parsed['errors']);
  if (status !== 200) return `HTTP_${status}`;
  const data = isRecord(parsed) && isRecord(parsed['data']) ? parsed['data'] : null;
  if (step === 'addLines') {
    const result = data?.['addLinesToCart'];
    if (!isRecord(result) || !Array.isArray(result['rejected'])) return 'UNEXPECTED_RESPONSE';
    return result['rejected'].length > 0 ? 'LINE_REJECTED' : null;
  }
  const order = data?.['placeOrder'];
  if (!isRecord(order)) return 'UNEXPECTED_RESPONSE';
  return order['status'] === 'PLACED' ? null : 'NOT_PLACED';
}

/** Percentiles of one step (or of the whole flow), milliseconds with microsecond resolution. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One flow load (against the API or the ceiling). */
export interface FlowLoadSummary {
  /** Orders placed (flows completed without error) per second of the measured window. */
  flowsPerSec: number;
  /** Flows completed without error. */
  flows: number;
  /** Flows started. */
  attempts: number;
  /** Wall time from the first flow's start to the last flow's end. */
  seconds: number;
  /** add + place, flows without error only. */
  flow: LatencySummary;
  addLines: LatencySummary;
  placeOrder: LatencySummary;
  /** Failed steps by error code (see {@link stepProblem}); empty when all went well. */
  errors: Record<string, number>;
}

/** The order-flow scenario's own part of the report. */
export interface OrderFlowDetail {
  host: string;
  company: string;
  buyers: number;
  linesPerOrder: number;
  /** Distinct articles rotated through. */
  skuPool: number;
  /** Body sizes of the warm-up responses the ceiling replays. */
  addLinesBytes: number;
  placeOrderBytes: number;
  api: FlowLoadSummary;
  ceiling: FlowLoadSummary;
  /** api.flowsPerSec ÷ ceiling.flowsPerSec. */
  ratio: number | null;
}

/** Microseconds, as recorded: up to 10 minutes at 3 significant digits. */
function histogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

function latency(h: hdr.Histogram): LatencySummary {
  const ms = (us: number) => Math.round(us / 100) / 10;
  if (h.totalCount === 0) return { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return {
    count: h.totalCount,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    maxMs: ms(h.maxValue),
  };
}

/** Collects one load's outcomes; {@link FlowRecorder.summary} reduces them. */
export class FlowRecorder {
  private readonly flow = histogram();
  private readonly add = histogram();
  private readonly place = histogram();
  private readonly errors = new Map<string, number>();
  private flows = 0;
  private attempts = 0;

  started(): void {
    this.attempts++;
  }

  step(step: 'addLines' | 'placeOrder', micros: number): void {
    (step === 'addLines' ? this.add : this.place).recordValue(Math.max(1, Math.round(micros)));
  }

  completed(micros: number): void {
    this.flows++;
    this.flow.recordValue(Math.max(1, Math.round(micros)));
  }

  failed(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  summary(seconds: number): FlowLoadSummary {
    return {
      flowsPerSec: seconds > 0 ? Math.round((this.flows / seconds) * 10) / 10 : 0,
      flows: this.flows,
      attempts: this.attempts,
      seconds: Math.round(seconds * 100) / 100,
      flow: latency(this.flow),
      addLines: latency(this.add),
      placeOrder: latency(this.place),
      errors: Object.fromEntries([...this.errors].sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  destroy(): void {
    for (const h of [this.flow, this.add, this.place]) h.destroy();
  }
}

/** Total of the error counts of a load. */
export function errorCount(s: FlowLoadSummary): number {
  return Object.values(s.errors).reduce((a, b) => a + b, 0);
}

/** `CODE×n, …` of a load's errors, for messages. */
export function describeErrors(errors: Record<string, number>): string {
  return Object.entries(errors)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
}

/** Where the two steps go: the API (one port) or the two ceiling servers. */
export interface FlowTarget {
  addLinesPort: number;
  placeOrderPort: number;
}

export interface StepResponse {
  status: number;
  contentType: string | null;
  body: Buffer;
}

/**
 * A keep-alive client for the flow loop: node:http (fetch drops the Host header, which picks the
 * tenant), one socket per virtual buyer at most, reused for every request.
 */
export class FlowClient {
  private readonly agent: Agent;

  constructor(buyers: number) {
    // Two origins with the ceiling (one per step): a socket per buyer and origin.
    this.agent = new Agent({ keepAlive: true, maxSockets: buyers, maxFreeSockets: buyers });
  }

  post(port: number, authorization: string, body: string): Promise<StepResponse> {
    return new Promise((resolve, reject) => {
      const r = request(
        {
          host: LOOPBACK,
          port,
          method: 'POST',
          path: '/graphql',
          agent: this.agent,
          headers: {
            host: ORDER_FLOW_HOST,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'] ?? null,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      r.setTimeout(REQUEST_TIMEOUT_MS, () => r.destroy(new TimeoutError()));
      r.on('error', reject);
      r.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

function transportCode(e: unknown): string {
  if (e instanceof TimeoutError) return 'TIMEOUT';
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : 'CONNECTION_ERROR';
}

/** What every flow loop needs: who buys, what they buy, where it goes. */
export interface FlowPlan {
  /** One Authorization header per virtual buyer (each its own user and cart). */
  authorizations: readonly string[];
  /** Orderable SKUs of the tenant, rotated through with {@link flowSkus}. */
  pool: readonly string[];
  lines: number;
}

/** Runs one flow (add, then place) and records its outcome; errors are recorded, never thrown. */
async function oneFlow(
  client: FlowClient,
  target: FlowTarget,
  plan: FlowPlan,
  buyer: number,
  iteration: number,
  recorder: FlowRecorder,
): Promise<void> {
  const authorization = plan.authorizations[buyer];
  const skus = flowSkus(plan.pool, buyer, iteration, plan.authorizations.length, plan.lines);
  recorder.started();
  const t0 = process.hrtime.bigint();
  const micros = (from: bigint) => Number(process.hrtime.bigint() - from) / 1000;
  try {
    const add = await client.post(
      target.addLinesPort,
      authorization,
      JSON.stringify(addLinesRequest(skus)),
    );
    const addProblem = stepProblem('addLines', add.status, add.body.toString('utf8'));
    if (addProblem !== null) return recorder.failed(`addLinesToCart: ${addProblem}`);
    recorder.step('addLines', micros(t0));
    const t1 = process.hrtime.bigint();
    const place = await client.post(
      target.placeOrderPort,
      authorization,
      JSON.stringify(placeOrderRequest(`BENCH-${buyer + 1}-${iteration + 1}`)),
    );
    const placeProblem = stepProblem('placeOrder', place.status, place.body.toString('utf8'));
    if (placeProblem !== null) return recorder.failed(`placeOrder: ${placeProblem}`);
    recorder.step('placeOrder', micros(t1));
    recorder.completed(micros(t0));
  } catch (e) {
    recorder.failed(transportCode(e));
  }
}

/**
 * Every virtual buyer loops flows until `seconds` have passed (a flow under way finishes), all
 * at once; resolves to the summary over the wall time until the last flow ended.
 */
export async function runFlowLoad(
  client: FlowClient,
  target: FlowTarget,
  plan: FlowPlan,
  seconds: number,
): Promise<FlowLoadSummary> {
  const recorder = new FlowRecorder();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  try {
    await Promise.all(
      plan.authorizations.map(async (_, buyer) => {
        for (let i = 0; process.hrtime.bigint() < deadline; i++)
          await oneFlow(client, target, plan, buyer, i, recorder);
      }),
    );
    return recorder.summary(Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    recorder.destroy();
  }
}

/**
 * Orderable SKUs of the tenant's catalog as the buyer sees it, page by page, until `wanted` are
 * found or the catalog ends. `graphql` sends one query to the API and resolves to its `data`.
 */
export async function collectSkuPool(
  graphql: (request: GraphQLRequest) => Promise<unknown>,
  wanted: number,
): Promise<string[]> {
  const pool: string[] = [];
  let after: string | null = null;
  while (pool.length < wanted) {
    const page = orderableSkus(
      await graphql({ query: ORDERABLE_PAGE_QUERY, variables: { after } }),
    );
    pool.push(...page.skus);
    if (page.endCursor === null) break;
    after = page.endCursor;
  }
  return pool.slice(0, wanted);
}

/** The responses of one flow, unmeasured: checked, then replayed by the ceiling. */
export async function warmupFlow(
  client: FlowClient,
  port: number,
  plan: FlowPlan,
): Promise<{ addLines: StepResponse; placeOrder: StepResponse }> {
  const authorization = plan.authorizations[0];
  const skus = flowSkus(plan.pool, 0, 0, plan.authorizations.length, plan.lines);
  const addLines = await client.post(port, authorization, JSON.stringify(addLinesRequest(skus)));
  const addProblem = stepProblem('addLines', addLines.status, addLines.body.toString('utf8'));
  if (addProblem !== null)
    throw new Error(`warm-up addLinesToCart: ${addProblem}: ${snippet(addLines.body)}`);
  const placeOrder = await client.post(
    port,
    authorization,
    JSON.stringify(placeOrderRequest('BENCH-WARMUP')),
  );
  const placeProblem = stepProblem(
    'placeOrder',
    placeOrder.status,
    placeOrder.body.toString('utf8'),
  );
  if (placeProblem !== null)
    throw new Error(`warm-up placeOrder: ${placeProblem}: ${snippet(placeOrder.body)}`);
  return { addLines, placeOrder };
}

function snippet(body: Buffer, max = 300): string {
  const flat = body.toString('utf8').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** One line on a load for the progress log. */
export function describeFlowLoad(s: FlowLoadSummary): string {
  const errors = errorCount(s);
  return (
    `${s.flowsPerSec.toFixed(1)} orders/s, flow p50 ${s.flow.p50Ms} ms p99 ${s.flow.p99Ms} ms` +
    (errors > 0 ? `, ${errors} errors (${describeErrors(s.errors)})` : '')
  );
}
