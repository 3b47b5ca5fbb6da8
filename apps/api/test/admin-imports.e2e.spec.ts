import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import { gql, httpRequest, type TestDatabase } from '@vitrine/testing';
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
const ZORG = 'zorggroep-noord.localhost';
const PASSWORD = 'correct horse battery staple';
/** Small, so that the oversize test stays small; every other file here is far below it. */
const MAX_BYTES = 64 * 1024;

type Row = Record<string, unknown>;
interface Job {
  id: string;
  kind: string;
  status: string;
  tenantSlug: string | null;
  format: string;
  sizeBytes: number | null;
  rowsRead: number;
  rowsCreated: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  error: string | null;
  hasRejects: boolean;
  rejectsUrl: string | null;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
const JOB_FIELDS = `id kind status tenantSlug format sizeBytes rowsRead rowsCreated rowsUpdated
  rowsUnchanged rowsRejected error hasRejects rejectsUrl requestedBy createdAt startedAt finishedAt`;

const CATALOG_HEADER =
  'sku,product,category,manufacturer,name_nl,name_en,gtin,stock,unit,order_multiple,list_price';

/**
 * Imports as jobs through the admin API: a file uploaded to POST /admin/imports/<kind> on the
 * admin host, polled with importJob until it ends, counters and reject file; the policy
 * (CATALOG / PRICES, customer SKUs bound to their tenant) with refusals in the audit log; the
 * limits of the upload; and an interrupted job reported FAILED.
 */
describe('imports as jobs (admin API, end to end)', () => {
  let db: TestDatabase;
  let api: RunningApp;
  let superToken: string;
  let catalogToken: string;
  let managerToken: string;
  let managerId: string;
  const sql = maintenanceSql(() => api);

  async function login(email: string): Promise<string> {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($e: String!, $p: String!) { adminLogin(email: $e, password: $p) { token } }`,
        variables: { e: email, p: PASSWORD },
      }),
    });
    return (res.json() as { data: { adminLogin: { token: string } } }).data.adminLogin.token;
  }

  function upload(
    path: string,
    body: string | Buffer | undefined,
    options: { token?: string | null; host?: string; type?: string; headers?: Row } = {},
  ) {
    const token = options.token === undefined ? superToken : options.token;
    return httpRequest(api.port, {
      host: options.host ?? ADMIN,
      method: 'POST',
      path,
      headers: {
        ...(options.type === '' ? {} : { 'content-type': options.type ?? 'text/csv' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...((options.headers ?? {}) as Record<string, string>),
      },
      body,
    });
  }

  async function admin<T = Row>(query: string, variables: Row = {}, token = superToken) {
    const res = await httpRequest(api.port, {
      host: ADMIN,
      method: 'POST',
      path: '/admin/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return res.json() as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
  }

  const getJob = async (id: string, token = superToken) =>
    admin<{ importJob: Job | null }>(
      `query($id: ID!) { importJob(id: $id) { ${JOB_FIELDS} } }`,
      {
        id,
      },
      token,
    );

  /** Polls importJob (as a client would) until the job has ended. */
  async function poll(id: string): Promise<Job> {
    for (let i = 0; i < 400; i++) {
      const res = await getJob(id);
      const job = res.data?.importJob;
      if (!job) throw new Error(`importJob(${id}): ${JSON.stringify(res)}`);
      if (job.status === 'SUCCEEDED' || job.status === 'FAILED') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`import job ${id} did not end`);
  }

  async function started(res: Awaited<ReturnType<typeof upload>>): Promise<Job> {
    if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${res.body}`);
    return res.json<Job>();
  }

  const auditRows = (action: string) =>
    sql<
      Array<{
        actor: string;
        tenant_id: string | null;
        target: string;
        after: Row | null;
        outcome: string;
        reason: string | null;
      }>
    >(
      `SELECT actor, tenant_id, target, after, outcome, reason FROM audit_log WHERE action = $1 ORDER BY id`,
      [action],
    );
  const jobCount = async () =>
    (await sql<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM import_job`))[0].n;

  beforeAll(async () => {
    db = await seededDatabase(100);
    api = await startApp(
      db,
      testConfig({
        IMPORT_MAX_BYTES: String(MAX_BYTES),
        IMPORT_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'vitrine-imports-')),
      }),
    );
    superToken = (await api.app.get(AdminTokenService).sign('ops@seller.example', 1)).token;
    const accounts = api.app.get(AdminAccountService);
    await accounts.create('test', {
      email: 'catalog@seller.example',
      name: 'Catalog Manager',
      roles: ['CATALOG_MANAGER'],
      password: PASSWORD,
    });
    const { admin: manager } = await accounts.create('test', {
      email: 'am@seller.example',
      name: 'Account Manager',
      roles: ['ACCOUNT_MANAGER'],
      tenants: ['zorggroep-noord'],
      password: PASSWORD,
    });
    managerId = manager.id;
    catalogToken = await login('catalog@seller.example');
    managerToken = await login('am@seller.example');
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.close();
  });

  it('imports a catalog CSV as a job: 202, polled to SUCCEEDED, the product on a storefront whose assortment has it', async () => {
    const file = [
      CATALOG_HEADER,
      'IMPJ-001,impj-schroef,schroeven,Fixtra,Jobschroef 4x40,Job screw 4x40,,100,PCE,1,12.50',
      'IMPJ-002,impj-schroef,schroeven,Fixtra,Jobschroef 5x50,Job screw 5x50,,50,PCE,1,13.10',
    ].join('\n');
    // Asked (and cached by the response cache) before the import: not there yet.
    const query = `query($s: String!) { product(sku: $s) { name variants { sku } } }`;
    const jansenBuyer = await buyerHeaders(api, 'jansen-bouw');
    const before = await gql<{ product: unknown }>(
      api.port,
      JANSEN,
      query,
      { s: 'IMPJ-002' },
      jansenBuyer,
    );
    expect(before.data?.product).toBeNull();
    const res = await upload('/admin/imports/catalog', `${file}\n`, { token: catalogToken });
    const queued = await started(res);
    expect(queued).toMatchObject({
      kind: 'CATALOG',
      status: expect.stringMatching(/^(QUEUED|RUNNING)$/),
      format: 'csv',
      sizeBytes: Buffer.byteLength(`${file}\n`),
      tenantSlug: null,
      requestedBy: 'catalog@seller.example',
    });

    const done = await poll(queued.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 2,
      rowsCreated: 2,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsRejected: 0,
      error: null,
      hasRejects: false,
      rejectsUrl: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    // Jansen's assortment includes bevestigingsmaterialen (schroeven is under it), Zorggroep's
    // not. The import gave every tenant a new version: the cached "null" above is not served.
    const jansen = await gql<{ product: { variants: Array<{ sku: string }> } | null }>(
      api.port,
      JANSEN,
      query,
      { s: 'IMPJ-002' },
      jansenBuyer,
    );
    expect(jansen.data?.product?.variants.map((v) => v.sku).sort()).toEqual([
      'IMPJ-001',
      'IMPJ-002',
    ]);
    const zorg = await gql<{ product: unknown }>(
      api.port,
      ZORG,
      query,
      { s: 'IMPJ-002' },
      await buyerHeaders(api, 'zorggroep-noord'),
    );
    expect(zorg.data?.product).toBeNull();

    // Audited with kind, size and job id; the spooled upload is gone once the job ended.
    const [row] = (await auditRows('import.start')).filter((r) => r.target === queued.id);
    expect(row).toMatchObject({
      outcome: 'APPLIED',
      tenant_id: null,
      after: { job: queued.id, kind: 'catalog', format: 'csv', sizeBytes: queued.sizeBytes },
    });
    const [stored] = await sql<Array<{ source: string; requested_by: string | null }>>(
      `SELECT source, requested_by FROM import_job WHERE id = $1`,
      [queued.id],
    );
    expect(stored.requested_by).not.toBeNull();
    expect(existsSync(stored.source)).toBe(false);

    // The same file again changes nothing (imports are idempotent).
    const again = await poll(
      (await started(await upload('/admin/imports/catalog', `${file}\n`))).id,
    );
    expect(again).toMatchObject({ status: 'SUCCEEDED', rowsUnchanged: 2, rowsCreated: 0 });
  });

  it('runs a price CSV as a job (PRICES area)', async () => {
    const file = [
      'type,sku,amount,currency,min_quantity,price_list,tenant,company,valid_from,valid_until',
      'list,IMPJ-001,14.95,EUR,,,,,,',
    ].join('\n');
    const job = await started(await upload('/admin/imports/prices', file, { token: catalogToken }));
    expect(job.kind).toBe('PRICES');
    const done = await poll(job.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', rowsRead: 1, rowsRejected: 0 });
    expect(done.rowsCreated + done.rowsUpdated).toBe(1);
    const [price] = await sql<Array<{ amount_minor: string }>>(
      `SELECT lp.amount_minor FROM list_price lp JOIN variant v ON v.id = lp.variant_id
        WHERE v.sku = 'IMPJ-001' AND lp.currency = 'EUR'`,
    );
    expect(Number(price.amount_minor)).toBe(1495);
  });

  it('imports NDJSON when told so (format=ndjson)', async () => {
    const line = JSON.stringify({
      type: 'list',
      sku: 'IMPJ-002',
      amount: '13.95',
      currency: 'EUR',
    });
    const job = await started(
      await upload('/admin/imports/prices?format=ndjson', `${line}\n`, {
        type: 'application/octet-stream',
      }),
    );
    expect(job.format).toBe('ndjson');
    expect(await poll(job.id)).toMatchObject({ status: 'SUCCEEDED', rowsRead: 1, rowsRejected: 0 });
  });

  it('succeeds with rejected rows counted and a downloadable reject file', async () => {
    const file = [
      CATALOG_HEADER.replace(/,/g, ';'),
      'IMPJ-010;;schroeven;Fixtra;Goed;Good;;1;PCE;1;1.00',
      'IMPJ-011;;schroeven;Fixtra;Slechte EAN;Bad EAN;8712345678907;1;PCE;1;1.00',
      'IMPJ-012;;bestaat-niet;Fixtra;Onbekend;Unknown;;1;PCE;1;1.00',
    ].join('\n');
    const job = await started(
      await upload('/admin/imports/catalog?delimiter=%3B', file, { token: catalogToken }),
    );
    const done = await poll(job.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      rowsRead: 3,
      rowsCreated: 1,
      rowsRejected: 2,
      hasRejects: true,
      rejectsUrl: `/admin/imports/${job.id}/rejects`,
    });
    const rejects = await httpRequest(api.port, {
      host: ADMIN,
      path: done.rejectsUrl!,
      headers: { authorization: `Bearer ${catalogToken}` },
    });
    expect(rejects.status).toBe(200);
    expect(rejects.headers['content-type']).toMatch(/^text\/csv/);
    expect(rejects.headers['content-disposition']).toBe(
      `attachment; filename="catalog-${job.id}.rejects.csv"`,
    );
    const lines = rejects.body.trim().split('\n');
    expect(lines[0]).toBe('line,sku,column,reason');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^3,IMPJ-011,gtin,.*wrong check digit/),
      expect.stringMatching(/^4,IMPJ-012,category,.*unknown category/),
    ]);

    // A job without rejects has no file; an unknown job neither.
    const none = await httpRequest(api.port, {
      host: ADMIN,
      path: `/admin/imports/00000000-0000-4000-8000-000000000000/rejects`,
      headers: { authorization: `Bearer ${superToken}` },
    });
    expect(none.status).toBe(404);
  });

  it('fails a file with a bad header, saying why', async () => {
    const job = await started(
      await upload('/admin/imports/catalog', 'sku,colour_of_the_day\nIMPJ-020,blue\n'),
    );
    const done = await poll(job.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatch(/colour_of_the_day/);
    expect(done.rowsRead).toBe(0);
  });

  it('refuses an upload over the size limit with 413, with or without Content-Length, and keeps nothing', async () => {
    const before = await jobCount();
    const big = Buffer.alloc(MAX_BYTES + 1000, 'a');
    const declared = await upload('/admin/imports/catalog', big, {
      headers: { 'content-length': String(big.length) },
    });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({
      errors: [
        {
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
          message: expect.stringMatching(/limit of 65.5 kB.*split it/),
        },
      ],
    });
    const chunked = await upload('/admin/imports/catalog', big);
    expect(chunked.status).toBe(413);
    expect(await jobCount()).toBe(before);
    const refused = (await auditRows('import.start')).filter((r) => r.outcome === 'REFUSED');
    expect(refused.at(-1)?.reason).toMatch(/^PAYLOAD_TOO_LARGE/);
    const spooled = readdirSync(api.config.imports.spoolDir).filter(
      (f) => !f.endsWith('.rejects.csv'),
    );
    expect(spooled).toEqual([]);
  });

  it('answers 400 for an empty body or bad options, 404 for an unknown kind, 415 for another content type', async () => {
    const before = await jobCount();
    expect((await upload('/admin/imports/catalog', '')).status).toBe(400);
    expect((await upload('/admin/imports/catalog', undefined)).status).toBe(400);
    const format = await upload('/admin/imports/catalog?format=xlsx', 'sku\n');
    expect(format.status).toBe(400);
    expect(format.json<{ errors: Array<{ message: string }> }>().errors[0].message).toMatch(
      /csv or ndjson/,
    );
    expect((await upload('/admin/imports/catalog?delimiter=ab', 'sku\n')).status).toBe(400);
    expect((await upload('/admin/imports/customer-skus', 'customer_sku,sku\n')).status).toBe(400);
    expect((await upload('/admin/imports/catalog?tenant=jansen-bouw', 'sku\n')).status).toBe(400);
    const unknownTenant = await upload('/admin/imports/customer-skus?tenant=nobody', 'x\n');
    expect(unknownTenant.status).toBe(404);
    const unknown = await upload('/admin/imports/stock', 'sku\n');
    expect(unknown.status).toBe(404);
    expect(unknown.json<{ errors: Array<{ message: string }> }>().errors[0].message).toMatch(
      /catalog, \/prices or \/customer-skus/,
    );
    expect((await upload('/admin/imports', 'sku\n')).status).toBe(404);
    const json = await upload('/admin/imports/catalog', '{}', { type: 'application/json' });
    expect(json.status).toBe(415);
    expect(json.json()).toMatchObject({
      errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }],
    });
    expect((await upload('/admin/imports/catalog', 'sku\n', { type: '' })).status).toBe(415);
    expect(await jobCount()).toBe(before);
  });

  it('needs an admin token (401) and is not served on tenant hosts (404)', async () => {
    const none = await upload('/admin/imports/catalog', 'sku\n', { token: null });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await upload('/admin/imports/catalog', 'sku\n', { token: 'nope' })).status).toBe(401);
    const rejects = await httpRequest(api.port, {
      host: ADMIN,
      path: '/admin/imports/00000000-0000-4000-8000-000000000000/rejects',
    });
    expect(rejects.status).toBe(401);
    // A buyer's token is not an admin token.
    const buyer = (await buyerHeaders(api, 'jansen-bouw')).authorization.slice('Bearer '.length);
    expect((await upload('/admin/imports/catalog', 'sku\n', { token: buyer })).status).toBe(401);

    for (const host of [JANSEN, 'unknown-host.localhost']) {
      const res = await upload('/admin/imports/catalog', 'sku\n', { host });
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    }
  });

  it('lets a CATALOG_MANAGER import; refuses an ACCOUNT_MANAGER (403, REFUSED in the audit log)', async () => {
    const before = await jobCount();
    for (const kind of ['catalog', 'prices']) {
      const res = await upload(`/admin/imports/${kind}`, 'sku\n', { token: managerToken });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    }
    const skus = await upload('/admin/imports/customer-skus?tenant=zorggroep-noord', 'x\n', {
      token: managerToken,
    });
    expect(skus.status).toBe(403);
    expect(await jobCount()).toBe(before);
    const refused = (await auditRows('import.start')).filter((r) => r.actor === managerId);
    expect(refused.map((r) => [r.target, r.outcome])).toEqual([
      ['catalog', 'REFUSED'],
      ['prices', 'REFUSED'],
      ['customer-skus', 'REFUSED'],
    ]);
    expect(refused[0].reason).toMatch(/^FORBIDDEN: .*do not include the catalog/);
    expect(refused[2].tenant_id).not.toBeNull();
    // Nor can they read the jobs.
    const list = await admin(`{ importJobs { edges { node { id } } } }`, {}, managerToken);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("keeps a tenant's customer-SKU job from admins outside the catalog area and tenant", async () => {
    const file = 'customer_sku,sku\nJB-IMPJ-1,IMPJ-001\nJB-IMPJ-2,NO-SUCH-SKU\n';
    const job = await started(
      await upload('/admin/imports/customer-skus?tenant=jansen-bouw', file, {
        token: catalogToken,
      }),
    );
    expect(job).toMatchObject({ kind: 'CUSTOMER_SKUS', tenantSlug: 'jansen-bouw' });
    const done = await poll(job.id);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      rowsCreated: 1,
      rowsRejected: 1,
      hasRejects: true,
    });
    const [audit] = (await auditRows('import.start')).filter((r) => r.target === job.id);
    expect(audit.tenant_id).not.toBeNull();

    // The account manager of zorggroep-noord: not the job, not its rejects.
    const other = await getJob(job.id, managerToken);
    expect(other.data?.importJob ?? null).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const rejects = await httpRequest(api.port, {
      host: ADMIN,
      path: `/admin/imports/${job.id}/rejects`,
      headers: { authorization: `Bearer ${managerToken}` },
    });
    expect(rejects.status).toBe(403);
    expect(rejects.body).not.toContain('NO-SUCH-SKU');
    // The catalog manager (every tenant in the catalog area) sees both.
    const own = await httpRequest(api.port, {
      host: ADMIN,
      path: `/admin/imports/${job.id}/rejects`,
      headers: { authorization: `Bearer ${catalogToken}` },
    });
    expect(own.status).toBe(200);
    expect(own.body).toContain('NO-SUCH-SKU');
  });

  it('lists jobs newest first, by kind and status, paged', async () => {
    const all = await admin<{
      importJobs: {
        edges: Array<{ cursor: string; node: Job }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    }>(
      `{ importJobs { edges { cursor node { id kind status createdAt } } pageInfo { hasNextPage endCursor } } }`,
    );
    const nodes = all.data!.importJobs.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(6);
    const times = nodes.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const prices = await admin<{ importJobs: { edges: Array<{ node: Job }> } }>(
      `{ importJobs(kind: PRICES) { edges { node { kind } } } }`,
    );
    expect(prices.data!.importJobs.edges.length).toBe(2);
    expect(new Set(prices.data!.importJobs.edges.map((e) => e.node.kind))).toEqual(
      new Set(['PRICES']),
    );
    const failed = await admin<{ importJobs: { edges: Array<{ node: Job }> } }>(
      `{ importJobs(status: FAILED) { edges { node { status error } } } }`,
    );
    expect(failed.data!.importJobs.edges.length).toBe(1);

    const pages: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        data?: {
          importJobs: {
            edges: Array<{ node: Job }>;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
          };
        };
      } = await admin(
        `query($a: String) { importJobs(first: 2, after: $a) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { a: after },
      );
      pages.push(...page.data!.importJobs.edges.map((e) => e.node.id));
      if (!page.data!.importJobs.pageInfo.hasNextPage) break;
      after = page.data!.importJobs.pageInfo.endCursor;
    }
    expect(pages).toEqual(nodes.map((n) => n.id));
    const bad = await admin(`{ importJobs(first: 0) { edges { cursor } } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await getJob('not-an-id')).data?.importJob).toBeNull();
  });

  it('reports a job whose process died as FAILED (interrupted), with what to do', async () => {
    const [row] = await sql<Array<{ id: string }>>(
      `INSERT INTO import_job (kind, source, format, status, started_at, heartbeat_at, rows_read)
       VALUES ('catalog', '/nowhere/x.csv', 'csv', 'RUNNING', now() - interval '1 hour', now() - interval '1 hour', 4000)
       RETURNING id`,
    );
    const [fresh] = await sql<Array<{ id: string }>>(
      `INSERT INTO import_job (kind, source, format, status, started_at, heartbeat_at)
       VALUES ('catalog', '/elsewhere/y.csv', 'csv', 'RUNNING', now(), now()) RETURNING id`,
    );
    const job = (await getJob(row.id)).data!.importJob!;
    expect(job).toMatchObject({ status: 'FAILED', rowsRead: 4000 });
    expect(job.error).toMatch(/^Interrupted: .*run the import again .*idempotent/);
    expect(job.finishedAt).not.toBeNull();
    // A job another live process is running (recent heartbeat) is left alone.
    expect((await getJob(fresh.id)).data!.importJob!.status).toBe('RUNNING');
    await sql(`UPDATE import_job SET status = 'FAILED', finished_at = now() WHERE id = $1`, [
      fresh.id,
    ]);
  });
});
