/**
 * `npm run bench`: starts the built API in production mode on a free port, then measures every
 * selected scenario twice with autocannon — against a bare node:http server replaying the
 * API's response (the ceiling), then against the API — and reports both side by side.
 * See bench/README.md.
 */
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, platform, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { CeilingReady, CeilingSpec } from './ceiling';
import { BenchFlags, FlagError, HELP, parseFlags } from './flags';
import { freePort, LOOPBACK, loopbackRequest } from './http';
import { benchPriceImport, IMPORT_SCENARIO, type ImportScenarioResult } from './import-prices';
import {
  collectSkuPool,
  describeFlowLoad,
  FlowClient,
  type FlowLoadSummary,
  type FlowPlan,
  LINES_PER_ORDER,
  ORDER_FLOW_COMPANY,
  ORDER_FLOW_HOST,
  ORDER_FLOW_SCENARIO,
  POOL_WINDOWS_PER_BUYER,
  runFlowLoad,
  type FlowTarget,
  warmupFlow,
} from './order-flow';
import {
  BenchReport,
  flowRow,
  formatFlow,
  formatImport,
  formatTable,
  LoadResultLike,
  measuredRow,
  parseVmRssKb,
  reportFileName,
  ScenarioRow,
  summarize,
  unmeasuredRow,
} from './report';
import {
  ADMIN_HOST,
  adminAuthorization,
  createdOk,
  createTenantRequest,
  describeBatch,
  formatProvisioning,
  LoopbackClient,
  PROVISION_CLIENTS,
  PROVISION_SCENARIO,
  provisionDomain,
  provisionRunTag,
  provisionSlug,
  type ProvisioningResult,
  runBatch,
  relativeChange,
  servedOk,
  TENANT_NAME_QUERY,
} from './provisioning';
import {
  GraphQLRequest,
  hasGraphQLErrors,
  requestBody,
  requestHeaders,
  Scenario,
  ScenarioContext,
  SCENARIOS,
  selectScenarios,
  warmupProblem,
} from './scenarios';
import { benchBuyerIdFor, benchTokenSecret, buyerAuthorization } from './auth';

