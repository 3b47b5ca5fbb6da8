import { DEFAULT_THEME, loadTenantDir, TenantSyncService, type LoadedTenant } from '@vitrine/admin';
import { MemoryBus } from '@vitrine/cache';
import { gql, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

/**
 * Two API instances over one database and one cache bus (Redis when REDIS_URL is set, as in
 * CI; otherwise an in-process bus standing in for it): a tenant change made through one
 * instance must be served by the other within a second, without a restart.
 */
describe('two API instances', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let jansen: LoadedTenant;

  beforeAll(async () => {
    db = await seededDatabase(300);
    const bus = new MemoryBus();
    a = await startApp(db, testConfig(), bus);
    b = await startApp(db, testConfig({ TRUSTED_PROXIES: '127.0.0.1' }), bus);
    jansen = loadTenantDir(a.config.tenantsDir).find((t) => t.spec.slug === 'jansen-bouw')!;
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.close();
  });

  async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    while (Date.now() - start < ms) {
      if (await probe()) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`not observed within ${ms} ms`);
  }

  const nameOn = async (app: RunningApp, host = 'jansen-bouw.localhost') => {
    const res = await gql<{ tenant: { name: string } }>(app.port, host, '{ tenant { name } }');
    return res.data?.tenant.name ?? `HTTP ${res.status} ${res.errors?.[0]?.extensions?.code}`;
  };

  it('sees a renamed tenant on the other instance within one second', async () => {
    expect(await nameOn(b)).toBe(jansen.spec.name); // warm B's in-process map
    await a.app
      .get(TenantSyncService)
      .sync([{ ...jansen, spec: { ...jansen.spec, name: 'Jansen Bouw (renamed)' } }]);
    await within(1000, async () => (await nameOn(b)) === 'Jansen Bouw (renamed)');
  });

  it('refuses a suspended tenant on the other instance within one second, and serves it again once active', async () => {
    await a.app
      .get(TenantSyncService)
      .sync([{ ...jansen, spec: { ...jansen.spec, status: 'suspended' } }]);
    await within(1000, async () => (await nameOn(b)) === 'HTTP 403 TENANT_SUSPENDED');
    await a.app.get(TenantSyncService).sync([jansen]);
    await within(1000, async () => (await nameOn(b)) === jansen.spec.name);
  });

  it('serves a new tenant on a new domain on both instances at once (unknown hosts are not cached for long)', async () => {
    expect(await nameOn(b, 'new-account.localhost')).toBe('HTTP 404 TENANT_NOT_FOUND');
    const fresh: LoadedTenant = {
      file: '(test)',
      dir: '',
      themeDir: null,
      theme: DEFAULT_THEME,
      spec: {
        ...jansen.spec,
        slug: 'new-account',
        name: 'New Account',
        domains: ['new-account.localhost'],
        priceLists: [],
      },
    };
    await a.app.get(TenantSyncService).sync([fresh]);
    await within(1000, async () => (await nameOn(b, 'new-account.localhost')) === 'New Account');
  });

  it('believes X-Forwarded-Host only from a configured trusted proxy', async () => {
    // Instance B trusts 127.0.0.1 (the test client): the forwarded host decides the tenant.
    const viaProxy = await gql<{ tenant: { slug: string } }>(
      b.port,
      'proxy.internal',
      '{ tenant { slug } }',
      undefined,
      { 'x-forwarded-host': 'zorggroep-noord.localhost' },
    );
    expect(viaProxy.data?.tenant.slug).toBe('zorggroep-noord');
    // Instance A trusts nobody: the same request is refused.
    const direct = await gql(a.port, 'proxy.internal', '{ tenant { slug } }', undefined, {
      'x-forwarded-host': 'zorggroep-noord.localhost',
    });
    expect(direct.status).toBe(404);
  });
});

/**
 * Two installations (two databases) sharing one Redis with the same CACHE_PREFIX — a classic
 * misconfiguration. The same domain belongs to a different tenant in each; neither may ever
 * serve the other's cached tenant. Needs a real Redis: REDIS_URL (always set in CI).
 */
describe('two installations on one Redis', () => {
  const redis = process.env.REDIS_URL;
  if (!redis && process.env.CI) throw new Error('REDIS_URL must be set in CI');
  const maybe = redis ? it : it.skip;
  let dbs: TestDatabase[] = [];
  let apps: RunningApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.app.close();
    for (const db of dbs) await db.close();
  });

  maybe('keeps each installation to its own tenants', async () => {
    dbs = [await seededDatabase(100), await seededDatabase(100)];
    const prefix = `vitrine-shared-${process.pid}-${Date.now()}:`;
    apps = [
      await startApp(dbs[0], testConfig({ CACHE_PREFIX: prefix })),
      await startApp(dbs[1], testConfig({ CACHE_PREFIX: prefix })),
    ];
    const jansen = loadTenantDir(apps[0].config.tenantsDir).find(
      (t) => t.spec.slug === 'jansen-bouw',
    )!;
    await apps[1].app
      .get(TenantSyncService)
      .sync([{ ...jansen, spec: { ...jansen.spec, name: 'Jansen in installation two' } }]);
    const name = async (app: RunningApp) =>
      (
        await gql<{ tenant: { name: string } }>(
          app.port,
          'jansen-bouw.localhost',
          '{ tenant { name } }',
        )
      ).data?.tenant.name;
    // Warm both, in both orders, then ask again: each answers from its own database.
    for (let i = 0; i < 3; i++) {
      expect(await name(apps[0])).toBe(jansen.spec.name);
      expect(await name(apps[1])).toBe('Jansen in installation two');
    }
  });
});
