import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startCluster, type RunningCluster } from './cluster';

/**
 * `npm run cluster:local` — the deployment topology of docs/deployment.md as local processes:
 * PostgreSQL and Redis of this machine, migrations, two API instances, a worker and nginx in
 * front. Prints the URLs and runs until Ctrl-C (SIGINT) or SIGTERM, then stops everything.
 */
const port = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number');
  return n;
};

const program = new Command('cluster:local')
  .description(
    'Run the production topology locally: migrations, N API instances, a worker and nginx in front (compiled code: npm run build first)',
  )
  .option(
    '--port <n>',
    'the proxy port (every host: tenant domains and the admin host)',
    port,
    8080,
  )
  .option('--api-ports <list>', 'one port per API instance', '3101,3102')
  .option(
    '--database <name>',
    "the cluster's own database on DATABASE_URL's server",
    'vitrine_cluster',
  )
  .option('--fresh', 'drop and create the database first')
  .option('--no-seed', 'do not seed the demo into a new database')
  .option('--products <n>', 'demo variants seeded into a new database', '1000')
  .option('--node-env <env>', 'production or development (demo passwords)', 'production')
  .option('--log-level <level>', 'LOG_LEVEL of every process', 'info')
  .addHelpText(
    'after',
    `
Environment: DATABASE_URL (a server the cluster creates its database on; default
postgres://postgres@127.0.0.1:5432/postgres), REDIS_URL (default redis://127.0.0.1:6379),
NGINX_BIN (default: nginx on PATH or /usr/sbin/nginx); any other setting of docs/configuration
passes through to every process. Files: .vitrine/cluster/ (nginx.conf, logs, spool, mailbox).

Examples:
  npm run cluster:local
  npm run cluster:local -- --fresh --port 8088
  curl -H 'Host: jansen-bouw.localhost' http://127.0.0.1:8080/readyz
`,
  );

async function main(): Promise<void> {
  program.parse(process.argv);
  const opts = program.opts<{
    port: number;
    apiPorts: string;
    database: string;
    fresh?: boolean;
    seed: boolean;
    products: string;
    nodeEnv: string;
    logLevel: string;
  }>();
  const apiPorts = opts.apiPorts.split(',').map((p) => port(p.trim()));
  if (opts.nodeEnv !== 'production' && opts.nodeEnv !== 'development')
    throw new InvalidArgumentError('--node-env: production or development');

  const started = Date.now();
  process.stderr.write('Starting the cluster (migrations, API instances, worker, nginx)…\n');
  const cluster = await startCluster({
    root: process.cwd(),
    dist: resolve(__dirname, '../../..'),
    proxyPort: opts.port,
    apiPorts,
    database: opts.database,
    fresh: opts.fresh ?? false,
    seed: opts.seed ? { products: Number(opts.products) } : null,
    nodeEnv: opts.nodeEnv as 'production' | 'development',
    logLevel: opts.logLevel,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping nginx, the API instances and the worker…\n`);
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // A process of the cluster that dies is reported (the proxy keeps serving from the others).
  for (const p of [...cluster.apis, cluster.worker, cluster.nginx])
    void p.exited.then(() => {
      if (!stopping)
        process.stderr.write(
          `!! ${p.name} exited (${p.child.exitCode ?? p.child.signalCode}); Ctrl-C stops the rest\n`,
        );
    });
  process.stdout.write(await banner(cluster, Date.now() - started));
}

async function banner(c: RunningCluster, ms: number): Promise<string> {
  let domains: string[] = [];
  const client = new Client({ connectionString: c.databaseUrl });
  try {
    await client.connect();
    const rows = await client.query<{ domain: string }>(
      `SELECT d.domain FROM tenant_domain d JOIN tenant t ON t.id = d.tenant_id
        WHERE t.status = 'ACTIVE' ORDER BY d.domain LIMIT 20`,
    );
    domains = rows.rows.map((r) => r.domain);
  } catch {
    // the list is a courtesy
  } finally {
    await client.end().catch(() => undefined);
  }
  const p = c.proxyPort;
  return `
Vitrine cluster ready in ${(ms / 1000).toFixed(1)} s — every host through nginx at ${c.proxyUrl}
  proxy      http://<any tenant domain>:${p}/   (*.localhost names resolve to this machine)
  admin      http://${c.adminHost}:${p}/admin/graphql   and the admin pages at http://${c.adminHost}:${p}/admin
${c.apis.map((a) => `  ${a.name.padEnd(10)} ${a.url}   (direct; pid ${a.child.pid}; metrics :${a.metricsPort}/metrics)`).join('\n')}
  worker     pid ${c.worker.child.pid} (outbox: e-mail to ${c.env.MAILBOX_DIR}, ERP files to ${c.env.ERP_DROP_DIR})
  nginx      ${c.workDir}/nginx/nginx.conf (logs beside it)
  database   ${c.databaseUrl.replace(/\/\/[^@/]*@/, '//')}
${domains.length ? `Sites:\n${domains.map((d) => `  http://${d}:${p}/`).join('\n')}\n` : ''}
Admin token (12 h):
  ${c.adminToken}
Ctrl-C stops everything.
`;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
