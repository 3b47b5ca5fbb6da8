import { AdminAccountService, AdminTokenService } from '@vitrine/admin';
import type { AppConfig } from '@vitrine/config';
import type { TenantDb } from '@vitrine/database';
import { DEFAULT_FLAGS, FlagError, parseFlags } from './flags';
import {
  adminAuthorization,
  createdOk,
  createTenantRequest,
  formatProvisioning,
  latencyStats,
  percentile,
  PROVISION_CATEGORY,
  provisionDomain,
  provisionRunTag,
  provisionSlug,
  type ProvisioningResult,
  relativeChange,
  responseProblem,
  servedOk,
} from './provisioning';

describe('provisioned tenant names', () => {
  it('gives distinct, sortable slugs of the tenant.yaml alphabet, tagged by run', () => {
    const tag = provisionRunTag(Date.UTC(2026, 10, 23, 15, 0, 0));
    expect(tag).toMatch(/^[a-z0-9]+$/);
    expect(provisionRunTag(Date.UTC(2026, 10, 23, 15, 0, 1))).not.toBe(tag);
    const slugs = Array.from({ length: 1000 }, (_, i) => provisionSlug(tag, i + 1, 1000));
    expect(new Set(slugs).size).toBe(1000);
    expect(slugs[0]).toBe(`prov-${tag}-0001`);
    expect(slugs[999]).toBe(`prov-${tag}-1000`);
    expect([...slugs].sort()).toEqual(slugs);
    for (const s of slugs) expect(s).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // Wider totals pad further, so the order still holds.
    expect(provisionSlug(tag, 7, 20000)).toBe(`prov-${tag}-00007`);
  });

  it('refuses indexes outside 1…total and tags that are not slug-safe', () => {
    expect(() => provisionSlug('abc', 0, 10)).toThrow(RangeError);
    expect(() => provisionSlug('abc', 11, 10)).toThrow(RangeError);
    expect(() => provisionSlug('abc', 1.5, 10)).toThrow(RangeError);
    expect(() => provisionSlug('A-b', 1, 10)).toThrow(RangeError);
  });

  it('puts each tenant on its own localhost domain, ACTIVE, with a one-category assortment', () => {
    const slugs = ['prov-x-0001', 'prov-x-0002'];
    const inputs = slugs.map((s) => createTenantRequest(s).variables?.['i']);
    expect(inputs[0]).toMatchObject({
      slug: 'prov-x-0001',
      status: 'ACTIVE',
      domains: ['prov-x-0001.localhost'],
      assortment: { includeCategories: [PROVISION_CATEGORY] },
    });
    expect(provisionDomain('prov-x-0002')).toBe('prov-x-0002.localhost');
    expect(new Set(inputs.map((i) => JSON.stringify(i))).size).toBe(2);
  });
});

