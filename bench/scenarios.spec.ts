import { companyIdFor } from './auth';
import { DEFAULT_FLAGS, FlagError, parseFlags } from './flags';
import {
  formatTable,
  LoadResultLike,
  measuredRow,
  parseVmRssKb,
  reportFileName,
  summarize,
  throughputRatio,
  unmeasuredRow,
} from './report';
import {
  firstProductSlug,
  firstVariantSku,
  hasGraphQLErrors,
  pricedHtmlPage,
  requestBody,
  requestHeaders,
  Scenario,
  SCENARIOS,
  selectScenarios,
  skuPage,
  warmupProblem,
} from './scenarios';

function result(overrides: Partial<LoadResultLike> = {}): LoadResultLike {
  return {
    requests: { mean: 1000, total: 10_000 },
    latency: { p50: 4, p99: 12.5 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    mismatches: 0,
    ...overrides,
  };
}

const scenario = { name: 'catalog-page', description: 'first page', host: 'a.localhost' };

describe('parseFlags', () => {
  it('uses the defaults for an empty command line', () => {
    expect(parseFlags([])).toEqual({ ...DEFAULT_FLAGS, scenarios: [] });
    expect(DEFAULT_FLAGS).toMatchObject({
      products: 5000,
      tenants: 10,
      duration: 10,
      connections: 50,
      buyers: 16,
    });
  });

  it('reads every flag, in both --flag value and --flag=value form', () => {
    const flags = parseFlags([
      '--products=100000',
      '--tenants',
      '0',
      '--duration',
      '30',
      '--connections=8',
      '--buyers',
      '32',
      '--scenario',
      'catalog-page',
      '--scenario=tenant-info',
      '--out',
      'x.json',
      '--import-rows=2000',
    ]);
    expect(flags).toEqual({
      products: 100_000,
      tenants: 0,
      duration: 30,
      connections: 8,
      buyers: 32,
      scenarios: ['catalog-page', 'tenant-info'],
      importRows: 2000,
      provision: DEFAULT_FLAGS.provision,
      keep: false,
      dataDir: null,
      out: 'x.json',
      help: false,
    });
  });

  it('drops repeated scenario names', () => {
    expect(parseFlags(['--scenario', 'a', '--scenario', 'a']).scenarios).toEqual(['a']);
  });

  it('keeps the data when asked, or when a data directory is given', () => {
    expect(parseFlags(['--keep']).keep).toBe(true);
    expect(parseFlags(['--data-dir', '/tmp/x'])).toMatchObject({ keep: true, dataDir: '/tmp/x' });
  });

  it('recognizes --help and -h', () => {
    expect(parseFlags(['--help']).help).toBe(true);
    expect(parseFlags(['-h']).help).toBe(true);
  });

  it.each([
    [['--products', 'many'], /--products expects a whole number/],
    [['--products', '1e3'], /--products expects a whole number/],
    [['--duration', '-5'], /duration/],
    [['--connections', '0'], /--connections must be between 1 and/],
    [['--buyers', '65'], /--buyers must be between 1 and 64/],
    [['--products', '0'], /--products must be between 1 and/],
    [['--tenants', '10001'], /--tenants must be between 0 and 10000/],
    [['--import-rows', '0'], /--import-rows must be between 1 and/],
    [['--verbose'], /verbose/],
    [['catalog-page'], /catalog-page/],
    [['--scenario', ''], /--scenario needs a name/],
    [['--out', ' '], /--out needs a file name/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });
});

describe('scenarios', () => {
  it('has unique kebab-case names and includes the required ones', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(names).toEqual(
      expect.arrayContaining([
        'catalog-page',
        'product-by-sku',
        'tenant-info',
        'catalog-page-extra-tenant',
      ]),
    );
  });

  it('sends every GraphQL scenario as a JSON POST to /graphql on a .localhost host', () => {
    for (const s of SCENARIOS) {
      expect(s.host).toMatch(/\.localhost$/);
      if (s.body !== undefined) {
        expect(s).toMatchObject({ method: 'POST', path: '/graphql' });
        expect(requestHeaders(s)).toMatchObject({
          host: s.host,
          'content-type': 'application/json',
        });
      }
    }
  });

  it('skips the extra-tenant scenario only when no extra tenant is seeded', () => {
    const s = SCENARIOS.find((x) => x.name === 'catalog-page-extra-tenant');
    expect(s?.host).toBe('bench-0001.localhost');
    expect(s?.skipReason?.({ ...DEFAULT_FLAGS, tenants: 0 })).toMatch(/--tenants/);
    expect(s?.skipReason?.({ ...DEFAULT_FLAGS, tenants: 1 })).toBeNull();
  });

  it('selects all scenarios for an empty filter, else the named ones in list order', () => {
    expect(selectScenarios(SCENARIOS, [])).toEqual(SCENARIOS);
    const picked = selectScenarios(SCENARIOS, ['tenant-info', 'catalog-page']);
    expect(picked.map((s) => s.name)).toEqual(['catalog-page', 'tenant-info']);
  });

  it('refuses unknown scenario names and lists the known ones', () => {
    expect(() => selectScenarios(SCENARIOS, ['catalog-pgae'])).toThrow(
      /unknown scenario\(s\): catalog-pgae; known: catalog-page, /,
    );
  });

  it('merges prepared variables into the body', () => {
    const s: Scenario = {
      name: 'x',
      description: '',
      host: 'a.localhost',
      method: 'POST',
      path: '/graphql',
      body: { query: 'query($a: Int, $b: Int) { f }', variables: { a: 1, b: 2 } },
    };
    expect(JSON.parse(requestBody(s, { b: 3 }) ?? '')).toEqual({
      query: 'query($a: Int, $b: Int) { f }',
      variables: { a: 1, b: 3 },
    });
    expect(JSON.parse(requestBody({ ...s, body: { query: '{ f }' } }) ?? '')).toEqual({
      query: '{ f }',
    });
    expect(requestBody({ ...s, method: 'GET', body: undefined })).toBeUndefined();
  });

  it('discovers the product-by-sku variable from the catalog page', async () => {
    const s = SCENARIOS.find((x) => x.name === 'product-by-sku');
    const data = {
      products: {
        edges: [
          { node: { variants: [] } },
          { node: { variants: [{ sku: 'JB-0001-A' }, { sku: 'JB-0001-B' }] } },
        ],
      },
    };
    const graphql = jest.fn().mockResolvedValue(data);
    const authorization = async () => 'Bearer x';
    const variables = await s?.prepare?.({ flags: DEFAULT_FLAGS, graphql, authorization });
    expect(variables).toEqual({ sku: 'JB-0001-A' });
    expect(graphql).toHaveBeenCalledWith(
      'jansen-bouw.localhost',
      { query: expect.stringContaining('products(first: 20)') },
      { company: 'jansen-bouw' }, // the key-account site is login-only
    );
    await expect(
      s?.prepare?.({ flags: DEFAULT_FLAGS, graphql: async () => null, authorization }),
    ).rejects.toThrow(/no variant/);
  });

  it.each([
    [null],
    [{}],
    [{ products: { edges: 'x' } }],
    [{ products: { edges: [{ node: { variants: [{ sku: 7 }] } }] } }],
  ])('finds no SKU in %p', (data) => {
    expect(firstVariantSku(data)).toBeNull();
  });

  it('spots a GraphQL errors member in a body', () => {
    expect(hasGraphQLErrors('{"data":null,"errors":[]}')).toBe(true);
    expect(hasGraphQLErrors('{"data":{"errorsCount":0}}')).toBe(false);
  });

  it('accepts only a 200 warm-up without GraphQL errors', () => {
    expect(warmupProblem(200, '{"data":{"tenant":{}}}')).toBeNull();
    expect(warmupProblem(500, 'boom')).toBe('status 500: boom');
    expect(warmupProblem(200, '{"errors":[{"message":"no"}],"data":null}')).toMatch(
      /^response has errors: \{"errors"/,
    );
    expect(warmupProblem(404, 'x'.repeat(1000))).toHaveLength('status 404: '.length + 301);
  });
});

describe('microsite page scenarios', () => {
  it('GET the category and product pages as HTML, with no GraphQL body', () => {
    for (const name of ['category-page', 'product-page']) {
      const s = SCENARIOS.find((x) => x.name === name)!;
      expect(s).toMatchObject({ method: 'GET', buyer: { company: 'jansen-bouw' } });
      expect(requestBody(s)).toBeUndefined();
      expect(requestHeaders(s)['accept']).toMatch(/^text\/html/);
      expect(requestHeaders(s)['content-type']).toBeUndefined();
    }
  });

  it('opens the product page of the first product of the catalog page', async () => {
    const s = SCENARIOS.find((x) => x.name === 'product-page')!;
    const data = { products: { edges: [{ node: { slug: 'kruiskopschroef-000001' } }] } };
    const path = await s.resolvePath!({
      flags: DEFAULT_FLAGS,
      graphql: async () => data,
      authorization: async () => 'Bearer x',
    });
    expect(path).toBe('/p/kruiskopschroef-000001');
    expect(firstProductSlug({ products: { edges: [] } })).toBeNull();
  });

  it('accepts a page only when every article row shows a price', () => {
    const row = (price: boolean) =>
      `<tr><td class="sku">SKU-1</td><td>${price ? '<span class="amount">€ 1,00</span>' : 'Prijs op aanvraag'}</td></tr>`;
    expect(pricedHtmlPage(row(true) + row(true))).toBeNull();
    expect(pricedHtmlPage(row(true) + row(false))).toBe('1 of 2 articles without a price');
    expect(pricedHtmlPage('<p>Log in</p>')).toBe('no article on the page');
  });
});

describe('result rows', () => {
  it('summarizes an autocannon result', () => {
    expect(summarize(result({ non2xx: 3, errors: 2, timeouts: 1, mismatches: 4 }))).toEqual({
      reqPerSec: 1000,
      p50Ms: 4,
      p99Ms: 12.5,
      totalRequests: 10_000,
      non2xx: 3,
      errors: 2,
      timeouts: 1,
      graphqlErrors: 4,
    });
  });

  it('divides API by ceiling throughput', () => {
    expect(throughputRatio(1000, 4000)).toBe(0.25);
    expect(throughputRatio(1, 3)).toBe(0.3333);
    expect(throughputRatio(500, 0)).toBeNull();
    expect(throughputRatio(Number.NaN, 10)).toBeNull();
  });

  it('builds a measured row with both runs and the ratio', () => {
    const row = measuredRow(
      scenario,
      { bytes: 1234, contentType: 'application/json' },
      result({ requests: { mean: 20_000, total: 200_000 } }),
      result({ requests: { mean: 2_000, total: 20_000 } }),
    );
    expect(row).toMatchObject({
      name: 'catalog-page',
      status: 'ok',
      reason: null,
      bytesPerResponse: 1234,
      contentType: 'application/json',
      ratio: 0.1,
    });
    expect(row.api?.reqPerSec).toBe(2000);
    expect(row.ceiling?.reqPerSec).toBe(20_000);
  });

  it('builds rows without numbers for failed and skipped scenarios', () => {
    expect(unmeasuredRow(scenario, 'skipped', 'why')).toMatchObject({
      status: 'skipped',
      reason: 'why',
      api: null,
      ceiling: null,
      ratio: null,
      bytesPerResponse: null,
    });
    expect(
      unmeasuredRow(scenario, 'failed', 'boom', { bytes: 10, contentType: null }).bytesPerResponse,
    ).toBe(10);
  });

  it('reads VmRSS from /proc/<pid>/status', () => {
    expect(parseVmRssKb('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t  183456 kB\nThreads: 11\n')).toBe(
      183_456,
    );
    expect(parseVmRssKb('Name:\tnode\n')).toBeNull();
  });

  it('names report files after the date without colons', () => {
    expect(reportFileName(new Date('2025-01-02T03:04:05.678Z'))).toBe(
      '2025-01-02T03-04-05-678Z.json',
    );
  });
});

describe('formatTable', () => {
  const ok = measuredRow(
    scenario,
    { bytes: 5120, contentType: 'application/json' },
    result({ requests: { mean: 15_234.56, total: 1 }, latency: { p50: 0, p99: 7 } }),
    result({ requests: { mean: 1_523.4, total: 1 }, latency: { p50: 30, p99: 81.25 } }),
  );
  const failed = unmeasuredRow(
    { name: 'product-by-sku', description: '', host: 'a.localhost' },
    'failed',
    'warm-up: status 500',
  );
  const skipped = unmeasuredRow(
    { name: 'catalog-page-extra-tenant', description: '', host: 'b.localhost' },
    'skipped',
    'needs --tenants >= 1',
  );

  it('renders aligned columns, dashes for missing numbers and the reasons below', () => {
    expect(formatTable([ok, failed, skipped])).toBe(
      [
        'scenario                   status    req/s  p50 ms  p99 ms  non2xx  errors  timeouts  gql err  bytes  ceil req/s  ceil p99  ratio',
        '-------------------------  -------  ------  ------  ------  ------  ------  --------  -------  -----  ----------  --------  -----',
        'catalog-page               ok       1523.4      30    81.3       0       0         0        0   5120     15234.6         7  0.100',
        'product-by-sku             FAIL          -       -       -       -       -         -        -      -           -         -      -',
        'catalog-page-extra-tenant  skipped       -       -       -       -       -         -        -      -           -         -      -',
        '',
        'product-by-sku (failed): warm-up: status 500',
        'catalog-page-extra-tenant (skipped): needs --tenants >= 1',
      ].join('\n'),
    );
  });

  it('renders only the header for no rows', () => {
    expect(formatTable([]).split('\n')).toHaveLength(2);
  });
});

describe('lookup list discovery', () => {
  it('collects SKUs page by page and stops at the last page', () => {
    const page = (skus: string[], endCursor: string | null, hasNextPage: boolean) => ({
      products: {
        edges: [{ node: { variants: skus.map((sku) => ({ sku })) } }],
        pageInfo: { endCursor, hasNextPage },
      },
    });
    expect(skuPage(page(['A', 'B'], 'c1', true))).toEqual({ skus: ['A', 'B'], endCursor: 'c1' });
    expect(skuPage(page(['C'], 'c2', false))).toEqual({ skus: ['C'], endCursor: null });
    expect(skuPage({ nope: true })).toEqual({ skus: [], endCursor: null });
  });
});

describe('bench buyers', () => {
  it('derives company ids the way tenant sync does: md5(tenant id/code) as a uuid', () => {
    expect(companyIdFor('00000000-0000-0000-0000-000000000001', 'bench-contract')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('checks that a priced page shows what the scenario measures', () => {
    const contract = SCENARIOS.find((x) => x.name === 'catalog-page-contract-50k')!;
    const none = SCENARIOS.find((x) => x.name === 'catalog-page-no-contract')!;
    const page = (source: string) => `{"price":{"unit":{"amount":"1.00"},"source":"${source}"}}`;
    expect(contract.check!(page('CONTRACT'))).toBeNull();
    expect(contract.check!(page('LIST'))).toMatch(/no contract/);
    expect(none.check!(page('CONTRACT'))).toMatch(/where none/);
    expect(none.check!('{"price":null}')).toMatch(/no price/);
  });
});