/** First start migrates and seeds; 100k variants on a slow disk take minutes. */
const STARTUP_TIMEOUT_MS = 10 * 60_000;
const HEALTH_POLL_MS = 500;
const DOT_EVERY_MS = 5_000;
/** How long a child gets to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;
/** Unmeasured load before every measured run, in seconds (see load()). */
const WARMUP_LOAD_SECONDS = 1;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The directory holding package.json above `from`: dist/bench/ when built, bench/ in tests. */
function repoRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function lastLines(file: string, n: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Child processes and temporary files of the run. Everything registered here is removed on
 * every way out: normal end, error, SIGINT/SIGTERM, and (synchronously, as a last resort)
 * process exit.
 */
class Resources {
  private readonly children = new Set<ChildProcess>();
  private readonly paths = new Set<string>();

  constructor() {
    // 'exit' handlers cannot wait: whatever is still alive gets SIGKILL, never left behind.
    process.on('exit', () => this.releaseSync());
  }

  addChild(child: ChildProcess): ChildProcess {
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Deletes `path` (file or directory) at the end of the run. */
  addPath(path: string): void {
    this.paths.add(path);
  }

  removePath(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.paths.delete(path);
  }

  /** SIGTERM, then SIGKILL if the child has not exited after the grace period. */
  async stop(child: ChildProcess): Promise<void> {
    if (!isRunning(child)) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async release(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.stop(c)));
    for (const p of [...this.paths]) this.removePath(p);
  }

  private releaseSync(): void {
    for (const c of this.children) if (isRunning(c)) c.kill('SIGKILL');
    for (const p of this.paths) rmSync(p, { recursive: true, force: true });
  }
}

interface Paths {
  root: string;
  apiMain: string;
  cliMain: string;
  ceilingMain: string;
  results: string;
  apiLog: string;
}

interface RunningApi {
  child: ChildProcess;
  port: number;
  database: 'pglite' | 'postgres';
  redis: boolean;
  /** The PGlite data directory; null with PostgreSQL. */
  dataDir: string | null;
  startupSeconds: number;
  /** The key the API signs access tokens with; the bench mints its buyers' tokens with it. */
  tokenSecret: string;
}

/** Starts the API and resolves once /healthz answers 200. */
async function startApi(flags: BenchFlags, paths: Paths, res: Resources): Promise<RunningApi> {
  const postgres = (process.env['DATABASE_URL'] ?? '') !== '';
  const redis = (process.env['REDIS_URL'] ?? '') !== '';
  const port = await freePort();
  let dataDir: string | null = null;
  const tokenSecret = benchTokenSecret();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: LOOPBACK,
    PORT: String(port),
    VITRINE_DEMO_PRODUCTS: String(flags.products),
    VITRINE_DEMO_EXTRA_TENANTS: String(flags.tenants),
    // PostgreSQL is only seeded when asked; the scenarios need the demo data either way.
    VITRINE_SEED_ON_START: process.env['VITRINE_SEED_ON_START'] ?? 'true',
    AUTH_TOKEN_SECRET: tokenSecret,
    // One client address sends every request: the per-address/tenant/account limits are off.
    RATE_LIMIT_TENANT: '0',
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_ACCOUNT: '0',
  };
  // Every placed order (order-flow) leaves an e-mail and an ERP file behind: the outbox worker
  // writes them into a directory of this run, deleted with it, never into the checkout's var/.
  const outboxDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-outbox-'));
  res.addPath(outboxDir);
  env['MAILBOX_DIR'] = join(outboxDir, 'mailbox');
  env['ERP_DROP_DIR'] = join(outboxDir, 'erp-drop');
  if (postgres) {
    log(
      'database: PostgreSQL from DATABASE_URL (migrated, then seeded on start unless already seeded)',
    );
    // The API refuses a schema that is behind; the bench's database is a throw-away one.
    execFileSync(process.execPath, [paths.cliMain, 'db', 'migrate'], {
      cwd: paths.root,
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } else {
    if (flags.dataDir !== null) {
      dataDir = resolve(flags.dataDir);
      mkdirSync(dataDir, { recursive: true });
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'vitrine-bench-'));
      if (!flags.keep) res.addPath(dataDir);
    }
    env['VITRINE_DATA_DIR'] = dataDir;
    log(`database: PGlite in ${dataDir}${flags.keep ? ' (kept)' : ' (temporary)'}`);
  }
  log(`redis: ${redis ? 'yes (REDIS_URL)' : 'no'}`);

  // The log file is handed to the child as its stdout/stderr directly, so the API's logging
  // never passes through this process, whose event loop belongs to autocannon.
  const logFd = openSync(paths.apiLog, 'w');
  const child = res.addChild(
    spawn(process.execPath, [paths.apiMain], {
      cwd: paths.root,
      env,
      stdio: ['ignore', logFd, logFd],
    }),
  );
  closeSync(logFd);
  // A holder rather than a `let`: the callback's assignment is invisible to TS's narrowing.
  const spawnFailure: { error: Error | null } = { error: null };
  child.once('error', (e) => (spawnFailure.error = e));

  const logName = relative(process.cwd(), paths.apiLog);
  process.stderr.write(`starting API on ${LOOPBACK}:${port} (log: ${logName}) `);
  const started = Date.now();
  let lastDot = started;
  for (;;) {
    if (spawnFailure.error !== null) throw spawnFailure.error;
    if (!isRunning(child)) {
      process.stderr.write('\n');
      const how = child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode;
      throw new Error(
        `API exited with ${how} during startup; ${logName} ends with:\n` +
          lastLines(paths.apiLog, 30),
      );
    }
    try {
      const r = await loopbackRequest({
        port,
        method: 'GET',
        path: '/healthz',
        headers: { host: `${LOOPBACK}:${port}` },
        timeoutMs: 5_000,
      });
      if (r.status === 200) break;
    } catch {
      // Not listening yet (still migrating or seeding): keep polling.
    }
    const now = Date.now();
    if (now - started > STARTUP_TIMEOUT_MS) {
      process.stderr.write('\n');
      throw new Error(
        `API not healthy after ${STARTUP_TIMEOUT_MS / 60_000} minutes; see ${logName}`,
      );
    }
    if (now - lastDot >= DOT_EVERY_MS) {
      process.stderr.write('.');
      lastDot = now;
    }
    await sleep(HEALTH_POLL_MS);
  }
  const startupSeconds = Math.round((Date.now() - started) / 100) / 10;
  process.stderr.write(` ready in ${startupSeconds} s\n`);
  const database = postgres ? 'postgres' : 'pglite';
  return { child, port, database, redis, dataDir, startupSeconds, tokenSecret };
}

