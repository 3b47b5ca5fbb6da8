import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { httpRequest, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { SiteVisitor } from './site-visitor';
import { maintenanceSql, seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const ADMIN = 'admin.localhost';
const JANSEN = 'jansen-bouw.localhost';
const PASSWORD = 'correct horse battery staple';

type Row = Record<string, unknown>;
const COMPANY_FIELDS = `tenantSlug code name vatId country paymentTerms { method netDays } creditLimit
  creditUsed poNumberRequired status currency`;
const USER_FIELDS = 'email name roles spendLimit status companyCode';
const COMPANIES = `query($t: String!) { companies(tenant: $t) { ${COMPANY_FIELDS} } }`;
const CREATE = `mutation($t: String!, $i: CreateCompanyInput!) {
  createCompany(tenant: $t, input: $i) { ${COMPANY_FIELDS} } }`;
const UPDATE = `mutation($t: String!, $c: String!, $i: UpdateCompanyInput!) {
  updateCompany(tenant: $t, code: $c, input: $i) { ${COMPANY_FIELDS} } }`;
const USERS = `query($t: String!, $c: String!) { companyUsers(tenant: $t, company: $c) { ${USER_FIELDS} } }`;
const INVITE = `mutation($t: String!, $c: String!, $i: InviteCompanyUserInput!) {
  inviteCompanyUser(tenant: $t, company: $c, input: $i) { ${USER_FIELDS} } }`;
const DEACTIVATE = `mutation($t: String!, $e: String!) {
  deactivateCompanyUser(tenant: $t, email: $e) { ${USER_FIELDS} } }`;
const UPDATE_USER = `mutation($t: String!, $e: String!, $i: UpdateCompanyUserInput!) {
  updateCompanyUser(tenant: $t, email: $e, input: $i) { ${USER_FIELDS} canSeePrices } }`;
const REACTIVATE = `mutation($t: String!, $e: String!) {
  reactivateCompanyUser(tenant: $t, email: $e) { ${USER_FIELDS} } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

/**
 * Companies and users through the admin API: create and change companies with tenant.yaml's
 * rules, invite users (the mail in the outbox, same transaction), deactivate them (their
 * storefront sessions end), the admin policy with refusals in the audit log, every bad input
 * with nothing applied, and tenant isolation.
 */
describe('companies and users (admin API, end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let superToken: string;
  let managerToken: string;
  let managerId: string;
  const running = () => api;
  const sql = maintenanceSql(running);

  async function admin<T = Row>(query: string, variables: Row, bearer = superToken) {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  }
  async function site<T = Row>(query: string, variables: Row) {
    const res = await httpRequest(api.port, {
      host: JANSEN,
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return res.json() as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  }
  const code = (res: { errors?: GraphQLResult['errors'] }) => res.errors?.[0]?.extensions?.code;
  const count = async (table: string) =>
    (await sql<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  /** Row counts of everything a company or user change could touch. */
  const snapshot = async () => ({
    company: await count('company'),
    app_user: await count('app_user'),
    user_token: await count('user_token'),
    outbox_event: await count('outbox_event'),
    applied: (
      await sql<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM audit_log WHERE outcome = 'APPLIED'`,
      )
    )[0].n,
  });
  const audit = (action: string, target: string) =>
    sql<
      Array<{
        actor: string;
        before: Row | null;
        after: Row | null;
        outcome: string;
        reason: string | null;
      }>
    >(
      `SELECT actor, before, after, outcome, reason FROM audit_log WHERE action = $1 AND target = $2 ORDER BY id`,
      [action, target],
    );

  beforeAll(async () => {
    db = await seededDatabase(100);
    api = await startApp(db, testConfig());
    superToken = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    const accounts = api.app.get(AdminAccountService);
    const { admin: manager } = await accounts.create('test', {
      email: 'am@seller.example',
      name: 'Account Manager',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['zorggroep-noord'],
      password: PASSWORD,
    });
    managerId = manager.id;
    const login = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }`,
        variables: { e: 'am@seller.example', p: PASSWORD },
      }),
    });
    managerToken = (login.json() as { data: { adminLogin: { token: string } } }).data.adminLogin
      .token;
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('creates a company with the rules of tenant.yaml, lists and changes it, audited', async () => {
    const created = await admin<{ createCompany: Row }>(CREATE, {
      t: 'jansen-bouw',
      i: {
        code: 'bouwmij-de',
        name: 'Bouwmij GmbH',
        vatId: 'de 136.695.976',
        paymentTerms: { method: 'on_account', netDays: 30 },
        creditLimit: '25000.50',
        poNumberRequired: true,
      },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createCompany).toEqual({
      tenantSlug: 'jansen-bouw',
      code: 'bouwmij-de',
      name: 'Bouwmij GmbH',
      vatId: 'DE136695976',
      country: 'DE', // from the VAT id, as in tenant.yaml
      paymentTerms: { method: 'on_account', netDays: 30 },
      creditLimit: '25000.50',
      creditUsed: '0.00',
      poNumberRequired: true,
      status: 'ACTIVE',
      currency: 'EUR',
    });
    const [ids] = await sql<Array<{ ok: boolean; credit_limit_minor: string }>>(
      `SELECT c.id = md5(t.id::text || '/' || c.code)::uuid AS ok, c.credit_limit_minor::text
         FROM company c JOIN tenant t ON t.id = c.tenant_id WHERE t.slug = 'jansen-bouw' AND c.code = 'bouwmij-de'`,
    );
    expect(ids).toEqual({ ok: true, credit_limit_minor: '2500050' });
    const [row] = await audit('company.create', 'bouwmij-de');
    expect(row).toMatchObject({
      actor: 'ops@seller.example',
      outcome: 'APPLIED',
      before: null,
      after: {
        name: 'Bouwmij GmbH',
        vatId: 'DE136695976',
        country: 'DE',
        creditLimitMinor: 2500050,
      },
    });

    const list = await admin<{ companies: Array<{ code: string }> }>(COMPANIES, {
      t: 'jansen-bouw',
    });
    expect(list.data!.companies.map((c) => c.code)).toEqual(['bouwmij-de', 'jansen-bouw']);

    const updated = await admin<{ updateCompany: Row }>(UPDATE, {
      t: 'jansen-bouw',
      c: 'bouwmij-de',
      i: { name: 'Bouwmij Deutschland GmbH', creditLimit: null, paymentTerms: null },
    });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateCompany).toMatchObject({
      name: 'Bouwmij Deutschland GmbH',
      vatId: 'DE136695976',
      country: 'DE',
      creditLimit: null,
      paymentTerms: null,
      poNumberRequired: true,
    });
    const [change] = await audit('company.update', 'bouwmij-de');
    expect(change).toMatchObject({
      outcome: 'APPLIED',
      before: { name: 'Bouwmij GmbH', creditLimitMinor: 2500050 },
      after: { name: 'Bouwmij Deutschland GmbH', creditLimitMinor: null, paymentTerms: null },
    });
  });

  it('refuses every bad company input with a clear code, nothing applied, each refusal logged', async () => {
    const before = await snapshot();
    const cases: Array<[string, Row, string, string]> = [
      ['duplicate code', { code: 'jansen-bouw', name: 'Dup' }, 'CONFLICT', 'already has a company'],
      [
        'invalid VAT id',
        { code: 'x-vat', name: 'X', vatId: 'NL123456789B99' },
        'BAD_USER_INPUT',
        'not a valid EU VAT id',
      ],
      [
        'VAT id of another country',
        { code: 'x-vat2', name: 'X', vatId: 'DE136695976', country: 'NL' },
        'BAD_USER_INPUT',
        'is not an id of NL',
      ],
      ['bad code', { code: 'has space', name: 'X' }, 'BAD_USER_INPUT', 'not a company code'],
      ['empty name', { code: 'x-name', name: '  ' }, 'BAD_USER_INPUT', 'needs a name'],
      [
        'negative credit limit',
        { code: 'x-neg', name: 'X', creditLimit: '-5.00' },
        'BAD_USER_INPUT',
        'cannot be negative',
      ],
      [
        'ill-formed credit limit',
        { code: 'x-ill', name: 'X', creditLimit: '12.345' },
        'BAD_USER_INPUT',
        'not a valid EUR amount',
      ],
      [
        'unknown payment method',
        { code: 'x-pay', name: 'X', paymentTerms: { method: 'cash' } },
        'BAD_USER_INPUT',
        'not a payment method',
      ],
      [
        'on_account without netDays',
        { code: 'x-net', name: 'X', paymentTerms: { method: 'on_account' } },
        'BAD_USER_INPUT',
        'netDays is required',
      ],
      [
        'bad country',
        { code: 'x-cty', name: 'X', country: 'Nederland' },
        'BAD_USER_INPUT',
        'not a country code',
      ],
    ];
    for (const [label, input, expected, text] of cases) {
      const res = await admin(CREATE, { t: 'jansen-bouw', i: input });
      expect([label, code(res)]).toEqual([label, expected]);
      expect([label, res.errors?.[0]?.message]).toEqual([label, expect.stringContaining(text)]);
    }
    const missing = await admin(CREATE, { t: 'no-such-tenant', i: { code: 'x', name: 'X' } });
    expect(code(missing)).toBe('NOT_FOUND');
    const unknown = await admin(UPDATE, { t: 'jansen-bouw', c: 'no-such', i: { name: 'Y' } });
    expect(code(unknown)).toBe('NOT_FOUND');
    const badUpdate = await admin(UPDATE, {
      t: 'jansen-bouw',
      c: 'jansen-bouw',
      i: { name: 'Changed', vatId: 'NL123456789B99' },
    });
    expect(code(badUpdate)).toBe('BAD_USER_INPUT');
    expect(await snapshot()).toEqual(before);
    const [{ name }] = await sql<Array<{ name: string }>>(
      `SELECT name FROM company WHERE code = 'jansen-bouw'`,
    );
    expect(name).toBe('Jansen Bouw B.V.');
    expect(await audit('company.create', 'jansen-bouw')).toEqual([
      expect.objectContaining({ outcome: 'REFUSED', reason: expect.stringContaining('CONFLICT') }),
    ]);
    expect((await audit('company.update', 'jansen-bouw'))[0]).toMatchObject({ outcome: 'REFUSED' });
  });

  it('invites a user: INVITED, the invitation mail in the outbox; the link works', async () => {
    const res = await admin<{ inviteCompanyUser: Row }>(INVITE, {
      t: 'jansen-bouw',
      c: 'bouwmij-de',
      i: {
        email: ' Klaus@Bouwmij.example ',
        name: 'Klaus',
        roles: ['BUYER', 'APPROVER'],
        spendLimit: '1500.00',
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.inviteCompanyUser).toEqual({
      email: 'klaus@bouwmij.example',
      name: 'Klaus',
      roles: ['BUYER', 'APPROVER'],
      spendLimit: '1500.00',
      status: 'INVITED',
      companyCode: 'bouwmij-de',
    });
    const mails = await sql<
      Array<{ payload: { template: string; to: string[]; data: { token: string } } }>
    >(
      `SELECT e.payload FROM outbox_event e JOIN tenant t ON t.id = e.tenant_id
        WHERE t.slug = 'jansen-bouw' AND e.payload->>'template' = 'invitation'
          AND e.payload->'to' ? 'klaus@bouwmij.example'`,
    );
    expect(mails).toHaveLength(1);
    expect((await audit('company.user.invite', 'klaus@bouwmij.example'))[0]).toMatchObject({
      outcome: 'APPLIED',
      after: { email: 'klaus@bouwmij.example', company: 'bouwmij-de', spendLimitMinor: 150000 },
    });
    const accepted = await site(
      `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
      { t: mails[0].payload.data.token, p: PASSWORD },
    );
    expect(accepted.errors).toBeUndefined();
    const users = await admin<{ companyUsers: Row[] }>(USERS, {
      t: 'jansen-bouw',
      c: 'bouwmij-de',
    });
    expect(users.data!.companyUsers).toEqual([
      expect.objectContaining({ email: 'klaus@bouwmij.example', status: 'ACTIVE' }),
    ]);
  });

  it('refuses bad invitations with nothing applied (no user, no token, no mail)', async () => {
    const before = await snapshot();
    const base = { email: 'new@bouwmij.example', name: 'New', roles: ['BUYER'] };
    const cases: Array<[string, Row, string, string, string?]> = [
      [
        'duplicate e-mail',
        { ...base, email: 'KLAUS@bouwmij.example' },
        'CONFLICT',
        'already has an account',
      ],
      [
        'e-mail of another company',
        { ...base, email: 'inkoop@jansenbouw.example' },
        'CONFLICT',
        'already has an account',
      ],
      [
        'unknown role',
        { ...base, roles: ['BUYER', 'KING'] },
        'BAD_USER_INPUT',
        'Unknown role(s): KING',
      ],
      ['no role', { ...base, roles: [] }, 'BAD_USER_INPUT', 'at least one role'],
      [
        'bad e-mail',
        { ...base, email: 'not-an-address' },
        'BAD_USER_INPUT',
        'not an e-mail address',
      ],
      ['negative limit', { ...base, spendLimit: '-1' }, 'BAD_USER_INPUT', 'cannot be negative'],
      [
        'ill-formed limit',
        { ...base, spendLimit: '1.505' },
        'BAD_USER_INPUT',
        'not a valid EUR amount',
      ],
      [
        'not a decimal',
        { ...base, spendLimit: '1,50' },
        'BAD_USER_INPUT',
        'Expected type "Decimal"',
      ],
      ['unknown company', base, 'NOT_FOUND', 'no company "nope"', 'nope'],
    ];
    for (const [label, input, expected, text, company] of cases) {
      const res = await admin(INVITE, { t: 'jansen-bouw', c: company ?? 'bouwmij-de', i: input });
      expect([label, code(res)]).toEqual([label, expected]);
      expect([label, res.errors?.[0]?.message]).toEqual([label, expect.stringContaining(text)]);
    }
    expect(await snapshot()).toEqual(before);
    const [klaus] = await sql<Array<{ name: string; roles: string[] }>>(
      `SELECT name, roles FROM app_user WHERE email = 'klaus@bouwmij.example'`,
    );
    expect(klaus).toEqual({ name: 'Klaus', roles: ['BUYER', 'APPROVER'] });
    expect(
      (await audit('company.user.invite', 'klaus@bouwmij.example')).map((r) => r.outcome),
    ).toEqual(['APPLIED', 'REFUSED']);
  });

  it('deactivates a user: their refresh token and web session stop working; audited', async () => {
    const visitor = await new SiteVisitor(running, JANSEN).login('klaus@bouwmij.example', PASSWORD);
    expect((await visitor.get('/')).body).toContain('Uitloggen');
    const session = await site<{ login: { refreshToken: string } }>(LOGIN, {
      e: 'klaus@bouwmij.example',
      p: PASSWORD,
    });
    expect(session.errors).toBeUndefined();

    const res = await admin<{ deactivateCompanyUser: Row }>(DEACTIVATE, {
      t: 'jansen-bouw',
      e: 'Klaus@Bouwmij.example',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.deactivateCompanyUser).toMatchObject({ status: 'DEACTIVATED' });

    expect((await visitor.get('/')).body).not.toContain('Uitloggen');
    const refreshed = await site(REFRESH, { t: session.data!.login.refreshToken });
    expect(code(refreshed)).toBe('UNAUTHENTICATED');
    expect(code(await site(LOGIN, { e: 'klaus@bouwmij.example', p: PASSWORD }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await audit('company.user.deactivate', 'klaus@bouwmij.example')).toEqual([
      expect.objectContaining({
        outcome: 'APPLIED',
        before: { status: 'ACTIVE' },
        after: { status: 'DEACTIVATED' },
      }),
    ]);
    // Again: a no-op, not a second audit row.
    const again = await admin(DEACTIVATE, { t: 'jansen-bouw', e: 'klaus@bouwmij.example' });
    expect(again.errors).toBeUndefined();
    expect(await audit('company.user.deactivate', 'klaus@bouwmij.example')).toHaveLength(1);
    const nobody = await admin(DEACTIVATE, { t: 'jansen-bouw', e: 'nobody@bouwmij.example' });
    expect(code(nobody)).toBe('NOT_FOUND');
  });

  it('reactivates a user (ACTIVE with their password; INVITED with a new invitation if they never set one), audited', async () => {
    const res = await admin<{ reactivateCompanyUser: Row }>(REACTIVATE, {
      t: 'jansen-bouw',
      e: 'KLAUS@bouwmij.example',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.reactivateCompanyUser).toMatchObject({ status: 'ACTIVE' });
    expect((await site(LOGIN, { e: 'klaus@bouwmij.example', p: PASSWORD })).errors).toBeUndefined();
    expect(await audit('company.user.reactivate', 'klaus@bouwmij.example')).toEqual([
      expect.objectContaining({
        outcome: 'APPLIED',
        before: expect.objectContaining({ status: 'DEACTIVATED' }),
        after: expect.objectContaining({ status: 'ACTIVE' }),
      }),
    ]);
    // Again: a no-op, no second row.
    expect(
      (await admin(REACTIVATE, { t: 'jansen-bouw', e: 'klaus@bouwmij.example' })).errors,
    ).toBeUndefined();
    expect(await audit('company.user.reactivate', 'klaus@bouwmij.example')).toHaveLength(1);

    // Invited, deactivated before accepting, reactivated: INVITED again with a fresh link.
    await admin(INVITE, {
      t: 'jansen-bouw',
      c: 'bouwmij-de',
      i: { email: 'greta@bouwmij.example', name: 'Greta', roles: ['VIEWER'] },
    });
    await admin(DEACTIVATE, { t: 'jansen-bouw', e: 'greta@bouwmij.example' });
    const greta = await admin<{ reactivateCompanyUser: Row }>(REACTIVATE, {
      t: 'jansen-bouw',
      e: 'greta@bouwmij.example',
    });
    expect(greta.data!.reactivateCompanyUser).toMatchObject({ status: 'INVITED' });
    const mails = await sql<Array<{ token: string }>>(
      `SELECT e.payload->'data'->>'token' AS token FROM outbox_event e
        WHERE e.payload->>'template' = 'invitation' AND e.payload->'to' ? 'greta@bouwmij.example' ORDER BY e.id`,
    );
    expect(mails).toHaveLength(2);
    const first = await site(
      `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
      { t: mails[0].token, p: PASSWORD },
    );
    expect(code(first)).toBeDefined(); // used up by the deactivation
    const second = await site(
      `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
      { t: mails[1].token, p: PASSWORD },
    );
    expect(second.errors).toBeUndefined();
  });

  it("changes a user with the rules of tenant.yaml: roles, spend limit, price visibility; the user's sessions end", async () => {
    const session = await site<{ login: { refreshToken: string } }>(LOGIN, {
      e: 'klaus@bouwmij.example',
      p: PASSWORD,
    });
    const res = await admin<{ updateCompanyUser: Row }>(UPDATE_USER, {
      t: 'jansen-bouw',
      e: 'Klaus@Bouwmij.example',
      i: {
        name: 'Klaus Berger',
        roles: ['viewer', 'BUYER', 'BUYER'],
        spendLimit: '250.50',
        canSeePrices: false,
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCompanyUser).toEqual({
      email: 'klaus@bouwmij.example',
      name: 'Klaus Berger',
      roles: ['VIEWER', 'BUYER'],
      spendLimit: '250.50',
      canSeePrices: false,
      status: 'ACTIVE',
      companyCode: 'bouwmij-de',
    });
    // New roles travel in new tokens: the old refresh token is revoked.
    expect(code(await site(REFRESH, { t: session.data!.login.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(await audit('company.user.update', 'klaus@bouwmij.example')).toEqual([
      expect.objectContaining({
        outcome: 'APPLIED',
        before: {
          name: 'Klaus',
          roles: ['BUYER', 'APPROVER'],
          spendLimitMinor: 150000,
          canSeePrices: true,
          status: 'ACTIVE',
        },
        after: {
          name: 'Klaus Berger',
          roles: ['VIEWER', 'BUYER'],
          spendLimitMinor: 25050,
          canSeePrices: false,
          status: 'ACTIVE',
        },
      }),
    ]);
    const removed = await admin<{ updateCompanyUser: Row }>(UPDATE_USER, {
      t: 'jansen-bouw',
      e: 'klaus@bouwmij.example',
      i: { spendLimit: null },
    });
    expect(removed.data!.updateCompanyUser).toMatchObject({
      spendLimit: null,
      name: 'Klaus Berger',
    });
    // The same values again: nothing written, no row.
    await admin(UPDATE_USER, {
      t: 'jansen-bouw',
      e: 'klaus@bouwmij.example',
      i: { name: 'Klaus Berger' },
    });
    expect(await audit('company.user.update', 'klaus@bouwmij.example')).toHaveLength(2);

    const before = await snapshot();
    const state = () =>
      sql<Array<Row>>(
        `SELECT name, roles, spend_limit_minor::text, can_see_prices, status FROM app_user WHERE email = 'klaus@bouwmij.example'`,
      );
    const user = await state();
    const cases: Array<[string, Row, string, string]> = [
      ['unknown role', { roles: ['BUYER', 'KING'] }, 'BAD_USER_INPUT', 'Unknown role(s): KING'],
      ['no role', { roles: [] }, 'BAD_USER_INPUT', 'at least one role'],
      ['negative limit', { spendLimit: '-1' }, 'BAD_USER_INPUT', 'cannot be negative'],
      ['ill-formed limit', { spendLimit: '1.505' }, 'BAD_USER_INPUT', 'not a valid EUR amount'],
      ['empty name', { name: '  ' }, 'BAD_USER_INPUT', 'needs a name'],
    ];
    for (const [label, input, expected, text] of cases) {
      const bad = await admin(UPDATE_USER, {
        t: 'jansen-bouw',
        e: 'klaus@bouwmij.example',
        i: input,
      });
      expect([label, code(bad)]).toEqual([label, expected]);
      expect([label, bad.errors?.[0]?.message]).toEqual([label, expect.stringContaining(text)]);
    }
    const nobody = await admin(UPDATE_USER, {
      t: 'jansen-bouw',
      e: 'nobody@bouwmij.example',
      i: { name: 'X' },
    });
    expect(code(nobody)).toBe('NOT_FOUND');
    expect(code(await admin(REACTIVATE, { t: 'jansen-bouw', e: 'nobody@bouwmij.example' }))).toBe(
      'NOT_FOUND',
    );
    expect(await snapshot()).toEqual(before);
    expect(await state()).toEqual(user);
    expect(
      (await audit('company.user.update', 'klaus@bouwmij.example')).filter(
        (r) => r.outcome === 'REFUSED',
      ),
    ).toHaveLength(cases.length);
  });

  it('keeps tenants apart: a company or user of one tenant is NOT_FOUND under another', async () => {
    expect(
      code(await admin(UPDATE, { t: 'zorggroep-noord', c: 'bouwmij-de', i: { name: 'X' } })),
    ).toBe('NOT_FOUND');
    expect(code(await admin(USERS, { t: 'zorggroep-noord', c: 'jansen-bouw' }))).toBe('NOT_FOUND');
    expect(
      code(
        await admin(INVITE, {
          t: 'zorggroep-noord',
          c: 'jansen-bouw',
          i: { email: 'a@b.example', name: 'A', roles: ['BUYER'] },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      code(await admin(DEACTIVATE, { t: 'zorggroep-noord', e: 'inkoop@jansenbouw.example' })),
    ).toBe('NOT_FOUND');
    // Tenant B's slug with tenant A's user: not found, nothing changed.
    const klausBefore = await sql<Array<Row>>(
      `SELECT name, roles, spend_limit_minor::text, status, updated_at FROM app_user WHERE email = 'klaus@bouwmij.example'`,
    );
    expect(
      code(
        await admin(UPDATE_USER, {
          t: 'zorggroep-noord',
          e: 'klaus@bouwmij.example',
          i: { name: 'Hijacked', roles: ['COMPANY_ADMIN'] },
        }),
      ),
    ).toBe('NOT_FOUND');
    await admin(DEACTIVATE, { t: 'jansen-bouw', e: 'greta@bouwmij.example' });
    expect(
      code(await admin(REACTIVATE, { t: 'zorggroep-noord', e: 'greta@bouwmij.example' })),
    ).toBe('NOT_FOUND');
    expect(
      await sql<Array<Row>>(
        `SELECT name, roles, spend_limit_minor::text, status, updated_at FROM app_user WHERE email = 'klaus@bouwmij.example'`,
      ),
    ).toEqual(klausBefore);
    const [{ status: gretaStatus }] = await sql<Array<{ status: string }>>(
      `SELECT status FROM app_user WHERE email = 'greta@bouwmij.example'`,
    );
    expect(gretaStatus).toBe('DEACTIVATED');
    const zorg = await admin<{ companies: Array<{ code: string }> }>(COMPANIES, {
      t: 'zorggroep-noord',
    });
    expect(zorg.data!.companies.map((c) => c.code)).not.toContain('bouwmij-de');
    const before = await snapshot();
    expect(
      code(
        await admin(UPDATE_USER, {
          t: 'zorggroep-noord',
          e: 'greta@bouwmij.example',
          i: { name: 'X' },
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);
  });

  it('lets an account manager work on their tenants only: FORBIDDEN elsewhere, logged REFUSED', async () => {
    const own = await admin<{ createCompany: Row }>(
      CREATE,
      { t: 'zorggroep-noord', i: { code: 'kliniek-oost', name: 'Kliniek Oost' } },
      managerToken,
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.createCompany).toMatchObject({ country: 'NL', vatId: null });
    expect((await audit('company.create', 'kliniek-oost'))[0]).toMatchObject({
      actor: managerId,
      outcome: 'APPLIED',
    });

    const before = await snapshot();
    const attempts: Array<[string, Row]> = [
      [COMPANIES, { t: 'jansen-bouw' }],
      [CREATE, { t: 'jansen-bouw', i: { code: 'am-try', name: 'Try' } }],
      [UPDATE, { t: 'jansen-bouw', c: 'jansen-bouw', i: { name: 'Try' } }],
      [USERS, { t: 'jansen-bouw', c: 'jansen-bouw' }],
      [
        INVITE,
        {
          t: 'jansen-bouw',
          c: 'jansen-bouw',
          i: { email: 'am-try@x.example', name: 'T', roles: ['BUYER'] },
        },
      ],
      [DEACTIVATE, { t: 'jansen-bouw', e: 'inkoop@jansenbouw.example' }],
      [
        UPDATE_USER,
        { t: 'jansen-bouw', e: 'klaus@bouwmij.example', i: { roles: ['COMPANY_ADMIN'] } },
      ],
      [REACTIVATE, { t: 'jansen-bouw', e: 'greta@bouwmij.example' }],
    ];
    for (const [query, variables] of attempts) {
      const res = await admin(query, variables, managerToken);
      expect(code(res)).toBe('FORBIDDEN');
    }
    expect(await snapshot()).toEqual(before);
    expect(await audit('company.create', 'am-try')).toEqual([
      expect.objectContaining({
        actor: managerId,
        outcome: 'REFUSED',
        reason: expect.stringContaining('FORBIDDEN'),
      }),
    ]);
    const deactivations = await audit('company.user.deactivate', 'inkoop@jansenbouw.example');
    expect(deactivations.filter((r) => r.actor === managerId)).toEqual([
      expect.objectContaining({ actor: managerId, outcome: 'REFUSED' }),
    ]);
    const [{ status }] = await sql<Array<{ status: string }>>(
      `SELECT status FROM app_user WHERE email = 'inkoop@jansenbouw.example'`,
    );
    expect(status).toBe('INVITED'); // as seeded: untouched
    for (const [action, target] of [
      ['company.user.update', 'klaus@bouwmij.example'],
      ['company.user.reactivate', 'greta@bouwmij.example'],
    ])
      expect((await audit(action, target)).filter((r) => r.actor === managerId)).toEqual([
        expect.objectContaining({
          outcome: 'REFUSED',
          reason: expect.stringContaining('FORBIDDEN'),
        }),
      ]);
    const [klaus] = await sql<Array<{ roles: string[] }>>(
      `SELECT roles FROM app_user WHERE email = 'klaus@bouwmij.example'`,
    );
    expect(klaus.roles).toEqual(['VIEWER', 'BUYER']);
  });
});
