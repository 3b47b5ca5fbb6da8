/**
 * The "ceiling": a bare node:http server answering every request with the same bytes. It
 * shows what this machine and autocannon can do for a response of that size with no work
 * behind it, so API throughput can be read as a fraction of it.
 *
 * Run as its own process (`node dist/bench/ceiling.js <spec.json>`) so it does not share an
 * event loop with the load generator, just like the API. The spec file holds
 * {@link CeilingSpec}. Once listening it reports its port: over IPC when started with
 * child_process.fork, else as a JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** What the ceiling replays, written by the runner to a temporary file. */
export interface CeilingSpec {
  contentType: string | null;
  /** The response body, base64 so any bytes survive JSON. */
  bodyBase64: string;
  /** Port to listen on; 0 or absent: any free one. */
  port?: number;
}

/** The message a listening ceiling sends its parent. */
export interface CeilingReady {
  port: number;
}

function main(argv: readonly string[]): void {
  const specPath = argv[0];
  if (!specPath) {
    process.stderr.write('usage: node ceiling.js <spec.json>\n');
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as CeilingSpec;
  const body = Buffer.from(spec.bodyBase64, 'base64');
  // Precomputed once: the point is to measure nothing but HTTP and the socket.
  const headers: Record<string, string | number> = { 'content-length': body.length };
  if (spec.contentType !== null) headers['content-type'] = spec.contentType;

  const server = createServer((req, res) => {
    // Read the request body to its end, as the API must, before answering.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  server.listen(spec.port ?? 0, '127.0.0.1', () => {
    const address = server.address();
    const ready: CeilingReady = {
      port: typeof address === 'object' && address !== null ? address.port : 0,
    };
    if (process.send) process.send(ready);
    else process.stdout.write(`${JSON.stringify(ready)}\n`);
  });
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A runner that dies without cleaning up closes the IPC channel: do not outlive it.
  process.on('disconnect', stop);
}

if (require.main === module) main(process.argv.slice(2));
