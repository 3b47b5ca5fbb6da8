import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles per attempt between half and the whole window', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(2, 1000, 60_000, () => 1)).toBe(2000);
    expect(backoffDelay(4, 1000, 60_000, () => 0.5)).toBe(6000);
  });

  it('is capped at the maximum, also for absurd attempt counts', () => {
    expect(backoffDelay(10, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(5000, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('spreads events that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1000, 60_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 2000 && d <= 4000).toBe(true);
  });

  it('refuses an attempt number below one', () => {
    expect(() => backoffDelay(0, 1000, 60_000)).toThrow(RangeError);
  });
});
