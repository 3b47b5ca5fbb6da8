/**
 * Delay before the next attempt after `attempt` failed deliveries (1 = the first failure):
 * exponential from `baseMs`, capped at `maxMs`, with "equal jitter" — a random point in the
 * upper half of the window — so that events that failed together (an ERP endpoint that was down
 * for a minute) do not all come back in the same instant, yet never sooner than half the step.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new RangeError(`attempt must be a whole number ≥ 1, got ${attempt}`);
  // 2^(attempt-1) overflows to Infinity long before it matters; min() caps it.
  const window = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 52));
  return Math.round(window / 2 + random() * (window / 2));
}
