import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { startMetricsServer, type MetricsServer } from '@vitrine/observability';
import { gql, httpRequest, type TestDatabase } from '@vitrine/testing';
import { createApp } from '../src/bootstrap';
import { companyUser, seededDatabase, testConfig, type RunningApp } from './test-app';

const HOST = 'jansen-bouw.localhost';
const COOKIE_SECRET = 'vitrine_session=cookie-value-never-logged';
const PASSWORD = 'wrong-password-never-logged';

/**
 * Issue 9, observability: the lines of one request (captured from the pino destination) carry
 * its request id, tenant and user — service logs inside the request too — and no token, cookie
 * or password; /metrics on its own port has the series; /readyz is 503 without a database.
 */
describe('observability', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let metrics: MetricsServer;
  let token: string;
  let userId: string;
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';

  beforeAll(async () => {
    db = await seededDatabase(100);
    const config = testConfig({ LOG_LEVEL: 'debug' });
    const app = await createApp(config, {
      dataSource: db.dataSource,
      logDestination: {
        write: (chunk: string) => {
          raw += chunk;
          for (const l of chunk.split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        },
      },
    });
    // A route that logs through Nest's Logger after an await, as any service does.
    const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
    fastify.get('/__log-probe', async () => {
      await new Promise((r) => setTimeout(r, 5));
      new Logger('Probe').log('inside the request');
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    api = { app, port: Number(new URL(await app.getUrl()).port), config };
    token = await companyUser(api, 'jansen-bouw', 'observer@jansenbouw.example', ['BUYER']);
    userId = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
    metrics = await startMetricsServer({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await metrics?.close();
    await api?.app.close();
    await db?.close().catch(() => undefined);
  });

  const headers = (reqId: string) => ({
    authorization: `Bearer ${token}`,
    cookie: COOKIE_SECRET,
    'x-request-id': reqId,
  });

  it('every line of a request carries its request id, tenant and user; no secret is written', async () => {
    const res = await gql(api.port, HOST, '{ me { email } categories { slug } }', {}, headers('obs-req-0001'));
    expect(res.errors).toBeUndefined();
    expect(res.headers['x-request-id']).toBe('obs-req-0001');
    const probe = await httpRequest(api.port, { host: HOST, path: '/__log-probe', headers: headers('obs-req-0002') });
    expect(probe.status).toBe(200);
    const login = await gql(
      api.port,
      HOST,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      { e: 'observer@jansenbouw.example', p: PASSWORD },
      { 'x-request-id': 'obs-req-0003', cookie: COOKIE_SECRET },
    );
    expect(login.errors?.[0]?.extensions?.code).toBeDefined();

    const of = (id: string) => lines.filter((l) => l.reqId === id);
    for (const id of ['obs-req-0001', 'obs-req-0002']) {
      expect(of(id).length).toBeGreaterThan(0);
      for (const line of of(id)) expect(line).toMatchObject({ tenant: 'jansen-bouw', user: userId });
    }
    expect(of('obs-req-0003').every((l) => l.tenant === 'jansen-bouw')).toBe(true);
    // The access line, and a service's line written inside the request.
    expect(of('obs-req-0001')).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/graphql', operation: 'query', status: 200 }),
    );
    expect(of('obs-req-0002')).toContainEqual(
      expect.objectContaining({ context: 'Probe', msg: 'inside the request', level: 'info' }),
    );
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.split('.')[2]);
    expect(raw).not.toContain('cookie-value-never-logged');
    expect(raw).not.toContain(PASSWORD);
  });

  it('replaces an insane X-Request-Id with its own', async () => {
    const res = await httpRequest(api.port, {
      host: HOST,
      path: '/healthz',
      headers: { 'x-request-id': 'x'.repeat(300) },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the metrics on their own port', async () => {
    await gql(api.port, HOST, '{ categories { slug } }', {}, headers('obs-req-0004'));
    await gql(api.port, HOST, '{ nope }', {}, headers('obs-req-0005'));
    const res = await httpRequest(metrics.port, { host: '127.0.0.1', path: '/metrics' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(
      /vitrine_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/graphql",operation="query",status_class="2xx"\}/,
    );
    expect(text).toMatch(/vitrine_http_request_duration_seconds_count\{method="GET",route="\/healthz",operation="none",status_class="2xx"\} \d+/);
    expect(text).toMatch(/vitrine_errors_total\{source="graphql",code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
    expect(text).toMatch(/vitrine_tenant_requests_total\{tenant="jansen-bouw"\} [1-9]/);
    expect(text).toMatch(/vitrine_cache_lookups_total\{area="[a-z-]+",result="(hit|miss)"\} [1-9]/);
    expect(text).toMatch(/vitrine_outbox_events\{state="pending"\} \d+/);
    expect(text).toMatch(/vitrine_outbox_events\{state="due"\} \d+/);
    expect(text).toMatch(/vitrine_http_requests_in_flight \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // Bounded: no request id, path or user id ever becomes a label.
    expect(text).not.toContain('obs-req-');
    expect(text).not.toContain(userId);
  });

  it('/readyz checks the database: 200 with it, 503 with detail without it; /healthz stays 200', async () => {
    const ready = await httpRequest(api.port, { host: HOST, path: '/readyz' });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true } } });

    await db.dataSource.destroy(); // the database is gone for this process
    const down = await httpRequest(api.port, { host: 'anything.example', path: '/readyz' });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json()).toMatchObject({
      status: 'unavailable',
      checks: { database: { ok: false, required: true, error: expect.any(String) } },
    });
    expect((await httpRequest(api.port, { host: HOST, path: '/healthz' })).status).toBe(200);
  });
});
