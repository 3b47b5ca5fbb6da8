import { VitrineError } from '@vitrine/errors';
import { kpiPeriod, share } from './kpi-period';

const d = (iso: string) => new Date(iso);

describe('kpiPeriod', () => {
  it('charts up to 92 days per day and longer periods per week', () => {
    expect(kpiPeriod(d('2025-01-01T00:00:00Z'), d('2025-04-03T00:00:00Z')).granularity).toBe('DAY');
    expect(kpiPeriod(d('2025-01-01T00:00:00Z'), d('2025-04-03T00:00:00.001Z')).granularity).toBe(
      'WEEK',
    );
  });

  it('accepts exactly two years and refuses a millisecond more', () => {
    expect(kpiPeriod(d('2024-02-29T12:00:00Z'), d('2026-03-01T12:00:00Z')).granularity).toBe(
      'WEEK',
    );
    expect(() => kpiPeriod(d('2024-03-01T00:00:00Z'), d('2026-03-01T00:00:00.001Z'))).toThrow(
      'longer than two years',
    );
  });

  it.each([
    ['equal', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['reversed', '2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['invalid', 'not a date', '2025-01-01T00:00:00Z'],
  ])('refuses %s bounds with BAD_USER_INPUT', (_what, from, to) => {
    try {
      kpiPeriod(d(from), d(to));
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(VitrineError);
      expect((e as VitrineError).code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('share', () => {
  it('is null of nothing and a fraction otherwise', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(0, 4)).toBe(0);
    expect(share(1, 4)).toBe(0.25);
  });
});
