import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  DEFAULT_THEME,
  loadTenantDir,
  loadTenantFile,
  TenantFileError,
  type TenantFileProblem,
} from './tenant-file';

const REPO = resolve(__dirname, '../../../..');
const TENANTS = join(REPO, 'tenants');
/** The fixed contract lives beside the repository, in the shared workspace. */
const EXAMPLE = resolve(__dirname, '../../../../../shared/contract/tenant.example.yaml');

/** A valid tenant with only the required fields; tests append or replace lines. */
const minimal = (slug: string, domain = `${slug}.localhost`) =>
  [
    `slug: ${slug}`,
    `name: ${slug} B.V.`,
    'domains:',
    `  - ${domain}`,
    'locales: [nl]',
    'currency: EUR',
    '',
  ].join('\n');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tenant-file-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const file = join(root, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** The problems a load reports; fails the test when it does not throw a TenantFileError. */
function problemsOf(load: () => unknown): TenantFileProblem[] {
  try {
    load();
  } catch (err) {
    if (err instanceof TenantFileError) return err.problems;
    throw err;
  }
  throw new Error('expected a TenantFileError');
}

describe('the demo tenants', () => {
  it('all load, sorted by slug, with their themes', () => {
    const tenants = loadTenantDir(TENANTS);
    expect(tenants.map((t) => t.spec.slug)).toEqual([
      'autoparts-delta',
      'jansen-bouw',
      'vitrine-shop',
      'zorggroep-noord',
    ]);
    for (const t of tenants) {
      expect(t.dir).toBe(join(TENANTS, t.spec.slug));
      expect(t.file).toBe(join(t.dir, 'tenant.yaml'));
      expect(t.themeDir).toBe(join(t.dir, 'theme'));
      expect(t.theme.primaryColor).not.toBe(DEFAULT_THEME.primaryColor);
      expect(t.theme.logo).toBe('assets/logo.svg');
      const svg = readFileSync(join(t.themeDir as string, 'assets/logo.svg'), 'utf8');
      expect(svg).toContain(t.theme.primaryColor);
      // the schema comment that makes editors validate the file
      expect(readFileSync(t.file, 'utf8').split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../_schema/tenant.schema.json',
      );
    }
  });

  it('match what each demo is meant to show', () => {
    const by = new Map(loadTenantDir(TENANTS).map((t) => [t.spec.slug, t.spec]));
    expect(by.get('zorggroep-noord')).toMatchObject({
      domains: ['zorggroep-noord.localhost'],
      locales: ['nl', 'en'],
      priceLists: ['zorg-contract-2026'],
      assortment: { includeCategories: ['medisch-verbruik', 'schoonmaak-hygiene', 'pbm'] },
    });
    expect(by.get('zorggroep-noord')?.discount).toBeUndefined();
    expect(by.get('autoparts-delta')).toMatchObject({
      locales: ['en', 'nl'],
      priceLists: ['delta-oem-2026'],
      discount: { percent: 3, categories: ['smeermiddelen-chemie'] },
    });
    expect(by.get('vitrine-shop')).toMatchObject({
      domains: ['vitrine-shop.localhost'],
      publicBrowsing: true,
      priceLists: [],
    });
    expect(by.get('vitrine-shop')?.assortment.includeCategories).toHaveLength(8);
    expect(by.get('vitrine-shop')?.company).toBeUndefined();
  });

  it('jansen-bouw is the contract example, with every default applied', () => {
    const { spec } = loadTenantFile(join(TENANTS, 'jansen-bouw/tenant.yaml'));
    expect(spec).toEqual({
      slug: 'jansen-bouw',
      name: 'Jansen Bouw B.V.',
      status: 'active',
      domains: ['jansen-bouw.localhost', 'shop.jansenbouw.example'],
      locales: ['nl', 'en'],
      currency: 'EUR',
      timeZone: 'Europe/Amsterdam',
      publicBrowsing: false,
      showListPrices: true,
      theme: './theme',
      assortment: {
        includeCategories: ['bevestigingsmaterialen', 'gereedschap', 'pbm'],
        includeSkus: [],
        excludeSkus: ['SKU-004711'],
        attributeFilters: [],
        discontinued: 'untilSoldOut',
      },
      priceLists: ['jansen-contract-2026', 'bouw-staffel'],
      discount: { percent: 5, categories: ['gereedschap'] },
      paymentTerms: { method: 'on_account', netDays: 30, creditLimit: '25000.00' },
      shipping: [
        { countries: ['NL', 'BE'], maxWeightKg: 30, price: '9.95' },
        { countries: ['NL', 'BE'], minOrderValue: '500.00', price: '0.00' },
      ],
      company: {
        name: 'Jansen Bouw B.V.',
        vatId: 'NL123456789B01',
        poNumberRequired: true,
        addresses: [
          expect.objectContaining({ label: 'Werf Utrecht', kind: 'SHIPPING', default: true }),
          expect.objectContaining({
            label: 'Bouwproject Antwerpen',
            country: 'BE',
            default: false,
          }),
          expect.objectContaining({
            label: 'Hoofdkantoor',
            kind: 'BILLING',
            postalCode: '3511 ED',
          }),
        ],
        users: [
          {
            email: 'inkoop@jansenbouw.example',
            name: 'Petra Jansen',
            roles: ['BUYER', 'APPROVER'],
            spendLimit: '5000.00',
          },
          {
            email: 'werkvoorbereiding@jansenbouw.example',
            name: 'Kees de Vries',
            roles: ['REQUISITIONER'],
          },
        ],
      },
      features: {},
    });
  });

  // Outside the repository: skipped where only the repository is checked out.
  (existsSync(EXAMPLE) ? it : it.skip)('the contract example validates against the schema', () => {
    const example = loadTenantFile(EXAMPLE);
    // The demo is the example plus fields added since (the contract is a minimum: addresses, PO).
    const demo = loadTenantFile(join(TENANTS, 'jansen-bouw/tenant.yaml')).spec;
    expect(example.spec).toEqual({
      ...demo,
      company: { ...demo.company, poNumberRequired: false, addresses: [] },
    });
    // no theme folder beside it: the default theme
    expect(example.themeDir).toBeNull();
    expect(example.theme).toEqual(DEFAULT_THEME);
  });
});

describe('loadTenantFile', () => {
  it('fills in every default of a minimal file', () => {
    const t = loadTenantFile(write('acme/tenant.yaml', minimal('acme')));
    expect(t.spec).toEqual({
      slug: 'acme',
      name: 'acme B.V.',
      status: 'active',
      domains: ['acme.localhost'],
      locales: ['nl'],
      currency: 'EUR',
      timeZone: 'Europe/Amsterdam',
      publicBrowsing: false,
      showListPrices: true,
      theme: './theme',
      assortment: {
        includeCategories: [],
        includeSkus: [],
        excludeSkus: [],
        attributeFilters: [],
        discontinued: 'untilSoldOut',
      },
      priceLists: [],
      shipping: [],
      features: {},
    });
    expect(t.themeDir).toBeNull();
    expect(t.theme).toEqual(DEFAULT_THEME);
  });

  it('fills in nested defaults and accepts flags, amounts and percentages', () => {
    const t = loadTenantFile(
      write(
        'acme/tenant.yaml',
        minimal('acme') +
          [
            'discount: { percent: 12.5 }',
            'paymentTerms: { method: prepayment }',
            'company: { name: Acme }',
            'features: { quickOrder: true, quotes: false }',
          ].join('\n'),
      ),
    );
    expect(t.spec.discount).toEqual({ percent: 12.5, categories: [] });
    expect(t.spec.paymentTerms).toEqual({ method: 'prepayment', netDays: 0 });
    expect(t.spec.company).toEqual({
      name: 'Acme',
      poNumberRequired: false,
      addresses: [],
      users: [],
    });
    expect(t.spec.features).toEqual({ quickOrder: true, quotes: false });
  });

  it('reports an unknown field with its line and the field that was meant', () => {
    const file = write('acme/tenant.yaml', minimal('acme') + 'publicBrowse: true\n');
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      {
        file,
        path: 'publicBrowse',
        line: 7,
        message: 'unknown field "publicBrowse"; did you mean "publicBrowsing"?',
      },
    ]);
  });

  it('catches unknown fields in nested objects too', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme') + 'assortment:\n  excludeSku: [SKU-000001]\n',
    );
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      expect.objectContaining({
        path: 'assortment.excludeSku',
        line: 8,
        message: expect.stringContaining('did you mean "excludeSkus"'),
      }),
    ]);
  });

  it('rejects a hostname that is not lowercase, and one with a scheme or a port', () => {
    const fixed = write(
      'acme/tenant.yaml',
      [
        'slug: acme',
        'name: Acme',
        'locales: [nl]',
        'currency: EUR',
        'domains:',
        '  - acme.localhost',
        '  - Shop.Example',
        '  - https://a.example',
        '  - a.example:3000',
        '',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadTenantFile(fixed));
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ['domains[1]', 7],
      ['domains[2]', 8],
      ['domains[3]', 9],
    ]);
    expect(problems[0].message).toMatch(/^"Shop\.Example" is not a valid lowercase hostname/);
    const error = new TenantFileError(problems);
    expect(error.message).toContain(
      `${fixed}:7 domains[1]: "Shop.Example" is not a valid lowercase hostname`,
    );
  });

  it('accepts *.localhost and ordinary hostnames', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme').replace(
        '  - acme.localhost',
        '  - acme.localhost\n  - shop.acme-bouw.example\n  - xn--bcher-kva.example',
      ),
    );
    expect(loadTenantFile(file).spec.domains).toHaveLength(3);
  });

  it('reports the same domain twice in one file', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme').replace('  - acme.localhost', '  - acme.localhost\n  - acme.localhost'),
    );
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      expect.objectContaining({
        path: 'domains[1]',
        line: 5,
        message: '"acme.localhost" is listed twice (also at [0])',
      }),
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const file = write(
      'acme/tenant.yaml',
      [
        'slug: acme',
        'name: Acme',
        'domains: [acme.localhost',
        'locales: [nl]',
        'currency: EUR',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadTenantFile(file));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({
      file,
      path: '',
      message: expect.stringMatching(/^YAML syntax error: /),
    });
    expect(problems[0].line).toBeGreaterThanOrEqual(3);

    const twice = write('twice/tenant.yaml', minimal('twice') + 'currency: USD\n');
    expect(problemsOf(() => loadTenantFile(twice))[0]).toMatchObject({
      line: 7,
      message: expect.stringMatching(/^YAML syntax error: .*unique/),
    });

    const tab = write('tab/tenant.yaml', 'slug: tab\nname: Tab\nassortment:\n\tincludeSkus: []\n');
    expect(problemsOf(() => loadTenantFile(tab))[0]).toMatchObject({
      line: 4,
      message: expect.stringMatching(/^YAML syntax error: /),
    });
  });

  it('rejects a file that is empty or not a mapping', () => {
    expect(problemsOf(() => loadTenantFile(write('a/tenant.yaml', '')))[0].message).toBe(
      'is empty',
    );
    expect(
      problemsOf(() => loadTenantFile(write('b/tenant.yaml', '- a\n- b\n')))[0].message,
    ).toMatch(/must be a mapping/);
  });

  it('rejects a theme path that leaves the tenant folder', () => {
    const file = write('acme/tenant.yaml', minimal('acme') + 'theme: ../../etc\n');
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      {
        file,
        path: 'theme',
        line: 7,
        message: expect.stringContaining('"../../etc" points outside the tenant\'s folder'),
      },
    ]);
    const absolute = write('abs/tenant.yaml', minimal('abs') + 'theme: /etc\n');
    expect(problemsOf(() => loadTenantFile(absolute))[0].message).toContain(
      'must be a path relative',
    );
    const self = write('self/tenant.yaml', minimal('self') + 'theme: .\n');
    expect(problemsOf(() => loadTenantFile(self))[0].message).toContain(
      "the tenant's folder itself",
    );
  });

  it('rejects a theme folder that leads outside through a symbolic link', () => {
    mkdirSync(join(root, 'elsewhere'));
    const file = write('acme/tenant.yaml', minimal('acme'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'acme/theme'));
    expect(problemsOf(() => loadTenantFile(file))[0]).toMatchObject({
      path: 'theme',
      message: expect.stringContaining('symbolic link'),
    });
  });

  it('loads a theme folder without theme.yaml as the default theme, from that folder', () => {
    const file = write('acme/tenant.yaml', minimal('acme'));
    write('acme/theme/partials/header.hbs', '<header></header>');
    const t = loadTenantFile(file);
    expect(t.themeDir).toBe(join(root, 'acme/theme'));
    expect(t.theme).toEqual(DEFAULT_THEME);
  });

  it('merges theme.yaml over the default theme', () => {
    const file = write('acme/tenant.yaml', minimal('acme'));
    write('acme/theme/theme.yaml', 'primaryColor: "#123456"\nlogo: assets/logo.svg\n');
    write('acme/theme/assets/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(loadTenantFile(file).theme).toEqual({
      ...DEFAULT_THEME,
      primaryColor: '#123456',
      logo: 'assets/logo.svg',
    });
  });

  it('validates theme.yaml: colours, asset paths, missing files, unknown fields', () => {
    const file = write('acme/tenant.yaml', minimal('acme'));
    const theme = write(
      'acme/theme/theme.yaml',
      [
        'secondaryColor: "#12345"',
        'logo: ../../../etc/passwd',
        'favicon: assets/favicon.ico',
        'font: Arial',
        '',
      ].join('\n'),
    );
    const problems = problemsOf(() => loadTenantFile(file));
    expect(problems.map((p) => [p.file, p.path, p.line])).toEqual([
      [theme, 'primaryColor', undefined],
      [theme, 'secondaryColor', 1],
      [theme, 'logo', 2],
      [theme, 'font', 4],
    ]);
    expect(problems[0].message).toBe('the required field "primaryColor" is missing');
    expect(problems[1].message).toMatch(/^"#12345" is not a valid colour/);
    expect(problems[2].message).toMatch(/is not a valid asset path/);
    expect(problems[3].message).toContain('did you mean "fontFamily"');

    write('acme/theme/theme.yaml', 'primaryColor: "#123456"\nfavicon: assets/favicon.ico\n');
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      expect.objectContaining({
        path: 'favicon',
        line: 2,
        message: expect.stringContaining('"assets/favicon.ico" does not exist'),
      }),
    ]);
  });

  it('rejects a currency that is not an ISO 4217 code', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme').replace('currency: EUR', 'currency: eur'),
    );
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      {
        file,
        path: 'currency',
        line: 6,
        message: '"eur" is not a valid currency: an ISO 4217 code in capitals, e.g. EUR, USD, GBP.',
      },
    ]);
  });

  it('reports a missing required field', () => {
    const file = write('acme/tenant.yaml', minimal('acme').replace('currency: EUR\n', ''));
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      { file, path: 'currency', message: 'the required field "currency" is missing' },
    ]);
  });

  it('requires netDays for payment on account, at the paymentTerms line', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme') + 'paymentTerms: { method: on_account }\n',
    );
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      {
        file,
        path: 'paymentTerms.netDays',
        line: 7,
        message: 'the required field "netDays" is missing',
      },
    ]);
  });

  it('accepts an ERP export block and requires the secret variable with a webhook', () => {
    const ok = write(
      'acme/tenant.yaml',
      minimal('acme') +
        'erp:\n  webhookUrl: https://erp.acme.example/orders\n  secretEnv: ERP_SECRET_ACME\n',
    );
    expect(loadTenantFile(ok).spec.erp).toEqual({
      webhookUrl: 'https://erp.acme.example/orders',
      secretEnv: 'ERP_SECRET_ACME',
      dropFolder: true,
    });
    const bad = write(
      'bad/tenant.yaml',
      minimal('bad') + 'erp:\n  webhookUrl: ftp://erp.example/x\n  secretEnv: lower_case\n',
    );
    expect(problemsOf(() => loadTenantFile(bad)).map((p) => p.path)).toEqual([
      'erp.webhookUrl',
      'erp.secretEnv',
    ]);
    const unsigned = write(
      'unsigned/tenant.yaml',
      minimal('unsigned') + 'erp: { webhookUrl: https://erp.example/x }\n',
    );
    expect(problemsOf(() => loadTenantFile(unsigned))).toEqual([
      {
        file: unsigned,
        path: 'erp.secretEnv',
        line: 7,
        message: 'the field "secretEnv" is required when "webhookUrl" is set',
      },
    ]);
  });

  it('explains amounts written as numbers, wrong types, enums and limits', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme') +
        [
          'status: live',
          'publicBrowsing: "yes"',
          'discount: { percent: 5.555 }',
          'paymentTerms: { method: on_account, netDays: 30, creditLimit: 25000.00 }',
          'shipping:',
          '  - { countries: [nl], maxWeightKg: 0, price: "9.999" }',
          'company:',
          '  name: Acme',
          '  users:',
          '    - { email: not-an-email, name: A, roles: [] }',
          '    - { email: b@acme.example, name: B, roles: [OWNER] }',
          'features: { quickOrder: "on" }',
          '',
        ].join('\n'),
    );
    const problems = problemsOf(() => loadTenantFile(file));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath).toEqual({
      status: '"live" is not allowed here; use one of draft, active, suspended, archived',
      publicBrowsing: 'must be true or false (got "yes")',
      'discount.percent': 'may have at most 2 decimals (got 5.555)',
      'paymentTerms.creditLimit': 'must be an amount in quotes, e.g. "25000.00" (got 25000)',
      'shipping[0].countries[0]': expect.stringMatching(/^"nl" is not a valid country/),
      'shipping[0].maxWeightKg': 'must be more than 0 (got 0)',
      'shipping[0].price': expect.stringMatching(/^"9.999" is not a valid amount/),
      'company.users[0].email': '"not-an-email" is not a valid e-mail address',
      'company.users[0].roles': 'must list at least one entry',
      'company.users[1].roles[0]': expect.stringContaining('"OWNER" is not allowed here'),
      'features.quickOrder': 'must be true or false (got "on")',
    });
    expect(problems.find((p) => p.path === 'features.quickOrder')?.line).toBe(18);
  });

  it('reports the same user twice in a company', () => {
    const file = write(
      'acme/tenant.yaml',
      minimal('acme') +
        [
          'company:',
          '  name: Acme',
          '  users:',
          '    - { email: a@acme.example, name: A, roles: [BUYER] }',
          '    - { email: A@acme.example, name: A2, roles: [VIEWER] }',
          '',
        ].join('\n'),
    );
    expect(problemsOf(() => loadTenantFile(file))).toEqual([
      expect.objectContaining({ path: 'company.users[1].email', line: 11 }),
    ]);
  });
});

