import { ConfigError, loadConfig } from './config';

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
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/vitrine' });
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
});
