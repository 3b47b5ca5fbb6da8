import { addDays, isDate, localDateTime, localMidnight, localToday } from './local-dates';

describe('local dates of a tenant', () => {
  it('finds local midnight across DST changes', () => {
    const ams = 'Europe/Amsterdam';
    expect(localMidnight('2031-03-01', ams).toISOString()).toBe('2031-02-28T23:00:00.000Z');
    // 30 March 2031: clocks go forward at 02:00; midnight is still CET.
    expect(localMidnight('2031-03-30', ams).toISOString()).toBe('2031-03-29T23:00:00.000Z');
    expect(localMidnight('2031-03-31', ams).toISOString()).toBe('2031-03-30T22:00:00.000Z');
    // 26 October 2031: back to CET.
    expect(localMidnight('2031-10-26', ams).toISOString()).toBe('2031-10-25T22:00:00.000Z');
    expect(localMidnight('2031-10-27', ams).toISOString()).toBe('2031-10-26T23:00:00.000Z');
    expect(localMidnight('2031-06-01', 'America/New_York').toISOString()).toBe(
      '2031-06-01T04:00:00.000Z',
    );
    expect(localMidnight('2031-06-01', 'UTC').toISOString()).toBe('2031-06-01T00:00:00.000Z');
  });

  it('reads today on the local wall clock', () => {
    const late = new Date('2031-03-07T23:30:00Z');
    expect(localToday('Europe/Amsterdam', late)).toBe('2031-03-08');
    expect(localToday('UTC', late)).toBe('2031-03-07');
  });

  it('adds calendar days and checks dates', () => {
    expect(addDays('2031-03-01', -1)).toBe('2031-02-28');
    expect(addDays('2032-02-28', 1)).toBe('2032-02-29');
    expect(addDays('2031-12-31', 1)).toBe('2032-01-01');
    expect(isDate('2031-02-29')).toBe(false);
    expect(isDate('2031-2-01')).toBe(false);
    expect(isDate('2032-02-29')).toBe(true);
    expect(() => localMidnight('yesterday', 'UTC')).toThrow(/not a date/);
  });

  it('writes an instant on the local wall clock, DST included', () => {
    const ams = 'Europe/Amsterdam';
    expect(localDateTime(new Date('2031-03-07T23:30:00Z'), ams)).toBe('2031-03-08 00:30');
    expect(localDateTime(new Date('2031-07-01T10:05:00Z'), ams)).toBe('2031-07-01 12:05');
    expect(localDateTime(new Date('2031-07-01T00:00:00Z'), 'UTC')).toBe('2031-07-01 00:00');
    expect(localDateTime(new Date('2031-07-01T03:59:00Z'), 'America/New_York')).toBe(
      '2031-06-30 23:59',
    );
  });
});
