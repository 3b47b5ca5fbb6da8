import type { Logger } from 'pino';
import type { Readiness } from './readiness';

export interface GracefulShutdownOptions {
  log: Logger;
  /** Longest time from the signal to the end of draining and closing (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  /**
   * Time between turning /readyz to 503 and closing the listener (SHUTDOWN_DELAY_MS): lets a
   * load balancer notice before connections are refused. 0 by default.
   */
  delayMs: number;
  readiness?: Readiness;
  /** Stops accepting connections; resolves once the requests in flight are answered. */
  drain?: () => Promise<void>;
  /** Closes the rest: application hooks (outbox loop), database, Redis, metrics server. */
  close: () => Promise<void>;
  /** Ends whatever connections are left when the grace period runs out. */
  force?: () => void;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
}

export type ShutdownOutcome = 'clean' | 'timeout' | 'failed';

/**
 * SIGTERM/SIGINT: not ready any more (503 on /readyz), stop accepting, let the requests in
 * flight finish, close the database and Redis, exit 0 — or exit 1 when the grace period runs
 * out (remaining connections ended) or closing fails. A second signal exits 1 at once.
 * Returns `shutdown` for tests that drive it without a signal.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): {
  shutdown(signal: string): Promise<ShutdownOutcome>;
} {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<ShutdownOutcome> | null = null;

  const run = async (signal: string): Promise<ShutdownOutcome> => {
    const { log } = options;
    log.info({ signal, graceMs: options.graceMs }, 'shutting down: draining requests in flight');
    options.readiness?.startShutdown();
    if (options.delayMs > 0) await sleep(options.delayMs);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.graceMs);
      timer.unref();
    });
    const work = (async () => {
      const started = Date.now();
      await options.drain?.();
      log.info({ ms: Date.now() - started }, 'stopped accepting; requests in flight answered');
      await options.close();
      return 'clean' as const;
    })();
    try {
      const outcome = await Promise.race([work, deadline]);
      if (outcome === 'timeout') {
        log.error({ graceMs: options.graceMs }, 'grace period over: ending remaining connections');
        options.force?.();
        return 'timeout';
      }
      log.info('shut down cleanly');
      return 'clean';
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  };

  const shutdown = (signal: string): Promise<ShutdownOutcome> => {
    if (running) return running;
    running = run(signal).then((outcome) => {
      options.log.flush?.();
      exit(outcome === 'clean' ? 0 : 1);
      return outcome;
    });
    return running;
  };

  for (const signal of options.signals ?? (['SIGTERM', 'SIGINT'] as const)) {
    process.on(signal, () => {
      if (running) {
        options.log.warn({ signal }, 'second signal: exiting now');
        options.log.flush?.();
        exit(1);
        return;
      }
      void shutdown(signal);
    });
  }
  return { shutdown };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
