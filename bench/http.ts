import { request } from 'node:http';
import { createServer } from 'node:net';

/** Every request of the benchmark goes to the loopback interface, nowhere else. */
export const LOOPBACK = '127.0.0.1';

/** One request to a server on 127.0.0.1. */
export interface LoopbackRequest {
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/** A complete response, body buffered. */
export interface LoopbackResponse {
  status: number;
  contentType: string | null;
  body: Buffer;
}

/**
 * Sends one request with node:http. Not fetch: undici drops a user-set Host header, and the
 * Host header is what selects the tenant. A fresh connection (agent: false) keeps the process
 * free of idle sockets between phases.
 */
export function loopbackRequest(req: LoopbackRequest): Promise<LoopbackResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = request(
      { host: LOOPBACK, port: req.port, method: req.method, path: req.path, headers, agent: false },
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
    r.setTimeout(req.timeoutMs ?? 30_000, () =>
      r.destroy(new Error(`${req.method} ${req.path} timed out`)),
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * A TCP port that was free a moment ago on 127.0.0.1. Another process could take it before
 * the caller binds it; on a benchmark machine that race is accepted.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