describe('loadTenantDir', () => {
  it('skips folders starting with _ or . and plain files', () => {
    write('acme/tenant.yaml', minimal('acme'));
    write('_drafts/tenant.yaml', 'not: valid');
    write('.git/tenant.yaml', 'not: valid');
    write('README.md', '# tenants');
    expect(loadTenantDir(root).map((t) => t.spec.slug)).toEqual(['acme']);
  });

  it('reports a domain claimed by two tenants, in both files', () => {
    const alpha = write('alpha/tenant.yaml', minimal('alpha', 'shared.example'));
    const beta = write('beta/tenant.yaml', minimal('beta', 'shared.example'));
    const clash = (other: string, file: string) =>
      `"shared.example" is also claimed by tenant "${other}" (${file}:4); ` +
      'a domain serves one tenant';
    expect(problemsOf(() => loadTenantDir(root))).toEqual([
      { file: alpha, path: 'domains[0]', line: 4, message: clash('beta', beta) },
      { file: beta, path: 'domains[0]', line: 4, message: clash('alpha', alpha) },
    ]);
  });

  it('reports a slug that differs from its folder name, and a slug used twice', () => {
    write('alpha/tenant.yaml', minimal('alpha'));
    const copy = write('alpha-copy/tenant.yaml', minimal('alpha', 'alpha-copy.localhost'));
    expect(problemsOf(() => loadTenantDir(root))).toEqual([
      {
        file: copy,
        path: 'slug',
        line: 1,
        message:
          '"alpha" does not match the folder name "alpha-copy"; name the folder after the slug',
      },
      {
        file: copy,
        path: 'slug',
        line: 1,
        message: `"alpha" is also the slug of ${join(root, 'alpha/tenant.yaml')}`,
      },
    ]);
  });

  it('reports a folder without tenant.yaml', () => {
    write('acme/tenant.yml', minimal('acme'));
    expect(problemsOf(() => loadTenantDir(root))).toEqual([
      expect.objectContaining({
        file: join(root, 'acme'),
        message: expect.stringContaining('tenant.yml'),
      }),
    ]);
  });

  it('reports a folder that does not exist', () => {
    expect(problemsOf(() => loadTenantDir(join(root, 'nope')))[0].message).toBe(
      'the tenants folder does not exist',
    );
  });

  it('reports every problem of every file at once, and loads nothing', () => {
    write('good/tenant.yaml', minimal('good', 'shared.example'));
    const typo = write(
      'typo/tenant.yaml',
      minimal('typo') + 'publicBrowse: true\ncurrency2: EUR\n',
    );
    const syntax = write('syntax/tenant.yaml', 'slug: syntax\nname: [unclosed\n');
    const clash = write(
      'clash/tenant.yaml',
      minimal('clash', 'shared.example').replace('currency: EUR', 'currency: euro'),
    );
    const theme = write('themed/tenant.yaml', minimal('themed') + 'theme: ../../etc\n');
    const wrong = write('wrong-folder/tenant.yaml', minimal('right-folder'));

    const err = (() => {
      try {
        loadTenantDir(root);
      } catch (e) {
        return e as TenantFileError;
      }
      throw new Error('expected a TenantFileError');
    })();
    expect(err).toBeInstanceOf(TenantFileError);
    const good = join(root, 'good/tenant.yaml');
    // sorted by file, then line
    expect(err.problems.map((p) => [p.file, p.path])).toEqual([
      [clash, 'domains[0]'],
      [clash, 'currency'],
      [good, 'domains[0]'],
      [syntax, ''],
      [theme, 'theme'],
      [typo, 'publicBrowse'],
      [typo, 'currency2'],
      [wrong, 'slug'],
    ]);
    expect(err.message).toMatch(
      /^Invalid tenant configuration, nothing was applied \(\d+ problems\):\n/,
    );
    for (const p of err.problems) {
      expect(err.message).toContain(
        `${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.message}`,
      );
    }
  });
});
