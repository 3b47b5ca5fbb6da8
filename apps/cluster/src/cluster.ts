import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { Client } from 'pg';
import { renderNginxConfig } from './nginx-config';

/**
 * The production topology as local processes: the machine's PostgreSQL (a database of the
 * cluster's own) and Redis, migrations run once before anything serves, two (or more) API
 * instances on their own ports with OUTBOX_WORKER=off, one worker delivering the outbox, and
 * nginx in front on one port. What docker/compose.yaml and docker/k8s/ describe, without a
 * container engine. Runs the compiled code (`npm run build` → dist/).
 */
export interface ClusterOptions {
  /** The repository: working directory of every process (tenants/ lives there). */
  root: string;
  /** Compiled code (default `<root>/dist`): apps/{api,worker,cli}/src/main.js under it. */
  dist?: string;
  /** Folder for the nginx config, logs, spool and drop folders (default `<root>/.vitrine/cluster`). */
  workDir?: string;
  /** A PostgreSQL URL used to create the cluster's database (default DATABASE_URL or local postgres). */
  serverUrl?: string;
  /** The cluster's database name (default `vitrine_cluster`). */
  database?: string;
  /** Drop and create the database first. */
  fresh?: boolean;
  /** Drop the database when the cluster stops (tests). */
  dropOnStop?: boolean;
  /** Default REDIS_URL or redis://127.0.0.1:6379. `null`: run without Redis (no cross-instance bus!). */
  redisUrl?: string | null;
  /** Namespace of the cluster's Redis keys and channels (default `vitrine-cluster:`). */
  cachePrefix?: string;
  /** The proxy's port (default 8080; 0: any free port). */
  proxyPort?: number;
  /** One port per API instance (default [3101, 3102]; 0: any free port). */
  apiPorts?: number[];
  adminHost?: string;
  nodeEnv?: 'production' | 'development';
  logLevel?: string;
  /** Seed the demo catalog and tenants/ after migrating (`vitrine seed --products N`). */
  seed?: { products: number } | null;
  /** Extra environment for every process (wins over the cluster's own). */
  env?: Record<string, string>;
  /** The nginx binary (default: NGINX_BIN, then `nginx` on PATH or in /usr/sbin). */
  nginx?: string;
  /** Add X-Vitrine-Upstream (which instance answered) to every answer. Default true. */
  revealUpstream?: boolean;
  /** The login role the processes connect as, when the code supports two roles (default `vitrine_cluster_runtime`). */
  runtimeRole?: string;
  /** Where the processes' output goes, a line at a time with the process's name. */
  onLine?: (name: string, line: string) => void;
}

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited (code or signal). */
  exited: Promise<void>;
}

export interface RunningCluster {
  /** http://127.0.0.1:<proxy port> */
  proxyUrl: string;
  proxyPort: number;
  /** One per API instance: name (api-1 …), port, direct URL, metrics port, process. */
  apis: Array<ClusterProcess & { port: number; url: string; metricsPort: number }>;
  worker: ClusterProcess;
  nginx: ClusterProcess;
  adminHost: string;
  /** A SUPER_ADMIN bootstrap token (12 h) for /admin/graphql on the admin host. */
  adminToken: string;
  /** The cluster's database (the owner's connection). */
  databaseUrl: string;
  workDir: string;
  /** The environment every process got (secrets included: keep it out of logs). */
  env: Record<string, string>;
  /** Stops nginx, the APIs and the worker (SIGTERM, then SIGKILL after 10 s); idempotent. */
  stop(): Promise<void>;
}

/** The nginx binary, or null when there is none. */
export function findNginx(explicit = process.env.NGINX_BIN): string | null {
  const candidates = explicit
    ? [explicit]
    : [
        ...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'nginx')),
        '/usr/sbin/nginx',
        '/usr/local/sbin/nginx',
        '/usr/local/nginx/sbin/nginx',
      ];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // next
    }
  }
  return null;
}

