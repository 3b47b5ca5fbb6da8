import { Logger } from '@nestjs/common';
import { createLogger, PinoNestLogger, prettyLine } from './logger';
import { withLogContext } from './request-context';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  };
}

describe('logger', () => {
  it('writes JSON lines with the unit of work’s reqId, tenant and user, secrets redacted', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', service: 'test', destination });
    withLogContext({ reqId: 'r-1', identify: () => ({ tenant: 'acme', user: 'u-7' }) }, () =>
      log.info({ headers: { authorization: 'Bearer abc' }, password: 'pw' }, 'signed in with Bearer abc'),
    );
    log.info('outside');
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'test',
      reqId: 'r-1',
      tenant: 'acme',
      user: 'u-7',
      headers: { authorization: '[REDACTED]' },
      password: '[REDACTED]',
      msg: 'signed in with Bearer [REDACTED]',
    });
    expect(typeof lines[0].time).toBe('string');
    expect(lines[1].reqId).toBeUndefined();
  });

  it('routes Nest’s Logger to pino with the context name, errors with their stack', () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger({ level: 'debug', service: 'test', destination }));
    Logger.overrideLogger(nest);
    try {
      withLogContext({ reqId: 'r-2', tenant: 'acme' }, () => {
        new Logger('Orders').log('placed');
        new Logger('Orders').error(new Error('boom'));
        new Logger('Orders').error('failed', 'Error: x\n    at f (a.ts:1:1)');
        new Logger('Orders').verbose('hidden at debug');
      });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(lines[0]).toMatchObject({ level: 'info', context: 'Orders', msg: 'placed', reqId: 'r-2', tenant: 'acme' });
    expect(lines[1]).toMatchObject({ level: 'error', context: 'Orders', msg: 'boom' });
    expect(String((lines[1].err as { stack: string }).stack)).toContain('Error: boom');
    expect(lines[2]).toMatchObject({ level: 'error', msg: 'failed', stack: expect.stringContaining('at f') });
    expect(lines).toHaveLength(3);
  });

  it('pretty format is one readable line', () => {
    const line = prettyLine(
      JSON.stringify({ level: 'info', time: '2026-01-01T12:00:01.234Z', msg: 'hi', context: 'Boot', reqId: 'r' }),
    );
    expect(line).toBe('12:00:01.234 INFO  [Boot] hi  reqId=r\n');
  });
});