/** Starts a ceiling process replaying `body`, runs `fn` against its port, stops it. */
async function withCeiling<T>(
  paths: Paths,
  res: Resources,
  name: string,
  body: Buffer,
  contentType: string | null,
  fn: (port: number) => Promise<T>,
): Promise<T> {
  // *.tmp under bench/results is gitignored; removed right after the ceiling has read it.
  const specPath = join(paths.results, `ceiling-${name}.tmp`);
  const spec: CeilingSpec = { contentType, bodyBase64: body.toString('base64') };
  writeFileSync(specPath, JSON.stringify(spec));
  res.addPath(specPath);
  const child = res.addChild(
    fork(paths.ceilingMain, [specPath], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      child.once('message', (m) => resolvePort((m as CeilingReady).port));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`ceiling exited with code ${code}`)));
    });
    res.removePath(specPath);
    return await fn(port);
  } finally {
    await res.stop(child);
    res.removePath(specPath);
  }
}

interface Target {
  port: number;
  scenario: Scenario;
  /** The request path: `scenario.path`, or what `scenario.resolvePath` found. */
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/**
 * Loads one target: an unmeasured second first, then the measured run. The body check counts
 * GraphQL errors hidden in 200 responses.
 */
async function load(flags: BenchFlags, t: Target): Promise<LoadResultLike> {
  const options: autocannon.Options = {
    url: `http://${LOOPBACK}:${t.port}${t.path}`,
    method: t.scenario.method,
    headers: t.headers,
    body: t.body,
    connections: flags.connections,
    // Same cost for the ceiling as for the API, so the ratio stays fair.
    verifyBody: (b) => typeof b !== 'string' || !hasGraphQLErrors(b),
  };
  // Each ceiling process is fresh while the API has been running since startup: without a
  // discarded warm-up the ceiling would be measured before its JIT and sockets settle.
  await autocannon({ ...options, duration: WARMUP_LOAD_SECONDS });
  return autocannon({ ...options, duration: flags.duration });
}

function describeLoad(r: LoadResultLike): string {
  return `${r.requests.mean.toFixed(1)} req/s, p99 ${r.latency.p99} ms`;
}

async function runScenario(
  s: Scenario,
  flags: BenchFlags,
  api: RunningApi,
  paths: Paths,
  res: Resources,
  ctx: ScenarioContext,
): Promise<ScenarioRow> {
  log(`\n[${s.name}] ${s.description} (${s.host})`);
  const skip = s.skipReason?.(flags) ?? null;
  if (skip !== null) {
    log(`  skipped: ${skip}`);
    return unmeasuredRow(s, 'skipped', skip);
  }
  let warmup: { bytes: number; contentType: string | null } | null = null;
  try {
    const variables = s.prepare ? await s.prepare(ctx) : {};
    const path = s.resolvePath ? await s.resolvePath(ctx) : s.path;
    const body = requestBody(s, variables);
    const headers = requestHeaders(s);
    if (s.buyer) headers['authorization'] = await ctx.authorization(s.host, s.buyer.company);
    const first = await loopbackRequest({
      port: api.port,
      method: s.method,
      path,
      headers,
      body,
    });
    warmup = { bytes: first.body.length, contentType: first.contentType };
    const problem =
      warmupProblem(first.status, first.body.toString('utf8')) ??
      s.check?.(first.body.toString('utf8')) ??
      null;
    if (problem !== null) {
      log(`  FAIL warm-up: ${problem}`);
      return unmeasuredRow(s, 'failed', `warm-up: ${problem}`, warmup);
    }
    log(`  warm-up: 200, ${warmup.bytes} bytes (${warmup.contentType ?? 'no content-type'})`);
    const ceiling = await withCeiling(paths, res, s.name, first.body, first.contentType, (port) => {
      log(
        `  ceiling: ${WARMUP_LOAD_SECONDS} + ${flags.duration} s × ${flags.connections} connections…`,
      );
      return load(flags, { port, scenario: s, path, headers, body });
    });
    log(`  ceiling: ${describeLoad(ceiling)}`);
    log(`  api: ${WARMUP_LOAD_SECONDS} + ${flags.duration} s × ${flags.connections} connections…`);
    const measured = await load(flags, { port: api.port, scenario: s, path, headers, body });
    log(`  api: ${describeLoad(measured)}`);
    return measuredRow(s, warmup, ceiling, measured);
  } catch (e) {
    const message = (e as Error).message;
    log(`  FAIL: ${message}`);
    return unmeasuredRow(s, 'failed', message, warmup);
  }
}

const ORDER_FLOW_ROW = {
  name: ORDER_FLOW_SCENARIO,
  description: `add ${LINES_PER_ORDER} lines to the cart and place the order, each buyer its own user and cart`,
  host: ORDER_FLOW_HOST,
} as const;

/** One flow load: an unmeasured second first (as for the request scenarios), then the run. */
async function flowLoad(
  flags: BenchFlags,
  target: FlowTarget,
  plan: FlowPlan,
): Promise<FlowLoadSummary> {
  const client = new FlowClient(flags.buyers);
  try {
    await runFlowLoad(client, target, plan, WARMUP_LOAD_SECONDS);
    return await runFlowLoad(client, target, plan, flags.duration);
  } finally {
    client.close();
  }
}

/**
 * The order-flow scenario (bench/order-flow.ts): buyers' tokens and an article pool, one checked
 * warm-up flow whose two responses the ceiling servers replay, then the same flow loop against
 * the two ceilings and against the API.
 */
async function runOrderFlow(
  flags: BenchFlags,
  api: RunningApi,
  paths: Paths,
  res: Resources,
  ctx: ScenarioContext,
): Promise<ScenarioRow> {
  log(`\n[${ORDER_FLOW_ROW.name}] ${ORDER_FLOW_ROW.description} (${ORDER_FLOW_ROW.host})`);
  if (flags.tenants < 1) {
    const reason = 'needs --tenants >= 1 (the bench buyers live on bench-0001)';
    log(`  skipped: ${reason}`);
    return unmeasuredRow(ORDER_FLOW_ROW, 'skipped', reason);
  }
  try {
    const { tenant } = (await ctx.graphql(ORDER_FLOW_HOST, { query: '{ tenant { id } }' })) as {
      tenant: { id: string };
    };
    const authorizations = await Promise.all(
      Array.from({ length: flags.buyers }, (_, i) =>
        buyerAuthorization(
          api.tokenSecret,
          tenant.id,
          ORDER_FLOW_COMPANY,
          benchBuyerIdFor(tenant.id, i + 1),
        ),
      ),
    );
    const pool = await collectSkuPool(
      (request) => ctx.graphql(ORDER_FLOW_HOST, request, { company: ORDER_FLOW_COMPANY }),
      flags.buyers * LINES_PER_ORDER * POOL_WINDOWS_PER_BUYER,
    );
    if (pool.length < LINES_PER_ORDER)
      throw new Error(
        `${ORDER_FLOW_HOST} has ${pool.length} articles orderable by the piece; ${LINES_PER_ORDER} needed`,
      );
    const plan: FlowPlan = { authorizations, pool, lines: LINES_PER_ORDER };
    const warmClient = new FlowClient(1);
    const warm = await warmupFlow(warmClient, api.port, plan).finally(() => warmClient.close());
    log(
      `  warm-up: order placed; responses ${warm.addLines.body.length} + ${warm.placeOrder.body.length} bytes; ` +
        `${flags.buyers} buyers, ${pool.length} articles`,
    );
    const ceiling = await withCeiling(
      paths,
      res,
      `${ORDER_FLOW_SCENARIO}-add`,
      warm.addLines.body,
      warm.addLines.contentType,
      (addLinesPort) =>
        withCeiling(
          paths,
          res,
          `${ORDER_FLOW_SCENARIO}-place`,
          warm.placeOrder.body,
          warm.placeOrder.contentType,
          (placeOrderPort) => {
            log(
              `  ceiling: ${WARMUP_LOAD_SECONDS} + ${flags.duration} s × ${flags.buyers} buyers…`,
            );
            return flowLoad(flags, { addLinesPort, placeOrderPort }, plan);
          },
        ),
    );
    log(`  ceiling: ${describeFlowLoad(ceiling)}`);
    log(`  api: ${WARMUP_LOAD_SECONDS} + ${flags.duration} s × ${flags.buyers} buyers…`);
    const measured = await flowLoad(
      flags,
      { addLinesPort: api.port, placeOrderPort: api.port },
      plan,
    );
    log(`  api: ${describeFlowLoad(measured)}`);
    return flowRow(ORDER_FLOW_ROW, {
      host: ORDER_FLOW_HOST,
      company: ORDER_FLOW_COMPANY,
      buyers: flags.buyers,
      linesPerOrder: LINES_PER_ORDER,
      skuPool: pool.length,
      addLinesBytes: warm.addLines.body.length,
      placeOrderBytes: warm.placeOrder.body.length,
      api: measured,
      ceiling,
    });
  } catch (e) {
    const message = (e as Error).message;
    log(`  FAIL: ${message}`);
    return unmeasuredRow(ORDER_FLOW_ROW, 'failed', message);
  }
}

/** A {@link ScenarioContext} sending its GraphQL requests to the running API. */
function scenarioContext(flags: BenchFlags, api: RunningApi): ScenarioContext {
  const ctx: ScenarioContext = {
    flags,
    authorization: async (host: string, companyCode: string | null) => {
      const data = (await ctx.graphql(host, { query: '{ tenant { id } }' })) as {
        tenant: { id: string };
      };
      return buyerAuthorization(api.tokenSecret, data.tenant.id, companyCode);
    },
    graphql: async (host: string, request: GraphQLRequest, buyer?: { company: string | null }) => {
      const headers: Record<string, string> = { host, 'content-type': 'application/json' };
      if (buyer) headers['authorization'] = await ctx.authorization(host, buyer.company);
      const r = await loopbackRequest({
        port: api.port,
        method: 'POST',
        path: '/graphql',
        headers,
        body: JSON.stringify(request),
      });
      const text = r.body.toString('utf8');
      const problem = warmupProblem(r.status, text);
      if (problem !== null) throw new Error(`preparing on ${host}: ${problem}`);
      return (JSON.parse(text) as { data?: unknown }).data ?? null;
    },
  };
  return ctx;
}

/** The request scenario the provisioning scenario measures before and after (a buyer's page). */
const PROVISION_PAGE_SCENARIO = 'catalog-page';

/**
 * The provisioning scenario (bench/provisioning.ts): catalog-page against the API, then
 * `--provision` tenants created through the admin API by a few admin clients, catalog-page
 * again, then one storefront request on each new tenant; the API's RSS at each stage.
 */
async function runProvisioning(
  flags: BenchFlags,
  api: RunningApi,
  ctx: ScenarioContext,
): Promise<ProvisioningResult> {
  const n = flags.provision;
  log(`\n[${PROVISION_SCENARIO}] ${n} tenants through the admin API (${ADMIN_HOST})`);
  const page = SCENARIOS.find((s) => s.name === PROVISION_PAGE_SCENARIO);
  if (!page) throw new Error(`no ${PROVISION_PAGE_SCENARIO} scenario`);
  const headers = requestHeaders(page);
  if (page.buyer) headers['authorization'] = await ctx.authorization(page.host, page.buyer.company);
  const body = requestBody(page, page.prepare ? await page.prepare(ctx) : {});
  const target: Target = { port: api.port, scenario: page, path: page.path, headers, body };
  const pageLoad = async (when: string) => {
    const first = await loopbackRequest({ ...target, method: page.method });
    const text = first.body.toString('utf8');
    const problem = warmupProblem(first.status, text) ?? page.check?.(text) ?? null;
    if (problem !== null) throw new Error(`${page.name} ${when}: ${problem}`);
    log(
      `  ${page.name} ${when}: ${WARMUP_LOAD_SECONDS} + ${flags.duration} s × ${flags.connections} connections…`,
    );
    const summary = summarize(await load(flags, target));
    log(
      `  ${page.name} ${when}: ${summary.reqPerSec.toFixed(1)} req/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, ${summary.timeouts} timeouts`,
    );
    return summary;
  };
  const before = await pageLoad('before');
  const rssBefore = readRssKb(api.child.pid);

  const tag = provisionRunTag(Date.now());
  const slugs = Array.from({ length: n }, (_, i) => provisionSlug(tag, i + 1, n));
  const authorization = await adminAuthorization(api.tokenSecret);
  const client = new LoopbackClient(api.port, PROVISION_CLIENTS);
  try {
    log(`  createTenant × ${n}, ${PROVISION_CLIENTS} clients…`);
    const create = await runBatch(client, n, PROVISION_CLIENTS, (i) => ({
      path: '/admin/graphql',
      host: ADMIN_HOST,
      body: createTenantRequest(slugs[i]),
      authorization,
      ok: createdOk(slugs[i]),
    }));
    log(`  createTenant: ${describeBatch(create, 'created')}`);
    if (create.ok === 0) throw new Error('no tenant was created');
    const rssAfterCreate = readRssKb(api.child.pid);
    const after = await pageLoad('after');
    log(`  { tenant { name } } on each new tenant, ${PROVISION_CLIENTS} clients…`);
    const touch = await runBatch(client, n, PROVISION_CLIENTS, (i) => ({
      path: '/graphql',
      host: provisionDomain(slugs[i]),
      body: { query: TENANT_NAME_QUERY },
      ok: servedOk(slugs[i]),
    }));
    log(`  first request per tenant: ${describeBatch(touch, 'served')}`);
    return {
      tenants: n,
      clients: PROVISION_CLIENTS,
      slugs: { first: slugs[0], last: slugs[n - 1] },
      create,
      touch,
      catalogPage: {
        host: page.host,
        before,
        after,
        ratio: relativeChange(after.reqPerSec, before.reqPerSec),
      },
      rssKb: {
        before: rssBefore,
        afterCreate: rssAfterCreate,
        afterTouch: readRssKb(api.child.pid),
      },
    };
  } finally {
    client.close();
  }
}

function readRssKb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return parseVmRssKb(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null; // Not Linux, or the process is gone.
  }
}

