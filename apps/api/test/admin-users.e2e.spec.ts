import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { gql, httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import {
  buyerHeaders,
  maintenanceSql,
  seededDatabase,
  startApp,
  testConfig,
  type RunningApp,
} from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';
const PASSWORD = 'correct horse battery staple';

type Row = Record<string, unknown>;
type Result<T = Row> = { status: number } & Omit<GraphQLResult<T>, 'status' | 'headers'>;
const ACCOUNT = 'id email name roles status tenants';
const LOGIN = `mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }`;
const LIST = `query($f: Int, $a: String) { adminUsers(first: $f, after: $a) {
  edges { cursor node { ${ACCOUNT} } } pageInfo { hasNextPage endCursor } } }`;
const GET = `query($e: String!) { adminUser(email: $e) { ${ACCOUNT} } }`;
const CREATE = `mutation($i: CreateAdminUserInput!) {
  createAdminUser(input: $i) { initialPassword admin { ${ACCOUNT} } } }`;
const UPDATE = `mutation($e: String!, $i: UpdateAdminUserInput!) {
  updateAdminUser(email: $e, input: $i) { ${ACCOUNT} } }`;
const DEACTIVATE = `mutation($e: String!) { deactivateAdminUser(email: $e) { ${ACCOUNT} } }`;
const REACTIVATE = `mutation($e: String!) { reactivateAdminUser(email: $e) { ${ACCOUNT} } }`;
const PASSWORD_CHANGE = `mutation($c: String!, $n: String!) {
  changeAdminPassword(currentPassword: $c, newPassword: $n) { email } }`;
const COMPANIES = `query($t: String!) { companies(tenant: $t) { code } }`;

/**
 * Admin accounts through the admin API (SUPER_ADMIN only): create with a generated password
 * shown once, list, change roles and tenants, deactivate and reactivate — every change counting
 * on the account's very next request — the two invariants (not yourself, never the last
 * SUPER_ADMIN), one's own password, every bad input refused and logged; and an admin token
 * used on a tenant host: refused, nothing run, the attempt in the audit log.
 */
describe('admin accounts through the admin API (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let bootstrap: string;
  let superToken: string;
  let superId: string;
  const running = () => api;
  const sql = maintenanceSql(running);

  async function admin<T = Row>(
    query: string,
    variables: Row,
    bearer: string | null = superToken,
  ): Promise<Result<T>> {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...(res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>) };
  }
  const code = (res: { errors?: GraphQLResult['errors'] }) => res.errors?.[0]?.extensions?.code;
  const login = async (email: string, password: string) =>
    (await admin<{ adminLogin: { token: string } }>(LOGIN, { e: email, p: password }, null)).data
      ?.adminLogin.token ?? null;
  const audit = (action: string, target?: string) =>
    sql<
      Array<{
        actor: string;
        target: string | null;
        before: Row | null;
        after: Row | null;
        outcome: string;
        reason: string | null;
      }>
    >(
      `SELECT actor, target, before, after, outcome, reason FROM audit_log
        WHERE action = $1 AND ($2::text IS NULL OR target = $2) ORDER BY id`,
      [action, target ?? null],
    );
  /** Everything an admin account change could write. */
  const snapshot = async () =>
    (
      await sql<Array<Row>>(
        `SELECT (SELECT count(*)::int FROM admin_user) AS users,
                (SELECT count(*)::int FROM admin_tenant) AS assignments,
                (SELECT string_agg(email || ':' || status || ':' || array_to_string(roles, ','), ' ' ORDER BY email) FROM admin_user) AS state,
                (SELECT count(*)::int FROM audit_log WHERE outcome = 'APPLIED') AS applied`,
      )
    )[0];

  beforeAll(async () => {
    db = await seededDatabase(50);
    api = await startApp(db, testConfig());
    bootstrap = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    const { admin: root } = await api.app.get(AdminAccountService).create('test', {
      email: 'root@seller.example',
      name: 'Root',
      roles: ['SUPER_ADMIN'],
      password: PASSWORD,
    });
    superId = root.id;
    superToken = (await login('root@seller.example', PASSWORD))!;
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('creates an account with a generated initial password shown once; the audit row has no secret', async () => {
    const res = await admin<{ createAdminUser: { initialPassword: string; admin: Row } }>(CREATE, {
      i: {
        email: ' Anna@Seller.example ',
        name: 'Anna de Vries',
        roles: ['account_manager'],
        tenants: ['zorggroep-noord'],
      },
    });
    expect(res.errors).toBeUndefined();
    const { initialPassword, admin: anna } = res.data!.createAdminUser;
    expect(anna).toMatchObject({
      email: 'anna@seller.example',
      name: 'Anna de Vries',
      roles: ['ACCOUNT_MANAGER'],
      status: 'ACTIVE',
      tenants: ['zorggroep-noord'],
    });
    expect(initialPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await login('anna@seller.example', initialPassword)).toEqual(expect.any(String));
    const [row] = await audit('admin.create', 'anna@seller.example');
    expect(row).toMatchObject({
      actor: superId,
      outcome: 'APPLIED',
      before: null,
      after: expect.objectContaining({ roles: ['ACCOUNT_MANAGER'], tenants: ['zorggroep-noord'] }),
    });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(initialPassword);
    expect(stored).not.toMatch(/argon2|password/i);
    // Shown once: reading the account never answers it.
    const read = await admin<{ adminUser: Row }>(GET, { e: 'ANNA@seller.example' });
    expect(read.data!.adminUser).toEqual(anna);
    expect(JSON.stringify(read)).not.toContain(initialPassword);
    expect((await admin<{ adminUser: Row | null }>(GET, { e: 'x@y.example' })).data).toEqual({
      adminUser: null,
    });
  });

  it('refuses bad input with paths, a duplicate with CONFLICT — nothing applied, each logged', async () => {
    await admin(CREATE, {
      i: { email: 'cat@seller.example', name: 'Cat', roles: ['CATALOG_MANAGER'] },
    });
    const before = await snapshot();
    const base = { email: 'new@seller.example', name: 'New', roles: ['ACCOUNT_MANAGER'] };
    const cases: Array<[string, string, Row, string, string | null, string]> = [
      [
        'unknown role',
        CREATE,
        { i: { ...base, roles: ['ACCOUNT_MANAGER', 'KING'] } },
        'BAD_USER_INPUT',
        'roles[1]',
        'Unknown admin role KING',
      ],
      [
        'no role',
        CREATE,
        { i: { ...base, roles: [] } },
        'BAD_USER_INPUT',
        'roles',
        'at least one role',
      ],
      [
        'unknown tenant',
        CREATE,
        { i: { ...base, tenants: ['zorggroep-noord', 'nope'] } },
        'BAD_USER_INPUT',
        'tenants[1]',
        'Unknown tenant: nope',
      ],
      [
        'tenants of another role',
        CREATE,
        { i: { ...base, roles: ['CATALOG_MANAGER'], tenants: ['jansen-bouw'] } },
        'BAD_USER_INPUT',
        'tenants',
        'account managers only',
      ],
      [
        'bad e-mail',
        CREATE,
        { i: { ...base, email: 'nope' } },
        'BAD_USER_INPUT',
        'email',
        'not an e-mail address',
      ],
      [
        'empty name',
        CREATE,
        { i: { ...base, name: ' ' } },
        'BAD_USER_INPUT',
        'name',
        '1 to 200 characters',
      ],
      [
        'duplicate e-mail',
        CREATE,
        { i: { ...base, email: 'ANNA@seller.example' } },
        'CONFLICT',
        null,
        'already an admin',
      ],
      [
        'update: unknown role',
        UPDATE,
        { e: 'anna@seller.example', i: { roles: ['BOSS'] } },
        'BAD_USER_INPUT',
        'roles[0]',
        'Unknown admin role BOSS',
      ],
      [
        'update: unknown tenant',
        UPDATE,
        { e: 'anna@seller.example', i: { tenants: ['nope'] } },
        'BAD_USER_INPUT',
        'tenants[0]',
        'Unknown tenant',
      ],
      [
        'update: tenants of another role',
        UPDATE,
        { e: 'cat@seller.example', i: { tenants: ['jansen-bouw'] } },
        'BAD_USER_INPUT',
        'tenants',
        'account managers only',
      ],
      [
        'update: unknown admin',
        UPDATE,
        { e: 'nobody@seller.example', i: { name: 'X' } },
        'NOT_FOUND',
        null,
        'no admin',
      ],
      [
        'deactivate: unknown admin',
        DEACTIVATE,
        { e: 'nobody@seller.example' },
        'NOT_FOUND',
        null,
        'no admin',
      ],
    ];
    for (const [label, query, variables, expected, path, text] of cases) {
      const res = await admin(query, variables);
      expect([label, code(res)]).toEqual([label, expected]);
      expect([label, res.errors?.[0]?.message]).toEqual([label, expect.stringContaining(text)]);
      if (path)
        expect([label, res.errors?.[0]?.extensions?.problems]).toEqual([
          label,
          expect.arrayContaining([expect.objectContaining({ path })]),
        ]);
    }
    expect(await snapshot()).toEqual(before);
    const refused = (await audit('admin.create', 'new@seller.example')).filter(
      (r) => r.outcome === 'REFUSED',
    );
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(
      refused.every((r) => r.actor === superId && /^BAD_USER_INPUT|^CONFLICT/.test(r.reason!)),
    ).toBe(true);
    expect(await audit('admin.create', 'anna@seller.example')).toContainEqual(
      expect.objectContaining({ outcome: 'REFUSED', reason: expect.stringMatching(/^CONFLICT/) }),
    );
    expect(await audit('admin.update', 'anna@seller.example')).toEqual([
      expect.objectContaining({ outcome: 'REFUSED' }),
      expect.objectContaining({ outcome: 'REFUSED' }),
    ]);
  });

  it('counts role, tenant and status changes on the very next request of a token already out', async () => {
    const { data } = await admin<{ createAdminUser: { initialPassword: string } }>(CREATE, {
      i: {
        email: 'bert@seller.example',
        name: 'Bert',
        roles: ['ACCOUNT_MANAGER'],
        tenants: ['zorggroep-noord'],
      },
    });
    const bert = (await login('bert@seller.example', data!.createAdminUser.initialPassword))!;
    const companiesOf = async (tenant: string) => code(await admin(COMPANIES, { t: tenant }, bert));

    expect(await companiesOf('zorggroep-noord')).toBeUndefined();
    expect(await companiesOf('jansen-bouw')).toBe('FORBIDDEN');

    // Assigned a second tenant: the same token may use it now.
    const assigned = await admin<{ updateAdminUser: Row }>(UPDATE, {
      e: 'bert@seller.example',
      i: { tenants: ['zorggroep-noord', 'jansen-bouw'], name: 'Bert Jansen' },
    });
    expect(assigned.data!.updateAdminUser).toMatchObject({
      name: 'Bert Jansen',
      tenants: ['jansen-bouw', 'zorggroep-noord'],
    });
    expect(await companiesOf('jansen-bouw')).toBeUndefined();
    expect((await audit('admin.update', 'bert@seller.example'))[0]).toMatchObject({
      actor: superId,
      outcome: 'APPLIED',
      before: {
        name: 'Bert',
        roles: ['ACCOUNT_MANAGER'],
        status: 'ACTIVE',
        tenants: ['zorggroep-noord'],
      },
      after: { name: 'Bert Jansen', tenants: ['jansen-bouw', 'zorggroep-noord'] },
    });

    // Another role: the tenants lapse with ACCOUNT_MANAGER, and the token loses them at once.
    const catalog = await admin<{ updateAdminUser: Row }>(UPDATE, {
      e: 'bert@seller.example',
      i: { roles: ['CATALOG_MANAGER'] },
    });
    expect(catalog.data!.updateAdminUser).toMatchObject({
      roles: ['CATALOG_MANAGER'],
      tenants: [],
    });
    expect(await companiesOf('zorggroep-noord')).toBe('FORBIDDEN');
    expect(code(await admin(LIST, {}, bert))).toBe('FORBIDDEN');
    expect(await audit('admin.list')).toContainEqual(
      expect.objectContaining({ outcome: 'REFUSED', reason: expect.stringMatching(/^FORBIDDEN/) }),
    );

    // SUPER_ADMIN: admin accounts are open to the same token now.
    await admin(UPDATE, { e: 'bert@seller.example', i: { roles: ['SUPER_ADMIN'] } });
    expect(code(await admin(LIST, {}, bert))).toBeUndefined();

    // Deactivated: the token stops on its next request; reactivated: it works again.
    const off = await admin<{ deactivateAdminUser: Row }>(DEACTIVATE, { e: 'bert@seller.example' });
    expect(off.data!.deactivateAdminUser).toMatchObject({ status: 'DEACTIVATED' });
    const stopped = await admin(LIST, {}, bert);
    expect([stopped.status, code(stopped)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(await login('bert@seller.example', 'whatever it was')).toBeNull();
    const on = await admin<{ reactivateAdminUser: Row }>(REACTIVATE, { e: 'bert@seller.example' });
    expect(on.data!.reactivateAdminUser).toMatchObject({ status: 'ACTIVE' });
    expect(code(await admin(LIST, {}, bert))).toBeUndefined();
    expect(
      (await audit('admin.deactivate', 'bert@seller.example')).concat(
        await audit('admin.reactivate', 'bert@seller.example'),
      ),
    ).toEqual([
      expect.objectContaining({
        outcome: 'APPLIED',
        before: expect.objectContaining({ status: 'ACTIVE' }),
        after: expect.objectContaining({ status: 'DEACTIVATED' }),
      }),
      expect.objectContaining({
        outcome: 'APPLIED',
        before: expect.objectContaining({ status: 'DEACTIVATED' }),
        after: expect.objectContaining({ status: 'ACTIVE' }),
      }),
    ]);
    // Again: no-ops without a second row.
    expect((await admin(REACTIVATE, { e: 'bert@seller.example' })).errors).toBeUndefined();
    expect(await audit('admin.reactivate', 'bert@seller.example')).toHaveLength(1);
    await admin(DEACTIVATE, { e: 'bert@seller.example' });
  });

  it('never deactivates yourself and never loses the last active SUPER_ADMIN (CONFLICT, logged)', async () => {
    // root is the one active super admin (bert was deactivated above).
    const before = await snapshot();
    const self = await admin(DEACTIVATE, { e: 'root@seller.example' });
    expect(code(self)).toBe('CONFLICT');
    expect(self.errors![0].message).toMatch(/your own admin account/);
    const last = await admin(DEACTIVATE, { e: 'root@seller.example' }, bootstrap);
    expect(code(last)).toBe('CONFLICT');
    expect(last.errors![0].message).toMatch(/last active SUPER_ADMIN/);
    const demote = await admin(UPDATE, {
      e: 'root@seller.example',
      i: { roles: ['ACCOUNT_MANAGER'] },
    });
    expect(code(demote)).toBe('CONFLICT');
    expect(demote.errors![0].message).toMatch(/last active SUPER_ADMIN/);
    expect(await snapshot()).toEqual(before);
    expect(
      (await audit('admin.deactivate', 'root@seller.example')).map((r) => [r.actor, r.outcome]),
    ).toEqual([
      [superId, 'REFUSED'],
      ['ops@seller.example', 'REFUSED'],
    ]);

    // With a second active super admin, the first may go (by someone else).
    await admin(REACTIVATE, { e: 'bert@seller.example' });
    const demoted = await admin<{ updateAdminUser: Row }>(UPDATE, {
      e: 'root@seller.example',
      i: { roles: ['SUPER_ADMIN', 'CATALOG_MANAGER'] },
    });
    expect(demoted.errors).toBeUndefined();
    expect(code(await admin(DEACTIVATE, { e: 'bert@seller.example' }, bootstrap))).toBeUndefined();
    expect(code(await admin(DEACTIVATE, { e: 'root@seller.example' }, bootstrap))).toBe('CONFLICT');
  });

  it('keeps admin accounts to SUPER_ADMIN: other roles FORBIDDEN, logged', async () => {
    const anna = (
      await admin<{ createAdminUser: { initialPassword: string } }>(CREATE, {
        i: {
          email: 'carla@seller.example',
          name: 'Carla',
          roles: ['ACCOUNT_MANAGER', 'CATALOG_MANAGER'],
          tenants: ['jansen-bouw'],
        },
      })
    ).data!.createAdminUser.initialPassword;
    const carla = (await login('carla@seller.example', anna))!;
    const before = await snapshot();
    for (const [query, variables] of [
      [LIST, {}],
      [GET, { e: 'root@seller.example' }],
      [CREATE, { i: { email: 'evil@seller.example', name: 'E', roles: ['SUPER_ADMIN'] } }],
      [UPDATE, { e: 'carla@seller.example', i: { roles: ['SUPER_ADMIN'] } }],
      [DEACTIVATE, { e: 'root@seller.example' }],
      [REACTIVATE, { e: 'bert@seller.example' }],
    ] as Array<[string, Row]>) {
      const res = await admin(query, variables, carla);
      expect([query.slice(0, 40), code(res)]).toEqual([query.slice(0, 40), 'FORBIDDEN']);
    }
    expect(await snapshot()).toEqual(before);
    expect(await audit('admin.update', 'carla@seller.example')).toEqual([
      expect.objectContaining({
        outcome: 'REFUSED',
        reason: expect.stringContaining('admin accounts'),
      }),
    ]);
    expect(await audit('admin.create', 'evil@seller.example')).toHaveLength(1);
  });

  it('lists accounts by e-mail, page by page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Result<{
        adminUsers: {
          edges: Array<{ node: { email: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }> = await admin(LIST, { f: 2, a: after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.adminUsers.edges.map((e) => e.node.email));
      if (!res.data!.adminUsers.pageInfo.hasNextPage) break;
      after = res.data!.adminUsers.pageInfo.endCursor;
    }
    const all = await sql<Array<{ email: string }>>(`SELECT email FROM admin_user ORDER BY email`);
    expect(seen).toEqual(all.map((r) => r.email));
    expect(code(await admin(LIST, { f: 0 }))).toBe('BAD_USER_INPUT');
    expect(code(await admin(LIST, { a: 'garbage' }))).toBe('BAD_USER_INPUT');
  });

  it("changes one's own password with the current one; the audit row holds no secret", async () => {
    const next = 'a much longer new passphrase';
    const wrong = await admin(PASSWORD_CHANGE, { c: 'not my password!', n: next });
    expect([code(wrong), wrong.errors![0].extensions?.field]).toEqual([
      'BAD_USER_INPUT',
      'currentPassword',
    ]);
    const short = await admin(PASSWORD_CHANGE, { c: PASSWORD, n: 'short' });
    expect([code(short), short.errors![0].extensions?.field]).toEqual([
      'BAD_USER_INPUT',
      'newPassword',
    ]);
    const noAccount = await admin(PASSWORD_CHANGE, { c: PASSWORD, n: next }, bootstrap);
    expect(code(noAccount)).toBe('BAD_USER_INPUT');
    expect(await login('root@seller.example', PASSWORD)).toEqual(expect.any(String));

    const ok = await admin(PASSWORD_CHANGE, { c: PASSWORD, n: next });
    expect(ok.errors).toBeUndefined();
    expect(await login('root@seller.example', PASSWORD)).toBeNull();
    expect(await login('root@seller.example', next)).toEqual(expect.any(String));
    const rows = await audit('admin.password');
    expect(rows.map((r) => r.outcome)).toEqual(['REFUSED', 'REFUSED', 'REFUSED', 'APPLIED']);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(next);
    expect(text).not.toContain(PASSWORD);
    expect(rows[3]).toMatchObject({ actor: superId, before: null, after: null });
  });

  describe('an admin token on a tenant host', () => {
    const HOST_ACTION = 'admin-token.tenant-host';

    it('is refused on /graphql (401) and /admin/graphql (404), nothing runs, and the attempt is logged', async () => {
      const root = (await login('root@seller.example', 'a much longer new passphrase'))!;
      const before = await snapshot();
      const [{ n: companiesBefore }] = await sql<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM company`,
      );
      const storefront = await gql(
        api.port,
        JANSEN,
        `mutation { login(email: "x@y.example", password: "whatever long") { accessToken } }`,
        {},
        { authorization: `Bearer ${root}` },
      );
      expect([storefront.status, storefront.errors?.[0]?.extensions?.code]).toEqual([
        401,
        'UNAUTHENTICATED',
      ]);
      expect(storefront.errors![0].message).toMatch(/admin token is not accepted on a microsite/);
      const adminPath = await httpRequest(api.port, {
        host: JANSEN,
        method: 'POST',
        path: '/admin/graphql',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bootstrap}` },
        body: JSON.stringify({
          query: `mutation { createCompany(tenant: "jansen-bouw", input: { code: "via-tenant-host", name: "X" }) { code } }`,
        }),
      });
      expect(adminPath.status).toBe(404);
      expect(adminPath.body).toContain('NOT_FOUND');

      expect(await snapshot()).toEqual(before);
      const [{ n: companiesAfter }] = await sql<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM company`,
      );
      expect(companiesAfter).toBe(companiesBefore);
      expect(await audit(HOST_ACTION)).toEqual([
        expect.objectContaining({
          actor: superId,
          target: 'jansen-bouw.localhost POST /graphql',
          outcome: 'REFUSED',
          reason: expect.stringMatching(/^UNAUTHENTICATED/),
        }),
        expect.objectContaining({
          actor: 'ops@seller.example',
          target: 'jansen-bouw.localhost POST /admin/graphql',
          outcome: 'REFUSED',
          reason: expect.stringMatching(/^NOT_FOUND/),
        }),
      ]);
      // The super admin reads it in the audit log.
      const log = await admin<{ auditLog: { edges: Array<{ node: { action: string } }> } }>(
        `{ auditLog(first: 5) { edges { node { action } } } }`,
        {},
        root,
      );
      expect(log.data!.auditLog.edges.map((e) => e.node.action)).toContain(HOST_ACTION);
    });

    it('logs nothing for buyer tokens, forged admin tokens or garbage (and buyers are served as before)', async () => {
      const rows = (await audit(HOST_ACTION)).length;
      const buyer = await buyerHeaders(api, 'jansen-bouw');
      const served = await gql(api.port, JANSEN, '{ tenant { slug } }', {}, buyer);
      expect(served.data).toEqual({ tenant: { slug: 'jansen-bouw' } });
      // An admin-audience token signed with another key: proves nobody, not logged.
      const [head, , sig] = bootstrap.split('.');
      const payload = Buffer.from(
        JSON.stringify({ sub: 'mallory', aud: 'vitrine-admin', iss: 'vitrine', exp: 4102444800 }),
      ).toString('base64url');
      const forged = await gql(
        api.port,
        JANSEN,
        '{ tenant { slug } }',
        {},
        {
          authorization: `Bearer ${head}.${payload}.${sig}`,
        },
      );
      expect(forged.status).toBe(401);
      // Not a JWT at all: no decode, no log.
      const res = await gql(
        api.port,
        JANSEN,
        '{ tenant { slug } }',
        {},
        {
          authorization: 'Bearer not-a-jwt',
        },
      );
      expect(res.status).toBe(401);
      expect((await audit(HOST_ACTION)).length).toBe(rows);
    });
  });
});
