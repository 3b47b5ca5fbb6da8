import { Readiness } from './readiness';

describe('Readiness', () => {
  const ok = { name: 'database', required: true, check: () => Promise.resolve() };

  it('is ready when every required check answers; an optional failure only degrades', async () => {
    const r = new Readiness(
      [ok, { name: 'redis', required: false, check: () => Promise.reject(new Error('ECONNREFUSED')) }],
      200,
    );
    const report = await r.report();
    expect(report.ready).toBe(true);
    expect(report.body.status).toBe('degraded');
    expect(report.body.checks.redis).toMatchObject({ ok: false, required: false, error: 'ECONNREFUSED' });
  });

  it('is unavailable when a required check fails or does not answer in time', async () => {
    const hung = { name: 'database', required: true, check: () => new Promise(() => undefined) };
    const started = Date.now();
    const report = await new Readiness([hung], 100).report();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.ready).toBe(false);
    expect(report.body).toMatchObject({
      status: 'unavailable',
      checks: { database: { ok: false, error: 'no answer within 100 ms' } },
    });
  });

  it('is never ready again once shutdown started', async () => {
    const r = new Readiness([ok], 100);
    expect((await r.report()).ready).toBe(true);
    r.startShutdown();
    expect(r.shuttingDown).toBe(true);
    expect(await r.report()).toMatchObject({ ready: false, body: { status: 'shutting-down' } });
  });
});