async function bench(
  flags: BenchFlags,
  scenarios: Scenario[],
  orderFlow: boolean,
  importPrices: boolean,
  provisioning: boolean,
  paths: Paths,
  res: Resources,
) {
  const date = new Date();
  log(
    `Vitrine bench: ${scenarios.length + (orderFlow ? 1 : 0) + (importPrices ? 1 : 0) + (provisioning ? 1 : 0)} scenario(s), ${flags.duration} s × ` +
      [
        ...(scenarios.length > 0 || provisioning ? [`${flags.connections} connections`] : []),
        ...(orderFlow ? [`${flags.buyers} buyers (order-flow)`] : []),
      ].join(' or ') +
      ` each against the ceiling and the API${provisioning ? ' (provisioning: before and after, no ceiling)' : ''}; ${flags.products} products, ${flags.tenants} extra tenants`,
  );
  const api = await startApi(flags, paths, res);
  const ctx = scenarioContext(flags, api);
  const rows: ScenarioRow[] = [];
  // Sequential on purpose: two cores are shared by the load generator and the server.
  for (const s of scenarios) rows.push(await runScenario(s, flags, api, paths, res, ctx));
  // After the request scenarios: its orders change stock and carts, never what they read.
  if (orderFlow) rows.push(await runOrderFlow(flags, api, paths, res, ctx));
  // Last with the API up: the tenants it creates stay, and would change what the others measure.
  let provisioned: ProvisioningResult | null = null;
  let provisioningFailed = false;
  if (provisioning) {
    try {
      provisioned = await runProvisioning(flags, api, ctx);
    } catch (e) {
      provisioningFailed = true;
      log(`  FAIL: ${(e as Error).message}`);
    }
  }
  const apiRssKb = readRssKb(api.child.pid);
  await res.stop(api.child);
  // Imports run with the API stopped: the CLI opens the same database (PGlite allows one process).
  const imports: ImportScenarioResult[] = [];
  if (importPrices) {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-bench-import-'));
    res.addPath(dir);
    imports.push(
      await benchPriceImport({
        rows: flags.importRows,
        products: flags.products,
        cliMain: paths.cliMain,
        root: paths.root,
        env: {
          ...process.env,
          ...(api.dataDir !== null ? { VITRINE_DATA_DIR: api.dataDir } : {}),
          AUTH_TOKEN_SECRET: api.tokenSecret,
        },
        file: join(dir, 'contract-prices.csv'),
        log,
      }),
    );
    res.removePath(dir);
  }

  const cpuList = cpus();
  const commit = git(paths.root, ['rev-parse', '--short', 'HEAD']);
  const status = commit === null ? null : git(paths.root, ['status', '--porcelain', '-uno']);
  const report: BenchReport = {
    date: date.toISOString(),
    commit,
    dirty: status === null ? null : status.length > 0,
    node: process.version,
    platform: `${platform()} ${process.arch}`,
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', count: cpuList.length },
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    flags: {
      products: flags.products,
      tenants: flags.tenants,
      duration: flags.duration,
      connections: flags.connections,
      scenarios: [
        ...scenarios.map((s) => s.name),
        ...(orderFlow ? [ORDER_FLOW_SCENARIO] : []),
        ...imports.map((i) => i.name),
        ...(provisioning ? [PROVISION_SCENARIO] : []),
      ],
      ...(orderFlow ? { buyers: flags.buyers } : {}),
      ...(importPrices ? { importRows: flags.importRows } : {}),
      ...(provisioning ? { provision: flags.provision } : {}),
    },
    database: api.database,
    redis: api.redis,
    apiRssKb,
    startupSeconds: api.startupSeconds,
    scenarios: rows,
    ...(importPrices ? { imports } : {}),
    ...(provisioned ? { provisioning: provisioned } : {}),
  };

  if (rows.length > 0) process.stdout.write(`\n${formatTable(rows)}\n\n`);
  for (const r of rows) if (r.flow) process.stdout.write(`${formatFlow(r)}\n\n`);
  for (const i of imports) process.stdout.write(`\n${formatImport(i)}\n\n`);
  if (provisioned) process.stdout.write(`\n${formatProvisioning(provisioned)}\n\n`);
  const rss = apiRssKb === null ? 'unknown' : `${Math.round(apiRssKb / 1024)} MB`;
  process.stdout.write(
    `database ${report.database}, redis ${report.redis ? 'yes' : 'no'}, API RSS after run ${rss}, ` +
      `commit ${commit ?? 'unknown'}${report.dirty ? ' (dirty)' : ''}, node ${report.node}, ` +
      `${report.cpu.count} × ${report.cpu.model}\n`,
  );
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const outFile =
    flags.out !== null ? resolve(flags.out) : join(paths.results, reportFileName(date));
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, json);
  const latest = join(paths.results, 'latest.json');
  writeFileSync(latest, json);
  const shown = (file: string): string => relative(process.cwd(), file) || file;
  process.stdout.write(`report: ${shown(outFile)} and ${shown(latest)}\n`);
  if (api.dataDir !== null && flags.keep) {
    process.stdout.write(`data kept in ${api.dataDir} (reuse it with --data-dir)\n`);
  }
  return { rows, imports, provisioningFailed };
}

