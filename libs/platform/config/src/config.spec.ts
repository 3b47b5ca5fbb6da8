import { ConfigError, loadConfig, siteOrigin } from './config';

describe('loadConfig', () => {
  it('defaults to the embedded database under .vitrine and no Redis', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: '/srv/app/.vitrine/pgdata' });
    expect(c.redisUrl).toBeNull();
    expect(c.port).toBe(3000);
    expect(c.demo.seedOnStart).toBe(true);
    expect(c.trustedProxies).toEqual([]);
  });

  it('uses PostgreSQL when DATABASE_URL is set and does not seed it unasked', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/vitrine',
      TRUSTED_PROXIES: '10.0.0.1, 127.0.0.1',
    });
    expect(c.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/vitrine',
      connectTimeoutMs: 5000,
    });
    expect(c.demo.seedOnStart).toBe(false);
    expect(c.trustedProxies).toEqual(['10.0.0.1', '127.0.0.1']);
  });

  it('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', REDIS_URL: 'nope' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'nope' });
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/);
      expect((e as Error).message).toMatch(/REDIS_URL/);
    }
  });

  it('configures outbox delivery, mail and the ERP export, with secrets read by name', () => {
    const c = loadConfig(
      { ERP_SECRET_ACME: 's3cret-s3cret-s3cret', OUTBOX_WORKER: 'off' },
      '/srv/app',
    );
    expect(c.outbox).toMatchObject({ worker: 'off', maxAttempts: 10, leaseMs: 60_000 });
    expect(c.mail).toEqual({
      smtpUrl: null,
      from: 'Vitrine <no-reply@vitrine.example>',
      mailboxDir: '/srv/app/var/mailbox',
    });
    expect(c.erp.dropDir).toBe('/srv/app/var/erp-drop');
    expect(c.erp.secret('ERP_SECRET_ACME')).toBe('s3cret-s3cret-s3cret');
    expect(c.erp.secret('ERP_SECRET_OTHER')).toBeUndefined();
    expect(c.erp.secret('lowercase')).toBeUndefined();
    expect(siteOrigin(c, 'shop.example')).toBe('https://shop.example');
    expect(() => loadConfig({ SMTP_URL: 'http://mail', OUTBOX_WORKER: 'sometimes' })).toThrow(
      /SMTP_URL[\s\S]*OUTBOX_WORKER|OUTBOX_WORKER[\s\S]*SMTP_URL/,
    );
  });
});
