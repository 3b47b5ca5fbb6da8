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
