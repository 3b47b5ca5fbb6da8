import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addLinesRequest,
  collectSkuPool,
  describeErrors,
  errorCount,
  FlowClient,
  type FlowLoadSummary,
  FlowRecorder,
  flowSkus,
  orderableSkus,
  placeOrderRequest,
  runFlowLoad,
  stepProblem,
} from './order-flow';
import { flowLoadSummary, flowRow, formatFlow, formatTable } from './report';

describe('flowSkus', () => {
  const pool = Array.from({ length: 400 }, (_, i) => `SKU-${i}`);

  it('gives every flow distinct articles', () => {
    for (let it = 0; it < 50; it++)
      for (let b = 0; b < 16; b++) expect(new Set(flowSkus(pool, b, it, 16, 10)).size).toBe(10);
  });

  it('gives concurrent buyers disjoint windows when the pool holds buyers × lines', () => {
    for (const it of [0, 1, 7]) {
      const all = Array.from({ length: 16 }, (_, b) => flowSkus(pool, b, it, 16, 10)).flat();
      expect(new Set(all).size).toBe(160);
    }
  });

  it('moves a buyer on from one order to the next and wraps around the pool', () => {
    expect(flowSkus(pool, 0, 0, 16, 10)[0]).toBe('SKU-0');
    expect(flowSkus(pool, 0, 1, 16, 10)[0]).toBe('SKU-160');
    expect(flowSkus(pool, 0, 2, 16, 10)[0]).toBe('SKU-320');
    // 3 × 160 = 480 → 80: wrapped
    expect(flowSkus(pool, 0, 3, 16, 10)[0]).toBe('SKU-80');
    expect(flowSkus(['a', 'b', 'c'], 0, 0, 1, 3)).toEqual(['a', 'b', 'c']);
    expect(flowSkus(['a', 'b', 'c'], 0, 1, 1, 3)).toEqual(['a', 'b', 'c']);
    expect(flowSkus(['a', 'b', 'c', 'd'], 1, 0, 2, 3)).toEqual(['d', 'a', 'b']);
  });

  it('refuses a pool smaller than an order', () => {
    expect(() => flowSkus(['a'], 0, 0, 1, 2)).toThrow(RangeError);
  });
});

describe('orderableSkus', () => {
  const variant = (sku: string, extra: Record<string, unknown> = {}) => ({
    sku,
    status: 'ACTIVE',
    minOrderQuantity: 1,
    orderMultiple: 1,
    price: { unit: { amount: '1.00' } },
    ...extra,
  });
  const page = (variants: unknown[], hasNextPage: boolean) => ({
    products: {
      edges: [{ node: { variants } }],
      pageInfo: { endCursor: 'c1', hasNextPage },
    },
  });

  it('keeps articles one piece of can be ordered', () => {
    const data = page(
      [
        variant('A'),
        variant('B', { status: 'DISCONTINUED' }),
        variant('C', { minOrderQuantity: 5 }),
        variant('D', { orderMultiple: 6 }),
        variant('E', { price: null }),
        variant('F', { minOrderQuantity: 0 }),
      ],
      true,
    );
    expect(orderableSkus(data)).toEqual({ skus: ['A', 'F'], endCursor: 'c1' });
    expect(orderableSkus(page([variant('A')], false)).endCursor).toBeNull();
    expect(orderableSkus(null)).toEqual({ skus: [], endCursor: null });
  });

  it('collects a pool page by page up to what is wanted', async () => {
    const pages = [page([variant('A'), variant('B')], true), page([variant('C')], false)];
    const seen: unknown[] = [];
    const graphql = async (request: { variables?: Record<string, unknown> }) => {
      seen.push(request.variables?.['after']);
      return pages[seen.length - 1];
    };
    expect(await collectSkuPool(graphql, 10)).toEqual(['A', 'B', 'C']);
    expect(seen).toEqual([null, 'c1']);
    seen.length = 0;
    expect(await collectSkuPool(graphql, 2)).toEqual(['A', 'B']);
    expect(seen).toHaveLength(1);
  });
});

