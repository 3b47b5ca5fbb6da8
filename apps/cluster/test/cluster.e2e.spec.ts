import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { httpRequest, type HttpResponse } from '@vitrine/testing';
import { findNginx, startCluster, type RunningCluster } from '../src/cluster';

const REPO = resolve(__dirname, '../../..');
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SLUG = 'cluster-e2e';
const DOMAIN = 'cluster-e2e.localhost';
const NAME_Q = encodeURIComponent('{ tenant { name } }');

async function postgresUp(): Promise<boolean> {
  const c = new Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function redisUp(): Promise<boolean> {
  const u = new URL(REDIS_URL);
  return new Promise((ok) => {
    const s = connect({ host: u.hostname, port: Number(u.port || 6379) }, () => {
      s.write('PING\r\n');
    });
    s.setTimeout(2000, () => (s.destroy(), ok(false)));
    s.once('data', (d) => (s.destroy(), ok(d.toString().startsWith('+PONG'))));
    s.once('error', () => ok(false));
  });
}

/** Why the cluster cannot run here, or null. Checked before Jest collects the tests. */
const nginx = findNginx();
const reason = !nginx
  ? 'nginx is not installed (apt-get install nginx-light; .ci/run installs it): the local cluster test is skipped'
  : null;

const call = (port: number, o: Parameters<typeof httpRequest>[1]): Promise<HttpResponse> =>
  httpRequest(port, o).catch((err: Error) => ({
    status: 0,
    headers: {},
    body: err.message,
    json: <T>() => ({}) as T,
  }));

/**
 * `npm run cluster:local`'s topology, end to end: real processes (compiled like `npm run build`)
 * over the machine's PostgreSQL (a database of the test's own) and Redis, two API instances, a
 * worker and nginx in front. What a deployment with several instances must hold: a tenant
 * created through one instance is served through the proxy by both, a cache invalidation made
 * on one instance is seen on the other, and an instance killed with SIGKILL costs no request
 * the proxy can retry.
 */
(reason ? describe.skip : describe)('local cluster (nginx, two API instances, a worker)', () => {
  let cluster: RunningCluster;
  const build = join(REPO, 'tmp', `cluster-e2e-${process.pid}`);
  const output: string[] = [];

  const admin = async <T>(port: number, query: string, variables: Record<string, unknown>) => {
    const res = await call(port, {
      host: cluster.adminHost,
      method: 'POST',
      path: '/admin/graphql',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${cluster.adminToken}`,
      },
      body: JSON.stringify({ query, variables }),
    });
    const doc = JSON.parse(res.body) as { data?: T; errors?: Array<{ message: string }> };
    if (res.status !== 200 || doc.errors) throw new Error(`admin: ${res.status} ${res.body}`);
    return doc.data as T;
  };

  /** The tenant's name (GraphQL over GET), or `HTTP <status> <code>`; the answering upstream. */
  const nameVia = async (port: number): Promise<{ name: string; upstream: string }> => {
    const res = await call(port, {
      host: `${DOMAIN}:${port}`,
      path: `/graphql?query=${NAME_Q}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    const upstream = String(res.headers['x-vitrine-upstream'] ?? '');
    try {
      const doc = JSON.parse(res.body) as {
        data?: { tenant: { name: string } };
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      if (res.status === 200 && doc.data) return { name: doc.data.tenant.name, upstream };
      return { name: `HTTP ${res.status} ${doc.errors?.[0]?.extensions?.code}`, upstream };
    } catch {
      return { name: `HTTP ${res.status}`, upstream };
    }
  };

  async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    while (!(await probe())) {
      if (Date.now() - start > ms) throw new Error(`not observed within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return Date.now() - start;
  }

  beforeAll(async () => {
    if (!(await postgresUp()) || !(await redisUp()))
      throw new Error(
        `the local cluster needs PostgreSQL (${SERVER_URL}) and Redis (${REDIS_URL}) running`,
      );
    const t0 = Date.now();
    execFileSync(
      join(REPO, 'node_modules/.bin/swc'),
      [
        'apps/api/src',
        'apps/worker/src',
        'apps/cli/src',
        'libs',
        '-d',
        build,
        '--config-file',
        '.swcrc',
        '--copy-files',
        '--quiet',
        '--ignore',
        '**/*.spec.ts',
      ],
      { cwd: REPO, stdio: 'inherit' },
    );
    const t1 = Date.now();
    cluster = await startCluster({
      root: REPO,
      dist: build,
      workDir: join(build, 'cluster'),
      serverUrl: SERVER_URL,
      redisUrl: REDIS_URL,
      database: `vitrine_cluster_e2e_${process.pid}`,
      fresh: true,
      dropOnStop: true,
      cachePrefix: `vitrine-cluster-e2e-${process.pid}:`,
      proxyPort: 0,
      apiPorts: [0, 0],
      logLevel: 'warn',
      nginx: nginx!,
      onLine: (name, line) => output.push(`[${name}] ${line}`),
    });
    process.stderr.write(
      `cluster: compiled and started in ${((Date.now() - t0) / 1000).toFixed(1)} s (compile ${((t1 - t0) / 1000).toFixed(1)} s)\n`,
    );
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(build, { recursive: true, force: true });
    // The processes' output helps only when something failed; errors and warnings are kept short.
    const noisy = output.filter((l) => /error|warn/i.test(l));
    if (noisy.length) process.stderr.write(`${noisy.slice(-20).join('\n')}\n`);
  }, 30_000);

  it('serves a tenant created through the admin API of one instance through the proxy, from both instances', async () => {
    const [a, b] = cluster.apis;
    const created = await admin<{ createTenant: { slug: string } }>(
      a.port,
      `mutation($i: CreateTenantInput!) { createTenant(input: $i) { slug } }`,
      {
        i: {
          slug: SLUG,
          name: 'Cluster Test B.V.',
          status: 'ACTIVE',
          domains: [DOMAIN],
          locales: ['en'],
          currency: 'EUR',
          publicBrowsing: true,
        },
      },
    );
    expect(created.createTenant.slug).toBe(SLUG);
    // Straight from the other instance, then through the proxy (round robin) until both answered.
    await within(1000, async () => (await nameVia(b.port)).name === 'Cluster Test B.V.');
    const upstreams = new Set<string>();
    for (let i = 0; i < 20 && upstreams.size < 2; i++) {
      const r = await nameVia(cluster.proxyPort);
      expect(r.name).toBe('Cluster Test B.V.');
      upstreams.add(r.upstream);
    }
    expect([...upstreams].sort()).toEqual(cluster.apis.map((x) => `127.0.0.1:${x.port}`).sort());
    // A microsite page too (Host passed through, port included).
    const page = await call(cluster.proxyPort, { host: `${DOMAIN}:${cluster.proxyPort}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Cluster Test B.V.');
  });

  it('carries a rename and a suspension made on one instance to the other within a second', async () => {
    const [a, b] = cluster.apis;
    expect((await nameVia(a.port)).name).toBe('Cluster Test B.V.'); // both caches warm
    expect((await nameVia(b.port)).name).toBe('Cluster Test B.V.');
    await admin(
      b.port,
      `mutation($s: String!, $i: UpdateTenantInput!) { updateTenant(slug: $s, input: $i) { slug } }`,
      {
        s: SLUG,
        i: { name: 'Cluster Test (renamed)' },
      },
    );
    const renamedMs = await within(
      1000,
      async () => (await nameVia(a.port)).name === 'Cluster Test (renamed)',
    );

    const status = `mutation($s: String!, $st: TenantStatus!) { setTenantStatus(slug: $s, status: $st) { status } }`;
    await admin(a.port, status, { s: SLUG, st: 'SUSPENDED' });
    const suspendedMs = await within(
      1000,
      async () => (await nameVia(b.port)).name === 'HTTP 403 TENANT_SUSPENDED',
    );
    for (let i = 0; i < 4; i++)
      expect((await nameVia(cluster.proxyPort)).name).toBe('HTTP 403 TENANT_SUSPENDED');
    await admin(b.port, status, { s: SLUG, st: 'ACTIVE' });
    await within(1000, async () => (await nameVia(a.port)).name === 'Cluster Test (renamed)');
    process.stderr.write(
      `cluster: rename seen on the other instance after ${renamedMs} ms, suspension after ${suspendedMs} ms\n`,
    );
  });

  it('loses no retryable request when an API instance is killed with SIGKILL', async () => {
    const [victim, survivor] = cluster.apis;
    const statuses = new Map<number, number>();
    let afterKill = 0;
    let killed = false;
    const stopAt = Date.now() + 3000;
    const killAt = Date.now() + 1000;
    // Eight clients in a loop of idempotent requests (GraphQL over GET and the home page).
    const client = async (n: number) => {
      for (let i = 0; Date.now() < stopAt; i++) {
        const res =
          (n + i) % 2
            ? await call(cluster.proxyPort, {
                host: DOMAIN,
                path: `/graphql?query=${NAME_Q}`,
                headers: { 'apollo-require-preflight': 'true' },
              })
            : await call(cluster.proxyPort, { host: DOMAIN });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (killed) afterKill++;
      }
    };
    const killer = (async () => {
      await new Promise((r) => setTimeout(r, killAt - Date.now()));
      victim.child.kill('SIGKILL');
      killed = true;
      await victim.exited;
    })();
    await Promise.all([killer, ...Array.from({ length: 8 }, (_, n) => client(n))]);
    const summary = Object.fromEntries(statuses);
    process.stderr.write(
      `cluster: GETs across the kill ${JSON.stringify(summary)}, ${afterKill} after it\n`,
    );
    expect(summary).toEqual({ 200: expect.any(Number) });
    expect(afterKill).toBeGreaterThan(10);

    // POSTs never sent to the dead instance (connection refused) are passed on too.
    const posts = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(cluster.proxyPort, {
          host: DOMAIN,
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ tenant { name } }' }),
        }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(posts.map(() => 200));
    expect(new Set(posts.map((p) => p.headers['x-vitrine-upstream']))).not.toContain(
      `127.0.0.1:${victim.port}`,
    );
    expect((await nameVia(survivor.port)).name).toBe('Cluster Test (renamed)');
  });
});

if (reason) test.skip(reason, () => undefined);