describe('the bench admin token', () => {
  it('is accepted by the API as a SUPER_ADMIN bootstrap token, and only with the same secret', async () => {
    const service = (secret: string) =>
      new AdminTokenService(
        {} as TenantDb, // unused: the secret comes from the configuration
        { auth: { tokenSecret: secret, accessTokenTtlS: 900 } } as AppConfig,
        {} as AdminAccountService, // bootstrap tokens name no account
      );
    const header = await adminAuthorization('s3cret-of-the-bench-run');
    await expect(service('s3cret-of-the-bench-run').authenticate(header)).resolves.toEqual({
      subject: 'bench-provisioning',
      roles: ['SUPER_ADMIN'],
    });
    await expect(service('another-secret').authenticate(header)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});

describe('responses', () => {
  const created = (slug: string, status = 'ACTIVE') =>
    JSON.stringify({ data: { createTenant: { slug, status, domains: [] } } });

  it('accepts the tenant it asked for, ACTIVE', () => {
    expect(responseProblem(200, created('a'), createdOk('a'))).toBeNull();
    expect(responseProblem(200, created('b'), createdOk('a'))).toBe('UNEXPECTED_RESPONSE');
    expect(responseProblem(200, created('a', 'DRAFT'), createdOk('a'))).toBe('UNEXPECTED_RESPONSE');
  });

  it('names the error code, the HTTP status or the broken body', () => {
    const err = JSON.stringify({
      errors: [{ message: 'taken', extensions: { code: 'CONFLICT' } }],
      data: null,
    });
    expect(responseProblem(200, err, createdOk('a'))).toBe('CONFLICT');
    expect(responseProblem(400, JSON.stringify({ errors: [{}] }), createdOk('a'))).toBe(
      'GRAPHQL_ERROR',
    );
    expect(responseProblem(502, '<html>', createdOk('a'))).toBe('HTTP_502');
    expect(responseProblem(200, '<html>', createdOk('a'))).toBe('INVALID_JSON');
    expect(responseProblem(404, '{"message":"no"}', createdOk('a'))).toBe('HTTP_404');
  });

  it('checks that a tenant is served under its own name', () => {
    const body = JSON.stringify({ data: { tenant: { name: 'Bench prov-x-0001' } } });
    expect(responseProblem(200, body, servedOk('prov-x-0001'))).toBeNull();
    expect(responseProblem(200, body, servedOk('prov-x-0002'))).toBe('UNEXPECTED_RESPONSE');
  });
});

describe('stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
  });

  it('summarizes unsorted durations', () => {
    expect(latencyStats([30, 10, 20, 1000])).toEqual({
      count: 4,
      meanMs: 265,
      p50Ms: 20,
      p99Ms: 1000,
      maxMs: 1000,
    });
    expect(latencyStats([1.234])).toMatchObject({ p50Ms: 1.2, meanMs: 1.2 });
    expect(latencyStats([])).toEqual({ count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('compares after with before', () => {
    expect(relativeChange(95, 100)).toBe(0.95);
    expect(relativeChange(100, 3)).toBe(33.333);
    expect(relativeChange(5, 0)).toBeNull();
  });

  it('prints a summary for people', () => {
    const batch = {
      ok: 1000,
      seconds: 20,
      perSec: 50,
      latency: { count: 1000, meanMs: 150, p50Ms: 140, p99Ms: 400, maxMs: 500 },
      errors: {},
    };
    const load = {
      reqPerSec: 100,
      p50Ms: 400,
      p99Ms: 900,
      totalRequests: 1000,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      graphqlErrors: 0,
    };
    const r: ProvisioningResult = {
      tenants: 1000,
      clients: 8,
      slugs: { first: 'prov-x-0001', last: 'prov-x-1000' },
      create: batch,
      touch: { ...batch, errors: { TIMEOUT: 2 } },
      catalogPage: {
        host: 'h',
        before: load,
        after: { ...load, reqPerSec: 97, timeouts: 3 },
        ratio: 0.97,
      },
      rssKb: { before: 500 * 1024, afterCreate: 520 * 1024, afterTouch: null },
    };
    const text = formatProvisioning(r);
    expect(text).toContain('createTenant: 1000 created in 20 s = 50/s, p50 140 ms p99 400 ms');
    expect(text).toContain('errors: TIMEOUT×2');
    expect(text).toContain(
      'before 100.0 req/s p50 400 ms p99 900 ms, after 97.0 req/s p50 400 ms p99 900 ms (3 timeouts)',
    );
    expect(text).toContain('after ÷ before 0.97');
    expect(text).toContain('before 500 MB, after creating 520 MB, after serving each unknown');
  });
});

describe('--provision', () => {
  it('defaults to 1000 and takes a whole number', () => {
    expect(DEFAULT_FLAGS.provision).toBe(1000);
    expect(parseFlags(['--provision', '250']).provision).toBe(250);
    expect(() => parseFlags(['--provision', '0'])).toThrow(FlagError);
    expect(() => parseFlags(['--provision', '1e3'])).toThrow(FlagError);
  });
});
