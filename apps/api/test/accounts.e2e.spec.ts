import { Logger } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { createHmac } from 'node:crypto';
import { InvitationService, LOGIN_LIMITS } from '@vitrine/accounts';
import { TenantDb } from '@vitrine/database';
import { readMailbox } from '@vitrine/notifications';
import { OutboxWorker } from '@vitrine/outbox';
import { ACCESS_METADATA } from '@vitrine/tenancy';
import { gql, type GraphQLResult, type TestDatabase } from '@vitrine/testing';
import { seededDatabase, startApp, testConfig, type RunningApp } from './test-app';

const JANSEN = 'jansen-bouw.localhost';
const ZORG = 'zorggroep-noord.localhost';
const PASSWORD = 'correct horse battery staple';

type Payload = {
  accessToken: string;
  refreshToken: string;
  user: { email: string; roles: string[] };
};
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  accessToken refreshToken expiresIn user { email name roles canSeePrices company { name } } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

/**
 * Accounts through the storefront API: invitations, sign-in, rotating sessions, the access
 * guard on every operation, and the company admin's powers — and their limits.
 */
describe('accounts (end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  const logged: string[] = [];
  const responses: string[] = [];
  let jansenId: string;

  const call = async <T>(
    host: string,
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ) => {
    const res = await gql<T>(
      api.port,
      host,
      query,
      variables,
      token ? { authorization: `Bearer ${token}` } : {},
    );
    responses.push(JSON.stringify(res));
    return res;
  };
  const code = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;
  /** Mails the outbox delivered to an address: the .eml files in the test's MAILBOX_DIR. */
  const mailsTo = async (address: string) => {
    await api.app.get(OutboxWorker).drain();
    return readMailbox(api.config.mail.mailboxDir, 'jansen-bouw').filter((m) => m.to === address);
  };
  const linkIn = (text: string) => /https?:\/\/\S+\?token=\S+/.exec(text)?.[0] ?? '';
  const maintenance = <T>(sql: string, params: unknown[] = []) =>
    api.app.get(TenantDb).maintenance((em) => em.query(sql, params) as Promise<T>);

  /** A user of a company of a tenant, with a password set through the invitation flow. */
  async function member(host: string, email: string, roles: string[], companyCode?: string) {
    const slug = host.split('.')[0];
    const [row] = await maintenance<Array<{ id: string; tenant_id: string }>>(
      `INSERT INTO app_user (tenant_id, company_id, email, name, roles)
       SELECT t.id, c.id, $2, $2, $3::text[] FROM tenant t JOIN company c ON c.tenant_id = t.id AND c.code = $4
       WHERE t.slug = $1
       ON CONFLICT (tenant_id, email) DO UPDATE SET roles = EXCLUDED.roles
       RETURNING id, tenant_id`,
      [slug, email, roles, companyCode ?? slug],
    );
    const token = await api.app
      .get(TenantDb)
      .maintenance((em) =>
        api.app.get(InvitationService).issue(em, row.tenant_id, row.id, 'INVITATION'),
      );
    const accepted = await call(
      host,
      `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
      { t: token, p: PASSWORD },
    );
    expect(accepted.errors).toBeUndefined();
    return { token, id: row.id };
  }

  async function login(host: string, email: string, password = PASSWORD) {
    return call<{ login: Payload }>(host, LOGIN, { e: email, p: password });
  }

  beforeAll(async () => {
    for (const level of ['log', 'warn', 'error', 'debug', 'verbose'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    db = await seededDatabase(300);
    api = await startApp(db, testConfig());
    [{ id: jansenId }] = await maintenance<Array<{ id: string }>>(
      `SELECT id FROM tenant WHERE slug = 'jansen-bouw'`,
    );
    await maintenance(
      `INSERT INTO company (tenant_id, code, name, country) VALUES ($1, 'JB-NOORD', 'Jansen Noord', 'NL')`,
      [jansenId],
    );
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await api?.app.close();
    await db?.close();
  });

  it('invites the users of tenant.yaml: they exist, have no password and cannot sign in yet', async () => {
    const users = await maintenance<
      Array<{ email: string; status: string; password_hash: string | null; roles: string[] }>
    >(
      `SELECT email, status, password_hash, roles FROM app_user WHERE tenant_id = $1 ORDER BY email`,
      [jansenId],
    );
    expect(users).toEqual([
      {
        email: 'inkoop@jansenbouw.example',
        status: 'INVITED',
        password_hash: null,
        roles: ['BUYER', 'APPROVER'],
      },
      {
        email: 'werkvoorbereiding@jansenbouw.example',
        status: 'INVITED',
        password_hash: null,
        roles: ['REQUISITIONER'],
      },
    ]);
    expect(code(await login(JANSEN, 'inkoop@jansenbouw.example'))).toBe('UNAUTHENTICATED');
  });

  it('signs in after accepting an invitation; the link works once', async () => {
    const { token } = await member(JANSEN, 'inkoop@jansenbouw.example', ['BUYER', 'APPROVER']);
    const again = await call(
      JANSEN,
      `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
      { t: token, p: 'another long password' },
    );
    expect(code(again)).toBe('UNAUTHENTICATED');
    expect(again.errors![0].message).toMatch(/already been used or has expired/);

    const res = await login(JANSEN, 'Inkoop@JansenBouw.example ');
    expect(res.errors).toBeUndefined();
    expect(res.data!.login.user).toEqual({
      email: 'inkoop@jansenbouw.example',
      name: 'Petra Jansen',
      roles: ['BUYER', 'APPROVER'],
      canSeePrices: true,
      company: { name: 'Jansen Bouw B.V.' },
    });
    const me = await call<{ me: { email: string } | null }>(
      JANSEN,
      '{ me { email roles } }',
      {},
      res.data!.login.accessToken,
    );
    expect(me.data!.me).toEqual({
      email: 'inkoop@jansenbouw.example',
      roles: ['BUYER', 'APPROVER'],
    });
    expect((await call<{ me: unknown }>(JANSEN, '{ me { email } }')).data!.me).toBeNull();
    // The buyer sees the catalog with prices; the same token is refused on another site.
    const page = await call<{ products: { totalCount: number } }>(
      JANSEN,
      '{ products(first: 1) { totalCount } }',
      {},
      res.data!.login.accessToken,
    );
    expect(page.data!.products.totalCount).toBeGreaterThan(0);
    const elsewhere = await call(ZORG, '{ tenant { name } }', {}, res.data!.login.accessToken);
    expect(elsewhere.status).toBe(401);
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const wrong = await login(JANSEN, 'inkoop@jansenbouw.example', 'not the password at all');
    const unknown = await login(JANSEN, 'nobody@jansenbouw.example', 'not the password at all');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(code(res)).toBe('UNAUTHENTICATED');
    }
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
    // The same e-mail on another site is another account: jansen's password does not open it.
    expect(code(await login(ZORG, 'inkoop@jansenbouw.example'))).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens; reusing an old one ends the whole session family; logout ends it too', async () => {
    const first = (await login(JANSEN, 'inkoop@jansenbouw.example')).data!.login;
    const second = (
      await call<{ refreshSession: Payload }>(JANSEN, REFRESH, { t: first.refreshToken })
    ).data!.refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reuse = await call(JANSEN, REFRESH, { t: first.refreshToken });
    expect(code(reuse)).toBe('UNAUTHENTICATED');
    expect(code(await call(JANSEN, REFRESH, { t: second.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(logged.some((l) => /Refresh token reuse/.test(l))).toBe(true);

    const third = (await login(JANSEN, 'inkoop@jansenbouw.example')).data!.login;
    await call(JANSEN, `mutation($t: String!) { logout(refreshToken: $t) }`, {
      t: third.refreshToken,
    });
    expect(code(await call(JANSEN, REFRESH, { t: third.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned token (alg: none) and a token signed with another key', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      sub: 'x',
      tenant: jansenId,
      company: null,
      prices: true,
      roles: ['COMPANY_ADMIN'],
      iss: 'vitrine',
      exp: Math.floor(Date.now() / 1000) + 600,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const forged = `${body}.${createHmac('sha256', 'guessed-secret-guessed-secret-guessed').update(body).digest('base64url')}`;
    for (const token of [none, forged]) {
      const res = await call(JANSEN, '{ tenant { name } }', {}, token);
      expect(res.status).toBe(401);
      expect(code(res)).toBe('UNAUTHENTICATED');
    }
  });

  it('limits sign-in attempts per account with RATE_LIMITED', async () => {
    await member(JANSEN, 'limited@jansenbouw.example', ['VIEWER']);
    let last: GraphQLResult<unknown> | null = null;
    for (let i = 0; i <= LOGIN_LIMITS.perAccount; i++)
      last = await login(JANSEN, 'limited@jansenbouw.example', 'wrong password!!');
    expect(code(last!)).toBe('RATE_LIMITED');
    expect(last!.status).toBe(429);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits for the window to end.
    expect(code(await login(JANSEN, 'limited@jansenbouw.example'))).toBe('RATE_LIMITED');
  });

  describe('roles and the company admin', () => {
    let admin: string;
    let requisitioner: string;
    let buyer: string;

    beforeAll(async () => {
      await member(JANSEN, 'admin@jansenbouw.example', ['COMPANY_ADMIN']);
      await member(JANSEN, 'werkvoorbereiding@jansenbouw.example', ['REQUISITIONER']);
      await member(JANSEN, 'noord@jansenbouw.example', ['BUYER'], 'JB-NOORD');
      admin = (await login(JANSEN, 'admin@jansenbouw.example')).data!.login.accessToken;
      requisitioner = (await login(JANSEN, 'werkvoorbereiding@jansenbouw.example')).data!.login
        .accessToken;
      buyer = (await login(JANSEN, 'inkoop@jansenbouw.example')).data!.login.accessToken;
    });

    const USERS = '{ companyUsers { email roles status spendLimit canSeePrices } }';
    const UPDATE = `mutation($e: String!, $i: UpdateUserInput!) { updateUser(email: $e, input: $i) { email roles spendLimit canSeePrices } }`;

    it('lets only company admins see and manage users, and only of their own company', async () => {
      expect(code(await call(JANSEN, USERS, {}, requisitioner))).toBe('FORBIDDEN');
      expect(code(await call(JANSEN, USERS, {}, buyer))).toBe('FORBIDDEN');
      // A buyer granting itself COMPANY_ADMIN.
      const escalate = await call(
        JANSEN,
        UPDATE,
        { e: 'inkoop@jansenbouw.example', i: { roles: ['COMPANY_ADMIN'] } },
        buyer,
      );
      expect(code(escalate)).toBe('FORBIDDEN');
      const list = await call<{ companyUsers: Array<{ email: string }> }>(JANSEN, USERS, {}, admin);
      expect(list.data!.companyUsers.map((u) => u.email)).not.toContain('noord@jansenbouw.example');
      // A user of another company of the same tenant is not found, not forbidden.
      const other = await call(
        JANSEN,
        UPDATE,
        { e: 'noord@jansenbouw.example', i: { roles: ['VIEWER'] } },
        admin,
      );
      expect(code(other)).toBe('NOT_FOUND');
      const self = await call(
        JANSEN,
        UPDATE,
        { e: 'admin@jansenbouw.example', i: { roles: ['BUYER'] } },
        admin,
      );
      expect(code(self)).toBe('FORBIDDEN');
      const roles = await maintenance<Array<{ email: string; roles: string[] }>>(
        `SELECT email, roles FROM app_user WHERE email IN ('inkoop@jansenbouw.example', 'noord@jansenbouw.example') ORDER BY email`,
      );
      expect(roles).toEqual([
        { email: 'inkoop@jansenbouw.example', roles: ['BUYER', 'APPROVER'] },
        { email: 'noord@jansenbouw.example', roles: ['BUYER'] },
      ]);
      expect(logged.some((l) => /Refused Query\.companyUsers \(MANAGE_COMPANY\)/.test(l))).toBe(
        true,
      );
    });

    it('sets roles, spend limit and price visibility; a user without price visibility gets null prices', async () => {
      const res = await call<{ updateUser: unknown }>(
        JANSEN,
        UPDATE,
        {
          e: 'werkvoorbereiding@jansenbouw.example',
          i: { roles: ['REQUISITIONER', 'VIEWER'], spendLimit: '750.00', canSeePrices: false },
        },
        admin,
      );
      expect(res.data!.updateUser).toEqual({
        email: 'werkvoorbereiding@jansenbouw.example',
        roles: ['REQUISITIONER', 'VIEWER'],
        spendLimit: '750.00',
        canSeePrices: false,
      });
      // The change ended the user's sessions; the next sign-in carries it.
      const token = (await login(JANSEN, 'werkvoorbereiding@jansenbouw.example')).data!.login
        .accessToken;
      const page = await call<{
        products: {
          edges: Array<{ node: { variants: Array<{ price: unknown; tierPrices: unknown[] }> } }>;
        };
      }>(
        JANSEN,
        '{ products(first: 2) { edges { node { variants { price { source } tierPrices { minQuantity } } } } } }',
        {},
        token,
      );
      for (const v of page.data!.products.edges.flatMap((e) => e.node.variants)) {
        expect(v.price).toBeNull();
        expect(v.tierPrices).toEqual([]);
      }
      const bad = await call(
        JANSEN,
        UPDATE,
        { e: 'werkvoorbereiding@jansenbouw.example', i: { spendLimit: '-5' } },
        admin,
      );
      expect(code(bad)).toBe('BAD_USER_INPUT');
    });

    it('mails a password-reset link through the outbox; the link sets a new password once', async () => {
      await member(JANSEN, 'vergeten@jansenbouw.example', ['BUYER']);
      const asked = await call(
        JANSEN,
        `mutation { requestPasswordReset(email: "Vergeten@JansenBouw.example") }`,
      );
      expect(asked.data).toEqual({ requestPasswordReset: true });
      await call(JANSEN, `mutation { requestPasswordReset(email: "niemand@jansenbouw.example") }`);
      expect(await mailsTo('niemand@jansenbouw.example')).toEqual([]);
      const [mail] = await mailsTo('vergeten@jansenbouw.example');
      expect(mail.subject).toBe('Nieuw wachtwoord voor Jansen Bouw B.V.');
      const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
      expect(linkIn(mail.text)).toMatch(
        /^https:\/\/jansen-bouw\.localhost\/password-reset\?token=/,
      );
      const reset = `mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }`;
      const first = await call(JANSEN, reset, { t: token, p: `${PASSWORD} 2` });
      expect(first.errors).toBeUndefined();
      expect(code(await call(JANSEN, reset, { t: token, p: `${PASSWORD} 3` }))).toBe(
        'UNAUTHENTICATED',
      );
      expect(
        (await login(JANSEN, 'vergeten@jansenbouw.example', `${PASSWORD} 2`)).data?.login,
      ).toBeTruthy();
    });

    it('invites a colleague by e-mail, and deactivates one: their sessions and sign-in end', async () => {
      const invited = await call<{ inviteUser: { status: string } }>(
        JANSEN,
        `mutation($i: InviteUserInput!) { inviteUser(input: $i) { email status roles } }`,
        { i: { email: 'Nieuw@JansenBouw.example', name: 'Nieuwe Collega', roles: ['VIEWER'] } },
        admin,
      );
      expect(invited.data!.inviteUser).toEqual({
        email: 'nieuw@jansenbouw.example',
        status: 'INVITED',
        roles: ['VIEWER'],
      });
      const [mail, ...more] = await mailsTo('nieuw@jansenbouw.example');
      expect(more).toHaveLength(0);
      expect(mail.subject).toBe('Uw account voor Jansen Bouw B.V.');
      expect(mail.text).toContain('Beste Nieuwe Collega,');
      expect(linkIn(mail.text)).toMatch(/^https:\/\/jansen-bouw\.localhost\/invitation\?token=/);
      const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
      const ok = await call(
        JANSEN,
        `mutation($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) }`,
        { t: token, p: PASSWORD },
      );
      expect(ok.errors).toBeUndefined();
      const session = (await login(JANSEN, 'nieuw@jansenbouw.example')).data!.login;

      const off = await call<{ deactivateUser: { status: string } }>(
        JANSEN,
        `mutation { deactivateUser(email: "nieuw@jansenbouw.example") { status } }`,
        {},
        admin,
      );
      expect(off.data!.deactivateUser.status).toBe('DEACTIVATED');
      expect(code(await login(JANSEN, 'nieuw@jansenbouw.example'))).toBe('UNAUTHENTICATED');
      expect(code(await call(JANSEN, REFRESH, { t: session.refreshToken }))).toBe(
        'UNAUTHENTICATED',
      );
    });

    it('keeps cost centres per company; only admins change them', async () => {
      const SAVE = `mutation($c: String!, $n: String!) { saveCostCentre(code: $c, name: $n) { code name active } }`;
      expect(code(await call(JANSEN, SAVE, { c: 'KP-100', n: 'Project Kade' }, buyer))).toBe(
        'FORBIDDEN',
      );
      const saved = await call<{ saveCostCentre: unknown }>(
        JANSEN,
        SAVE,
        { c: 'KP-100', n: 'Project Kade' },
        admin,
      );
      expect(saved.data!.saveCostCentre).toEqual({
        code: 'KP-100',
        name: 'Project Kade',
        active: true,
      });
      const seen = await call<{ costCentres: unknown[] }>(
        JANSEN,
        '{ costCentres { code } }',
        {},
        buyer,
      );
      expect(seen.data!.costCentres).toEqual([{ code: 'KP-100' }]);
      const noord = (await login(JANSEN, 'noord@jansenbouw.example')).data!.login.accessToken;
      expect(
        (await call<{ costCentres: unknown[] }>(JANSEN, '{ costCentres { code } }', {}, noord))
          .data!.costCentres,
      ).toEqual([]);
    });

    it('keeps addresses per company', async () => {
      const added = await call<{ addAddress: { id: string } }>(
        JANSEN,
        `mutation($i: AddressInput!) { addAddress(input: $i) { id kind name city country isDefault } }`,
        {
          i: {
            kind: 'SHIPPING',
            name: 'Bouwplaats Zuid',
            street: 'Kade 1',
            postalCode: '1234 AB',
            city: 'Utrecht',
            country: 'nl',
            isDefault: true,
          },
        },
        admin,
      );
      expect(added.errors).toBeUndefined();
      const listed = await call<{
        addresses: Array<{ name: string; country: string; isDefault: boolean }>;
      }>(JANSEN, '{ addresses { name country isDefault } }', {}, buyer);
      // Beside the addresses tenant.yaml declares; the new default is the only default ship-to.
      expect(listed.data!.addresses).toContainEqual({
        name: 'Bouwplaats Zuid',
        country: 'NL',
        isDefault: true,
      });
      expect(listed.data!.addresses.filter((a) => a.isDefault).map((a) => a.name)).toEqual(
        expect.arrayContaining(['Bouwplaats Zuid']),
      );
      const noord = (await login(JANSEN, 'noord@jansenbouw.example')).data!.login.accessToken;
      expect(
        (await call<{ addresses: unknown[] }>(JANSEN, '{ addresses { city } }', {}, noord)).data!
          .addresses,
      ).toEqual([]);
      const bad = await call(
        JANSEN,
        `mutation($i: AddressInput!) { addAddress(input: $i) { id } }`,
        {
          i: {
            kind: 'BILLING',
            name: 'X',
            street: 'Y',
            postalCode: '1',
            city: 'Z',
            country: 'Nederland',
          },
        },
        admin,
      );
      expect(code(bad)).toBe('BAD_USER_INPUT');
    });
  });

  it('declares an access rule on every Query and Mutation of the schema', () => {
    const schema = api.app.get(GraphQLSchemaHost).schema;
    const fields = [
      ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
    ];
    const declared = new Set<string>();
    const scanner = new MetadataScanner();
    const wrappers = [...api.app.get(ModulesContainer).values()].flatMap((m) => [
      ...m.providers.values(),
    ]);
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(proto)) {
        const method = proto[name] as object;
        const type = Reflect.getMetadata('graphql:resolver_type', method) as string | undefined;
        if (type !== 'Query' && type !== 'Mutation') continue;
        const field =
          (Reflect.getMetadata('graphql:resolver_name', method) as string | undefined) ?? name;
        if (Reflect.getMetadata(ACCESS_METADATA, method)) declared.add(`${type}.${field}`);
      }
    }
    expect(fields.filter((f) => !declared.has(f))).toEqual([]);
  });

  it('never shows a password hash, refresh-token hash or one-time token in a response or a log line', async () => {
    const secrets = await maintenance<Array<{ s: string }>>(
      `SELECT password_hash AS s FROM app_user WHERE password_hash IS NOT NULL
       UNION ALL SELECT token_hash FROM refresh_token UNION ALL SELECT token_hash FROM user_token`,
    );
    expect(secrets.length).toBeGreaterThan(5);
    const everything = [...responses, ...logged].join('\n');
    expect(everything).not.toContain('$argon2');
    for (const { s } of secrets) expect(everything).not.toContain(s);
    const mails = await mailsTo('nieuw@jansenbouw.example');
    expect(mails.length).toBeGreaterThan(0);
    for (const mail of mails) {
      const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
      expect(token.length).toBeGreaterThan(20);
      expect(logged.join('\n')).not.toContain(token);
    }
  });
});
