import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import type { Readiness } from './readiness';

export interface MetricsServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Prometheus scrape endpoint on its own port (METRICS_PORT, default 9464, bound to
 * METRICS_HOST): GET /metrics answers the default registry in the text format. It also answers
 * /healthz and /readyz (the worker has no other HTTP server; orchestrators may probe either).
 * Not on the public port: metrics name routes, error codes and tenants.
 */
export async function startMetricsServer(options: {
  port: number;
  host: string;
  readiness?: Readiness;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    if (path === '/metrics') {
      register.metrics().then(
        (text) => send(200, register.contentType, text),
        (err: unknown) => send(500, 'text/plain; charset=utf-8', `${String(err)}\n`),
      );
      return;
    }
    if (path === '/healthz') return send(200, 'application/json', '{"status":"ok"}');
    if (path === '/readyz' && options.readiness) {
      options.readiness.report().then(
        ({ ready, body }) => send(ready ? 200 : 503, 'application/json', JSON.stringify(body)),
        (err: unknown) => send(503, 'application/json', JSON.stringify({ error: String(err) })),
      );
      return;
    }
    send(404, 'text/plain; charset=utf-8', 'Not found: GET /metrics, /healthz, /readyz\n');
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
