import { shuttingDownGauge } from './metrics';

/** One dependency /readyz checks. */
export interface ReadinessCheck {
  name: string;
  /** Whether a failure makes the process not ready (false: reported as degraded only). */
  required: boolean;
  check(): Promise<unknown>;
}

export interface CheckResult {
  ok: boolean;
  required: boolean;
  ms: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  body: {
    status: 'ready' | 'degraded' | 'unavailable' | 'shutting-down';
    checks: Record<string, CheckResult>;
  };
}

/**
 * Readiness of one process: every check runs with a short timeout, in parallel; a required
 * check that fails or times out makes the process unavailable, an optional one (Redis: the API
 * serves from the database without it) only degraded. Once shutdown started the process is
 * never ready again, so load balancers stop sending it new requests while it drains.
 */
export class Readiness {
  private draining = false;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly timeoutMs: number,
  ) {}

  get shuttingDown(): boolean {
    return this.draining;
  }

  /** From now on /readyz answers 503 shutting-down. */
  startShutdown(): void {
    this.draining = true;
    shuttingDownGauge.set(1);
  }

  async report(): Promise<ReadinessReport> {
    const results = await Promise.all(this.checks.map((c) => this.run(c)));
    const checks = Object.fromEntries(this.checks.map((c, i) => [c.name, results[i]]));
    if (this.draining) return { ready: false, body: { status: 'shutting-down', checks } };
    const requiredFailed = results.some((r) => r.required && !r.ok);
    const anyFailed = results.some((r) => !r.ok);
    return {
      ready: !requiredFailed,
      body: {
        status: requiredFailed ? 'unavailable' : anyFailed ? 'degraded' : 'ready',
        checks,
      },
    };
  }

  private async run(check: ReadinessCheck): Promise<CheckResult> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        check.check(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.timeoutMs} ms`)),
            this.timeoutMs,
          );
        }),
      ]);
      return { ok: true, required: check.required, ms: elapsed(started) };
    } catch (err) {
      return {
        ok: false,
        required: check.required,
        ms: elapsed(started),
        error: err instanceof Error ? err.message : String(err),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}