/** A port nobody listens on right now (the OS's choice). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/** GET `url` with an optional Host header; the status, or 0 when nothing answered. */
export function httpStatus(url: string, host?: string, timeoutMs = 2000): Promise<number> {
  return new Promise((ok) => {
    const req = request(url, { headers: host ? { host } : {}, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => ok(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => ok(0));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function databaseUrlFor(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function ensureDatabase(
  serverUrl: string,
  database: string,
  fresh: boolean,
): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database))
    throw new Error(`cluster: database name "${database}": lowercase letters, digits, underscores`);
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${database}"`);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * The two-role setup of docs/isolation.md, when the compiled code knows it (DATABASE_MIGRATION_URL):
 * the processes connect as a login role that owns nothing and has no BYPASSRLS; migrations run
 * as the server URL's user (the owner) and grant the runtime role its privileges.
 */
async function runtimeRoleUrls(
  dist: string,
  serverUrl: string,
  databaseUrl: string,
  role: string,
): Promise<Record<string, string>> {
  const configJs = join(dist, 'libs/platform/config/src/config.js');
  if (!existsSync(configJs) || !readFileSync(configJs, 'utf8').includes('DATABASE_MIGRATION_URL'))
    return { DATABASE_URL: databaseUrl };
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!found.rowCount)
      await client
        .query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`)
        .catch((err: { code?: string }) => {
          if (err.code !== '42710') throw err; // created meanwhile by another cluster
        });
  } finally {
    await client.end();
  }
  const runtime = new URL(databaseUrl);
  runtime.username = role;
  runtime.password = new URL(serverUrl).password;
  return {
    DATABASE_URL: runtime.toString(),
    DATABASE_MIGRATION_URL: databaseUrl,
    DATABASE_RUNTIME_ROLE: role,
  };
}

async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Starts the whole cluster and resolves once the proxy serves /readyz; rejects (cleaned up) otherwise. */
export async function startCluster(o: ClusterOptions): Promise<RunningCluster> {
  const root = resolve(o.root);
  const dist = resolve(root, o.dist ?? 'dist');
  const workDir = resolve(root, o.workDir ?? '.vitrine/cluster');
  const nginxBin = o.nginx ?? findNginx();
  if (!nginxBin) throw new Error('cluster: nginx not found (install it, or set NGINX_BIN)');
  for (const app of ['api', 'worker', 'cli'])
    if (!existsSync(join(dist, `apps/${app}/src/main.js`)))
      throw new Error(`cluster: ${dist}/apps/${app}/src/main.js missing — run \`npm run build\``);

  const serverUrl =
    o.serverUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = o.database ?? 'vitrine_cluster';
  const databaseUrl = databaseUrlFor(serverUrl, database);
  const redisUrl =
    o.redisUrl === undefined ? (process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : o.redisUrl;
  const adminHost = o.adminHost ?? 'admin.localhost';
  const proxyPort = o.proxyPort === 0 ? await freePort() : (o.proxyPort ?? 8080);
  const apiPorts = await Promise.all(
    (o.apiPorts ?? [3101, 3102]).map((p) => (p === 0 ? freePort() : Promise.resolve(p))),
  );
  const line = o.onLine ?? ((name, l) => process.stderr.write(`[${name}] ${l}\n`));

  const nginxDir = join(workDir, 'nginx');
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(join(nginxDir, d), { recursive: true });

  const created = await ensureDatabase(serverUrl, database, o.fresh ?? false);
  const roles = await runtimeRoleUrls(
    dist,
    serverUrl,
    databaseUrl,
    o.runtimeRole ?? 'vitrine_cluster_runtime',
  );
  // Prometheus /metrics of each process on a port of its own (all would take 9464 otherwise).
  const metricsPorts = await Promise.all(apiPorts.map(() => freePort()));
  const workerMetricsPort = await freePort();

  // One environment for every process: what makes them one installation.
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: o.nodeEnv ?? 'production',
    LOG_LEVEL: o.logLevel ?? 'info',
    ...roles,
    CACHE_PREFIX: o.cachePrefix ?? 'vitrine-cluster:',
    ADMIN_HOST: adminHost,
    // nginx connects from the loopback: its X-Forwarded-Host/-For are believed from there only.
    TRUSTED_PROXIES: '127.0.0.1,::1',
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://{domain}:${proxyPort}`,
    OUTBOX_WORKER: 'off',
    VITRINE_SEED_ON_START: 'false',
    // Shared folders: an upload spooled by one instance is read by whichever runs the job;
    // e-mail and ERP files are written by the worker.
    VITRINE_DATA_DIR: join(workDir, 'data'),
    IMPORT_SPOOL_DIR: join(workDir, 'spool'),
    MAILBOX_DIR: join(workDir, 'mailbox'),
    ERP_DROP_DIR: join(workDir, 'erp-drop'),
    // Every instance must sign and check tokens alike; a fresh secret per cluster start.
    AUTH_TOKEN_SECRET: process.env.AUTH_TOKEN_SECRET ?? randomBytes(32).toString('hex'),
    ...o.env,
  };
  if (redisUrl) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;
  delete env.PORT;

  const processes: ClusterProcess[] = [];
  const launch = (
    name: string,
    file: string,
    args: string[],
    extra: Record<string, string> = {},
  ) => {
    const child = spawn(file, args, {
      cwd: root,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) if (l.length) line(name, l);
      });
      stream?.on('end', () => rest && line(name, rest));
    }
    const p: ClusterProcess = { name, child, exited };
    processes.push(p);
    return p;
  };
  /** Runs a CLI command to completion; its stdout, or an error with its output. */
  const cli = async (name: string, args: string[]): Promise<string> => {
    const child = spawn(process.execPath, [join(dist, 'apps/cli/src/main.js'), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0)
      throw new Error(`cluster: \`vitrine ${args.join(' ')}\` exited ${code}\n${err}${out}`);
    for (const l of err.split('\n')) if (l.trim()) line(name, l);
    return out;
  };

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      // The proxy first (no new requests), then the instances finish in-flight work.
      for (const p of [...processes].reverse()) {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const done = await Promise.race([
          p.exited.then(() => true),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000))),
        ]);
        clearTimeout(timer);
        if (!done) {
          p.child.kill('SIGKILL');
          await p.exited;
        }
      }
      if (o.dropOnStop) await dropDatabase(serverUrl, database).catch(() => undefined);
    })());

  try {
    // 1. Schema before anything serves (the migrations Job of docker/k8s, the `migrate` service of compose).
    await cli('migrate', ['db', 'migrate']);
    if (o.seed && (created || o.fresh))
      await cli('seed', ['seed', '--products', String(o.seed.products)]);
    // 2. The instances (and the token, minted meanwhile by the CLI against the same database).
    const tokenOut = cli('token', [
      'admin',
      'token',
      '--subject',
      'cluster@localhost',
      '--ttl',
      '12',
      '--json',
    ]);
    const apis = apiPorts.map((port, i) => ({
      ...launch(`api-${i + 1}`, process.execPath, [join(dist, 'apps/api/src/main.js')], {
        PORT: String(port),
        METRICS_PORT: String(metricsPorts[i]),
      }),
      port,
      url: `http://127.0.0.1:${port}`,
      metricsPort: metricsPorts[i],
    }));
    const worker = launch('worker', process.execPath, [join(dist, 'apps/worker/src/main.js')], {
      METRICS_PORT: String(workerMetricsPort),
    });
    await Promise.all(apis.map((a) => waitReady(a, `${a.url}/readyz`, 60_000)));
    const adminToken = (JSON.parse(await tokenOut) as { token: string }).token;
    if (worker.child.exitCode !== null) throw new Error('cluster: the worker exited at start');

    // 3. The proxy.
    const conf = join(nginxDir, 'nginx.conf');
    writeFileSync(
      conf,
      renderNginxConfig({
        listen: `127.0.0.1:${proxyPort}`,
        upstreams: apis.map((a) => `127.0.0.1:${a.port}`),
        prefix: nginxDir,
        revealUpstream: o.revealUpstream ?? true,
      }),
    );
    const test = spawnSync(
      nginxBin,
      ['-t', '-q', '-p', nginxDir, '-e', join(nginxDir, 'error.log'), '-c', conf],
      {
        encoding: 'utf8',
      },
    );
    if (test.status !== 0) throw new Error(`cluster: nginx -t refused ${conf}:\n${test.stderr}`);
    const nginx = launch('nginx', nginxBin, [
      '-p',
      nginxDir,
      '-e',
      join(nginxDir, 'error.log'),
      '-c',
      conf,
    ]);
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    await waitReady(nginx, `${proxyUrl}/readyz`, 10_000);

    return {
      proxyUrl,
      proxyPort,
      apis,
      worker,
      nginx,
      adminHost,
      adminToken,
      databaseUrl,
      workDir,
      env,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitReady(p: ClusterProcess, url: string, ms: number): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(
        `cluster: ${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready`,
      );
    if ((await httpStatus(url, undefined, 1000)) === 200) return;
    if (Date.now() - start > ms)
      throw new Error(`cluster: ${p.name} not ready at ${url} within ${ms} ms`);
    await sleep(100);
  }
}