/** Runs the benchmark; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let flags: BenchFlags;
  let scenarios: Scenario[];
  let importPrices: boolean;
  let orderFlow: boolean;
  let provisioning: boolean;
  try {
    flags = parseFlags(argv);
    // import-prices is not an HTTP scenario: it runs only when named. order-flow is not a single
    // request either: it runs after the request scenarios, when all run or when named.
    const named = flags.scenarios.length > 0;
    importPrices = flags.scenarios.includes(IMPORT_SCENARIO);
    orderFlow = !named || flags.scenarios.includes(ORDER_FLOW_SCENARIO);
    // provisioning creates tenants that stay in the database: it runs only when named.
    provisioning = flags.scenarios.includes(PROVISION_SCENARIO);
    const http = flags.scenarios.filter(
      (n) => n !== IMPORT_SCENARIO && n !== ORDER_FLOW_SCENARIO && n !== PROVISION_SCENARIO,
    );
    scenarios = named && http.length === 0 ? [] : selectScenarios(SCENARIOS, http);
  } catch (e) {
    log(`${(e as Error).message}\n`);
    if (e instanceof FlagError) log(HELP);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const root = repoRoot(__dirname);
  const paths: Paths = {
    root,
    apiMain: resolve(__dirname, '..', 'apps', 'api', 'src', 'main.js'),
    cliMain: resolve(__dirname, '..', 'apps', 'cli', 'src', 'main.js'),
    ceilingMain: join(__dirname, 'ceiling.js'),
    results: join(root, 'bench', 'results'),
    apiLog: join(root, 'bench', 'results', 'api.log'),
  };
  for (const file of [paths.apiMain, paths.ceilingMain]) {
    if (!existsSync(file)) {
      log(`${file} not found: build first (npm run build), then run dist/bench/run.js`);
      return 2;
    }
  }
  mkdirSync(paths.results, { recursive: true });

  const res = new Resources();
  const interrupted = (signal: NodeJS.Signals, code: number) => () => {
    log(`\n${signal}: stopping the API and cleaning up…`);
    void res.release().finally(() => process.exit(code));
  };
  process.once('SIGINT', interrupted('SIGINT', 130));
  process.once('SIGTERM', interrupted('SIGTERM', 143));
  try {
    const { rows, imports, provisioningFailed } = await bench(
      flags,
      scenarios,
      orderFlow,
      importPrices,
      provisioning,
      paths,
      res,
    );
    // Functional failures (not timings) fail the command, so CI notices a broken scenario.
    return provisioningFailed || [...rows, ...imports].some((r) => r.status === 'failed') ? 1 : 0;
  } catch (e) {
    log(`\nbench failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await res.release();
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