describe('requests', () => {
  it('adds one piece of every article and places with a fresh key each time', () => {
    expect(addLinesRequest(['A', 'B']).variables).toEqual({
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    });
    const a = placeOrderRequest('PO-1').variables;
    const b = placeOrderRequest('PO-1').variables;
    expect(a?.['input']).toEqual({ poNumber: 'PO-1' });
    expect(a?.['key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.['key']).not.toEqual(b?.['key']);
  });
});

describe('stepProblem', () => {
  const added = (rejected: unknown[]) =>
    JSON.stringify({ data: { addLinesToCart: { cart: { lines: [] }, rejected } } });

  it('accepts a cart without refused lines and a PLACED order', () => {
    expect(stepProblem('addLines', 200, added([]))).toBeNull();
    expect(
      stepProblem(
        'placeOrder',
        200,
        '{"data":{"placeOrder":{"number":"2026-00001","status":"PLACED"}}}',
      ),
    ).toBeNull();
  });

  it('names what went wrong by code', () => {
    expect(stepProblem('addLines', 200, added([{ sku: 'X', reason: 'no' }]))).toBe('LINE_REJECTED');
    expect(
      stepProblem('placeOrder', 200, '{"data":{"placeOrder":{"status":"PENDING_APPROVAL"}}}'),
    ).toBe('NOT_PLACED');
    expect(
      stepProblem(
        'placeOrder',
        200,
        '{"errors":[{"message":"x","extensions":{"code":"OUT_OF_STOCK"}}],"data":null}',
      ),
    ).toBe('OUT_OF_STOCK');
    expect(stepProblem('placeOrder', 400, '{"errors":[{"message":"x"}]}')).toBe('GRAPHQL_ERROR');
    expect(stepProblem('addLines', 502, 'Bad gateway')).toBe('HTTP_502');
    expect(stepProblem('addLines', 200, 'not json')).toBe('INVALID_JSON');
    expect(stepProblem('addLines', 200, '{"data":{}}')).toBe('UNEXPECTED_RESPONSE');
  });
});

describe('FlowRecorder', () => {
  it('reports orders per second over the wall time and percentiles per step', () => {
    const r = new FlowRecorder();
    for (let i = 1; i <= 100; i++) {
      r.started();
      r.step('addLines', i * 1000); // 1 … 100 ms
      r.step('placeOrder', i * 2000);
      r.completed(i * 3000);
    }
    r.started();
    r.failed('placeOrder: OUT_OF_STOCK');
    r.started();
    r.failed('placeOrder: OUT_OF_STOCK');
    r.started();
    r.failed('ECONNRESET');
    const s = r.summary(4);
    r.destroy();
    expect(s).toMatchObject({ flowsPerSec: 25, flows: 100, attempts: 103, seconds: 4 });
    // HDR histograms at 3 significant digits: within 0.1 % of the exact percentile.
    expect(s.addLines.p50Ms).toBeCloseTo(50, 0);
    expect(s.addLines.p99Ms).toBeCloseTo(99, 0);
    expect(s.placeOrder.p50Ms).toBeCloseTo(100, 0);
    expect(s.flow.p99Ms).toBeCloseTo(297, 0);
    expect(s.flow.maxMs).toBeCloseTo(300, 0);
    expect(s.flow.count).toBe(100);
    expect(s.errors).toEqual({ ECONNRESET: 1, 'placeOrder: OUT_OF_STOCK': 2 });
    expect(errorCount(s)).toBe(3);
    expect(describeErrors(s.errors)).toBe('ECONNRESET×1, placeOrder: OUT_OF_STOCK×2');
  });

  it('reports zeros, not NaN, when nothing completed', () => {
    const r = new FlowRecorder();
    const s = r.summary(0);
    r.destroy();
    expect(s.flowsPerSec).toBe(0);
    expect(s.flow).toEqual({ count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});

function load(flowsPerSec: number, errors: Record<string, number> = {}): FlowLoadSummary {
  const step = { count: 10, p50Ms: 12.5, p99Ms: 40.2, maxMs: 50 };
  return {
    flowsPerSec,
    flows: flowsPerSec * 10,
    attempts: flowsPerSec * 10,
    seconds: 10,
    flow: step,
    addLines: step,
    placeOrder: step,
    errors,
  };
}

describe('order-flow report', () => {
  const detail = {
    host: 'bench-0001.localhost',
    company: 'bench-contract',
    buyers: 16,
    linesPerOrder: 10,
    skuPool: 640,
    addLinesBytes: 2000,
    placeOrderBytes: 900,
  };
  const scenario = { name: 'order-flow', description: 'd', host: 'bench-0001.localhost' };

  it('divides API orders/s by ceiling flows/s and fills the table', () => {
    const row = flowRow(scenario, { ...detail, api: load(40), ceiling: load(4000) });
    expect(row).toMatchObject({ status: 'ok', reason: null, ratio: 0.01 });
    expect(row.api).toMatchObject({ reqPerSec: 40, p50Ms: 12.5, p99Ms: 40.2, totalRequests: 400 });
    expect(row.flow?.ratio).toBe(0.01);
    expect(formatTable([row])).toContain('order-flow');
    expect(formatFlow(row)).toMatch(/orders\/s\s+api 40\.0 .*ratio 0\.0100/);
    expect(formatFlow(row)).toContain('placeOrder');
  });

  it('fails on any error and sorts errors into the table columns', () => {
    const errors = {
      'placeOrder: OUT_OF_STOCK': 3,
      'addLinesToCart: HTTP_500': 1,
      TIMEOUT: 2,
      ECONNRESET: 1,
    };
    const row = flowRow(scenario, { ...detail, api: load(40, errors), ceiling: load(4000) });
    expect(row.status).toBe('failed');
    expect(row.reason).toContain('api placeOrder: OUT_OF_STOCK×3');
    expect(flowLoadSummary(load(1, errors))).toMatchObject({
      non2xx: 1,
      errors: 3,
      timeouts: 2,
      graphqlErrors: 3,
    });
  });
});

describe('runFlowLoad', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ host: string | undefined; auth: string | undefined; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ host: req.headers.host, auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        res.end(
          body.includes('addLinesToCart')
            ? '{"data":{"addLinesToCart":{"cart":{"lines":[]},"rejected":[]}}}'
            : '{"data":{"placeOrder":{"number":"1","status":"PLACED"}}}',
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('loops every buyer through add and place with its own token and the tenant Host', async () => {
    const client = new FlowClient(2);
    const pool = Array.from({ length: 40 }, (_, i) => `S${i}`);
    const s = await runFlowLoad(
      client,
      { addLinesPort: port, placeOrderPort: port },
      { authorizations: ['Bearer a', 'Bearer b'], pool, lines: 10 },
      0.3,
    );
    client.close();
    expect(s.errors).toEqual({});
    expect(s.flows).toBeGreaterThan(2);
    expect(s.flows).toBe(s.attempts);
    expect(s.flowsPerSec).toBeGreaterThan(0);
    expect(seen.every((r) => r.host === 'bench-0001.localhost')).toBe(true);
    expect(new Set(seen.map((r) => r.auth))).toEqual(new Set(['Bearer a', 'Bearer b']));
    const keys = seen
      .filter((r) => r.body.includes('placeOrder'))
      .map((r) => (JSON.parse(r.body) as { variables: { key: string } }).variables.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('counts a refused connection as an error and keeps going', async () => {
    const client = new FlowClient(1);
    const s = await runFlowLoad(
      client,
      { addLinesPort: 1, placeOrderPort: 1 },
      { authorizations: ['Bearer a'], pool: ['A', 'B'], lines: 2 },
      0.1,
    );
    client.close();
    expect(s.flows).toBe(0);
    expect(s.errors['ECONNREFUSED']).toBeGreaterThan(1);
  });
});
