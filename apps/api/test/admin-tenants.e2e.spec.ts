import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAccountService,
  AdminTokenService,
  loadTenantDir,
  TenantAdminService,
  TenantSyncService,
} from '@vitrine/admin';
import { MemoryBus } from '@vitrine/cache';
import { TenantDb } from '@vitrine/database';
import { gql, httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const ACTOR = 'provisioner@seller.example';
type Row = Record<string, unknown>;
type Tenant = {
  slug: string;
  name: string;
  status: string;
  domains: string[];
  theme: string;
  priceLists: string[];
  company: { name: string; users: Array<{ email: string; roles: string[] }> } | null;
  features: Array<{ name: string; enabled: boolean }>;
  version: number;
};
const TENANT = `slug name status domains theme priceLists company { name users { email roles } }
  features { name enabled } version`;
const CREATE = `mutation($i: CreateTenantInput!) { createTenant(input: $i) { ${TENANT} } }`;
const UPDATE = `mutation($s: String!, $i: UpdateTenantInput!) { updateTenant(slug: $s, input: $i) { ${TENANT} } }`;
const STATUS = `mutation($s: String!, $st: TenantStatus!) { setTenantStatus(slug: $s, status: $st) { ${TENANT} } }`;
const ADD = `mutation($s: String!, $d: String!) { addTenantDomain(slug: $s, domain: $d) { ${TENANT} } }`;
const REMOVE = `mutation($s: String!, $d: String!) { removeTenantDomain(slug: $s, domain: $d) { ${TENANT} } }`;

/** A complete new key account, as an admin would send it. */
function acme(overrides: Row = {}): Row {
  return {
    slug: 'acme-tools',
    name: 'Acme Tools B.V.',
    status: 'ACTIVE',
    domains: ['acme-tools.localhost', 'shop.acme.example'],
    locales: ['nl', 'en'],
    currency: 'EUR',
    publicBrowsing: true,
    assortment: { includeCategories: ['gereedschap'] },
    priceLists: ['bouw-staffel'],
    paymentTerms: { method: 'on_account', netDays: 30, creditLimit: '10000.00' },
    shipping: [{ countries: ['NL'], price: '9.95' }],
    company: {
      name: 'Acme Tools B.V.',
      vatId: 'NL123456789B01',
      users: [{ email: 'inkoop@acme.example', name: 'Ada Acme', roles: ['BUYER'] }],
    },
    features: [{ name: 'quickOrder', enabled: true }],
    ...overrides,
  };
}

/**
 * The provisioning story end to end, over two API instances on one database and one bus: a
 * tenant created through the admin API of instance A is served on its new domain by instance B,
 * suspending it closes it on both within a second, archiving it releases its domain for the
 * next tenant. And every bad input is refused with a clear code, nothing applied, the attempt
 * in the audit log.
 */
describe('tenants through the admin API (end to end)', () => {
  let db: TestDatabase;
  let a: RunningApp;
  let b: RunningApp;
  let token: string;

  beforeAll(async () => {
    db = await seededDatabase(300);
    const bus = new MemoryBus();
    a = await startApp(db, testConfig(), bus);
    b = await startApp(db, testConfig(), bus);
    token = (await a.app.get(AdminTokenService).sign(ACTOR, 1)).token;
  });

  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await db?.close();
  });

  const sql = <T = Row>(text: string, params: unknown[] = []) =>
    a.app.get(TenantDb).maintenance((em) => em.query(text, params) as Promise<T[]>);

  async function admin<T = Row>(query: string, variables: Row = {}, bearer = token) {
    const res = await httpRequest(a.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...(res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>) };
  }
  const error = (res: { errors?: GraphQLResult['errors'] }) => ({
    code: res.errors?.[0]?.extensions?.code,
    field: res.errors?.[0]?.extensions?.field,
    message: res.errors?.[0]?.message ?? '',
  });

  /** What a storefront client sees on `host` of `app`: the tenant's name, or the refusal. */
  const nameOn = async (app: RunningApp, host: string) => {
    const res = await gql<{ tenant: { name: string } }>(app.port, host, '{ tenant { name } }');
    return res.data?.tenant.name ?? `HTTP ${res.status} ${res.errors?.[0]?.extensions?.code}`;
  };

  async function within(ms: number, probe: () => Promise<boolean>): Promise<void> {
    const start = Date.now();
    while (Date.now() - start < ms) {
      if (await probe()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`not observed within ${ms} ms`);
  }

  /** Everything a refused change could have touched. */
  const snapshot = async () => ({
    tenants: await sql(`SELECT slug, status, version, source FROM tenant ORDER BY slug`),
    domains: await sql(`SELECT domain, tenant_id, is_primary FROM tenant_domain ORDER BY domain`),
    companies: await sql(`SELECT count(*)::int AS n FROM company`),
  });
  const refusals = async (target: string) =>
    sql<{ action: string; actor: string; reason: string }>(
      `SELECT action, actor, reason FROM audit_log WHERE target = $1 AND outcome = 'REFUSED' ORDER BY at`,
      [target],
    );

  it('provisions a tenant that a second instance serves on its new domain at once', async () => {
    expect(await nameOn(b, 'acme-tools.localhost')).toBe('HTTP 404 TENANT_NOT_FOUND');
    const res = await admin<{ createTenant: Tenant }>(CREATE, { i: acme() });
    expect(res.errors).toBeUndefined();
    expect(res.data?.createTenant).toMatchObject({
      slug: 'acme-tools',
      status: 'ACTIVE',
      domains: ['acme-tools.localhost', 'shop.acme.example'],
      theme: './theme',
      priceLists: ['bouw-staffel'],
      company: {
        name: 'Acme Tools B.V.',
        users: [{ email: 'inkoop@acme.example', roles: ['BUYER'] }],
      },
      features: [{ name: 'quickOrder', enabled: true }],
    });
    // Served by the other instance on both domains, with its catalog.
    await within(1000, async () => (await nameOn(b, 'acme-tools.localhost')) === 'Acme Tools B.V.');
    expect(await nameOn(b, 'shop.acme.example')).toBe('Acme Tools B.V.');
    const page = await gql<{ products: { edges: Array<{ node: { name: string } }> } }>(
      b.port,
      'acme-tools.localhost',
      '{ products(first: 5) { edges { node { name } } } }',
    );
    expect(page.errors).toBeUndefined();
    expect(page.data?.products.edges.length).toBeGreaterThan(0);
    // The change is in the audit log, by the token's subject.
    const [entry] = await sql<{ actor: string; outcome: string; after: { slug: string } }>(
      `SELECT actor, outcome, after FROM audit_log WHERE action = 'tenant.create' AND target = 'acme-tools'`,
    );
    expect(entry).toMatchObject({
      actor: ACTOR,
      outcome: 'APPLIED',
      after: { slug: 'acme-tools' },
    });
  });

  it('lists and reads tenants, by status and page', async () => {
    const all = await admin<{ tenants: { edges: Array<{ node: { slug: string } }> } }>(
      `{ tenants { edges { node { slug } } } }`,
    );
    expect(all.data?.tenants.edges.map((e) => e.node.slug)).toContain('acme-tools');
    const page1 = await admin<{
      tenants: {
        edges: Array<{ node: { slug: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(
      `{ tenants(first: 2, status: ACTIVE) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(page1.data?.tenants.edges.map((e) => e.node.slug)).toEqual([
      'acme-tools',
      'autoparts-delta',
    ]);
    expect(page1.data?.tenants.pageInfo.hasNextPage).toBe(true);
    const page2 = await admin<{ tenants: { edges: Array<{ node: { slug: string } }> } }>(
      `query($a: String) { tenants(first: 2, after: $a, status: ACTIVE) { edges { node { slug } } } }`,
      { a: page1.data?.tenants.pageInfo.endCursor },
    );
    expect(page2.data?.tenants.edges.map((e) => e.node.slug)).toEqual([
      'jansen-bouw',
      'vitrine-shop',
    ]);
    expect((await admin(`{ tenant(slug: "nope") { slug } }`)).data).toEqual({ tenant: null });
  });

  it('updates a tenant and its domains, live on the other instance', async () => {
    const renamed = await admin<{ updateTenant: Tenant }>(UPDATE, {
      s: 'acme-tools',
      i: { name: 'Acme Tools (renamed)', features: null },
    });
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data?.updateTenant).toMatchObject({
      name: 'Acme Tools (renamed)',
      features: [],
    });
    // Fields left out are kept.
    expect(renamed.data?.updateTenant.priceLists).toEqual(['bouw-staffel']);
    await within(
      1000,
      async () => (await nameOn(b, 'acme-tools.localhost')) === 'Acme Tools (renamed)',
    );

    const added = await admin<{ addTenantDomain: Tenant }>(ADD, {
      s: 'acme-tools',
      d: 'Orders.Acme.Example',
    });
    expect(added.data?.addTenantDomain.domains).toEqual([
      'acme-tools.localhost',
      'orders.acme.example',
      'shop.acme.example',
    ]);
    await within(
      1000,
      async () => (await nameOn(b, 'orders.acme.example')) === 'Acme Tools (renamed)',
    );
    const removed = await admin<{ removeTenantDomain: Tenant }>(REMOVE, {
      s: 'acme-tools',
      d: 'shop.acme.example',
    });
    expect(removed.data?.removeTenantDomain.domains).not.toContain('shop.acme.example');
    await within(
      1000,
      async () => (await nameOn(b, 'shop.acme.example')) === 'HTTP 404 TENANT_NOT_FOUND',
    );
  });

  it('exports a tenant as tenant.yaml that syncs back unchanged', async () => {
    const yaml = await a.app
      .get(TenantAdminService)
      .exportYaml({ subject: ACTOR, roles: ['SUPER_ADMIN'] }, 'acme-tools');
    expect(yaml).toContain('slug: acme-tools');
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-export-'));
    mkdirSync(join(dir, 'acme-tools'));
    writeFileSync(join(dir, 'acme-tools', 'tenant.yaml'), yaml);
    const plans = await a.app.get(TenantSyncService).sync(loadTenantDir(dir), { dryRun: true });
    expect(plans).toEqual([expect.objectContaining({ slug: 'acme-tools', action: 'unchanged' })]);
  });

  describe('refuses bad input with a clear error, nothing applied, the attempt in the audit log', () => {
    const cases: Array<[string, Row, string, string, RegExp]> = [
      [
        'a duplicate slug',
        acme({ domains: ['other.localhost'] }),
        'CONFLICT',
        'slug',
        /exists already/,
      ],
      [
        'a domain of another tenant',
        acme({ slug: 'acme-two', domains: ['jansen-bouw.localhost'] }),
        'CONFLICT',
        'domains[0]',
        /already belongs to tenant "jansen-bouw"/,
      ],
      [
        'an invalid hostname',
        acme({ slug: 'acme-three', domains: ['https://acme.example/shop'] }),
        'BAD_USER_INPUT',
        'domains[0]',
        /not a valid lowercase hostname/,
      ],
      [
        'a theme path escaping the tenants folder',
        acme({ slug: 'acme-four', domains: ['acme-four.localhost'], theme: '../../etc' }),
        'BAD_USER_INPUT',
        'theme',
        /outside the tenant's folder/,
      ],
      [
        'a price list in another currency',
        acme({ slug: 'acme-five', domains: ['acme-five.localhost'], currency: 'USD' }),
        'BAD_USER_INPUT',
        'priceLists[0]',
        /is in EUR, the tenant sells in USD/,
      ],
      [
        'an unknown category',
        acme({
          slug: 'acme-six',
          domains: ['acme-six.localhost'],
          assortment: { includeCategories: ['nope'] },
        }),
        'BAD_USER_INPUT',
        'assortment.includeCategories[0]',
        /nope/,
      ],
      [
        'a created status other than DRAFT or ACTIVE',
        acme({ slug: 'acme-seven', domains: ['acme-seven.localhost'], status: 'SUSPENDED' }),
        'BAD_USER_INPUT',
        'status',
        /DRAFT or ACTIVE/,
      ],
    ];
    it.each(cases)('%s', async (_what, input, code, field, message) => {
      const before = await snapshot();
      const res = await admin(CREATE, { i: input });
      expect(error(res)).toMatchObject({ code, field });
      expect(error(res).message).toMatch(message);
      expect(await snapshot()).toEqual(before);
      expect(await refusals(String(input.slug))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'tenant.create', actor: ACTOR }),
        ]),
      );
    });

    it('an update to an invalid value, and removing the last domain', async () => {
      const before = await snapshot();
      const bad = await admin(UPDATE, { s: 'acme-tools', i: { domains: ['Not A Host'] } });
      expect(error(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'domains[0]' });
      const taken = await admin(ADD, { s: 'acme-tools', d: 'autoparts-delta.localhost' });
      expect(error(taken)).toMatchObject({ code: 'CONFLICT' });
      await admin(REMOVE, { s: 'acme-tools', d: 'orders.acme.example' });
      const mid = await snapshot();
      const last = await admin(REMOVE, { s: 'acme-tools', d: 'acme-tools.localhost' });
      expect(error(last)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'domains' });
      expect(await snapshot()).toEqual(mid);
      expect(before.tenants).toEqual(
        mid.tenants.map((t) =>
          t.slug === 'acme-tools' ? before.tenants.find((x) => x.slug === 'acme-tools') : t,
        ),
      );
      expect((await refusals('acme-tools')).map((r) => r.action)).toEqual(
        expect.arrayContaining(['tenant.update', 'tenant.domain.add', 'tenant.domain.remove']),
      );
    });

    it('a status change the life cycle does not allow', async () => {
      await admin(CREATE, {
        i: acme({ slug: 'acme-draft', domains: ['acme-draft.localhost'], status: null }),
      });
      const draft = await admin<{ tenant: Tenant }>(`{ tenant(slug: "acme-draft") { ${TENANT} } }`);
      expect(draft.data?.tenant.status).toBe('DRAFT');
      expect(await nameOn(b, 'acme-draft.localhost')).toBe('HTTP 404 TENANT_NOT_FOUND');
      const before = await snapshot();
      const res = await admin(STATUS, { s: 'acme-draft', st: 'SUSPENDED' });
      expect(error(res)).toMatchObject({ code: 'CONFLICT', field: 'status' });
      expect(error(res).message).toMatch(
        /is DRAFT and cannot become SUSPENDED; it can become ACTIVE or ARCHIVED/,
      );
      expect(await snapshot()).toEqual(before);
      const unknown = await admin(STATUS, { s: 'nope', st: 'ACTIVE' });
      expect(error(unknown).code).toBe('NOT_FOUND');
    });
  });

  it('suspends a tenant on every instance within a second, and archiving releases its domains', async () => {
    expect(await nameOn(a, 'acme-tools.localhost')).toBe('Acme Tools (renamed)');
    expect(await nameOn(b, 'acme-tools.localhost')).toBe('Acme Tools (renamed)');
    const suspended = await admin<{ setTenantStatus: Tenant }>(STATUS, {
      s: 'acme-tools',
      st: 'SUSPENDED',
    });
    expect(suspended.data?.setTenantStatus.status).toBe('SUSPENDED');
    await within(1000, async () =>
      (
        await Promise.all([nameOn(a, 'acme-tools.localhost'), nameOn(b, 'acme-tools.localhost')])
      ).every((n) => n === 'HTTP 403 TENANT_SUSPENDED'),
    );
    // Suspending twice is harmless; SUSPENDED → ACTIVE is allowed, ACTIVE → ARCHIVED is not.
    expect((await admin(STATUS, { s: 'acme-tools', st: 'SUSPENDED' })).errors).toBeUndefined();

    const archived = await admin<{ setTenantStatus: Tenant }>(STATUS, {
      s: 'acme-tools',
      st: 'ARCHIVED',
    });
    expect(archived.data?.setTenantStatus).toMatchObject({ status: 'ARCHIVED', domains: [] });
    await within(
      1000,
      async () => (await nameOn(b, 'acme-tools.localhost')) === 'HTTP 404 TENANT_NOT_FOUND',
    );
    // Archiving is final.
    const back = await admin(STATUS, { s: 'acme-tools', st: 'ACTIVE' });
    expect(error(back)).toMatchObject({ code: 'CONFLICT', field: 'status' });
    expect(error(await admin(UPDATE, { s: 'acme-tools', i: { name: 'x' } })).code).toBe('CONFLICT');

    // The domain is free: a new tenant takes it and is served there.
    const next = await admin<{ createTenant: Tenant }>(CREATE, {
      i: acme({ slug: 'acme-nieuw', name: 'Acme Nieuw', domains: ['acme-tools.localhost'] }),
    });
    expect(next.errors).toBeUndefined();
    await within(1000, async () => (await nameOn(b, 'acme-tools.localhost')) === 'Acme Nieuw');
  });

  it('suspended → active serves the tenant again on every instance', async () => {
    await admin(STATUS, { s: 'acme-nieuw', st: 'SUSPENDED' });
    await within(
      1000,
      async () => (await nameOn(b, 'acme-tools.localhost')) === 'HTTP 403 TENANT_SUSPENDED',
    );
    await admin(STATUS, { s: 'acme-nieuw', st: 'ACTIVE' });
    await within(1000, async () => (await nameOn(b, 'acme-tools.localhost')) === 'Acme Nieuw');
  });

  it('keeps an account manager to the tenants assigned to them', async () => {
    const { admin: manager } = await a.app.get(AdminAccountService).create('test', {
      email: 'frank@seller.example',
      name: 'Frank',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['jansen-bouw'],
      password: 'a long enough password 123',
    });
    const bearer = (
      await a.app.get(AdminTokenService).signAccount(manager.id, ['ACCOUNT_MANAGER'], 1)
    ).token;
    const list = await admin<{ tenants: { edges: Array<{ node: { slug: string } }> } }>(
      `{ tenants { edges { node { slug } } } }`,
      {},
      bearer,
    );
    expect(list.data?.tenants.edges.map((e) => e.node.slug)).toEqual(['jansen-bouw']);
    expect(
      error(await admin(`{ tenant(slug: "autoparts-delta") { slug } }`, {}, bearer)).code,
    ).toBe('FORBIDDEN');
    const before = await snapshot();
    const create = await admin(
      CREATE,
      { i: acme({ slug: 'frank-site', domains: ['frank-site.localhost'] }) },
      bearer,
    );
    expect(error(create).code).toBe('FORBIDDEN');
    const other = await admin(UPDATE, { s: 'autoparts-delta', i: { name: 'Mine now' } }, bearer);
    expect(error(other).code).toBe('FORBIDDEN');
    const suspend = await admin(STATUS, { s: 'autoparts-delta', st: 'SUSPENDED' }, bearer);
    expect(error(suspend).code).toBe('FORBIDDEN');
    // A clash names no tenant the manager may not see.
    const clash = await admin(ADD, { s: 'jansen-bouw', d: 'autoparts-delta.localhost' }, bearer);
    expect(error(clash)).toMatchObject({ code: 'CONFLICT', field: 'domains[2]' });
    expect(error(clash).message).toMatch(/already belongs to another tenant/);
    expect(error(clash).message).not.toMatch(/tenant "autoparts-delta"/);
    expect(await snapshot()).toEqual(before);
    const refused = await sql<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit_log WHERE outcome = 'REFUSED' AND actor = $1 ORDER BY at`,
      [manager.id],
    );
    expect(refused.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'tenant.create',
        'tenant.update',
        'tenant.status',
        'tenant.domain.add',
      ]),
    );
    // Their own tenant they may change.
    const own = await admin<{ updateTenant: Tenant }>(
      UPDATE,
      { s: 'jansen-bouw', i: { name: 'Jansen Bouw (by Frank)' } },
      bearer,
    );
    expect(own.data?.updateTenant.name).toBe('Jansen Bouw (by Frank)');
    await within(
      1000,
      async () => (await nameOn(b, 'jansen-bouw.localhost')) === 'Jansen Bouw (by Frank)',
    );
  });
});
