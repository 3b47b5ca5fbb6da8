import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '@vitrine/config';
import type { TenantSnapshot } from '@vitrine/tenancy';
import { ThemeEnvironments } from './theme-environments';

function tenant(id: string, themeDir: string | null, version = 1): TenantSnapshot {
  return {
    id,
    slug: id,
    name: `Tenant ${id}`,
    status: 'ACTIVE',
    locales: ['nl', 'en'],
    currency: 'EUR',
    timeZone: 'Europe/Amsterdam',
    publicBrowsing: true,
    showListPrices: true,
    theme: { primaryColor: '#123456' },
    settings: { themeDir },
    version,
    domains: [`${id}.localhost`],
  };
}

const shell = (extra: Record<string, unknown> = {}) => ({
  locale: 'nl',
  tenant: { name: 'X' },
  theme: {},
  contact: {},
  locales: [],
  message: 'Hallo',
  heading: 'Kop',
  ...extra,
});

describe('ThemeEnvironments', () => {
  let dir: string;
  let themes: ThemeEnvironments;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'themes-'));
    mkdirSync(join(dir, 'a', 'theme', 'partials'), { recursive: true });
    writeFileSync(
      join(dir, 'a', 'theme', 'partials', 'footer.hbs'),
      '<footer>A-FOOTER {{tenant.name}}</footer>',
    );
    themes = new ThemeEnvironments({ tenantsDir: dir, env: 'test' } as AppConfig);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders a theme's partial on its own tenant's pages only", () => {
    const a = themes.for(tenant('a', 'a/theme')).page('error', shell());
    const b = themes.for(tenant('b', null)).page('error', shell());
    expect(a).toContain('A-FOOTER');
    expect(b).not.toContain('A-FOOTER');
    expect(b).toContain('<footer class="footer">');
  });

  it('escapes data, so catalog text can never run as script', () => {
    const html = themes
      .for(tenant('b', null))
      .page('error', shell({ message: '<script>alert(1)</script>' }));
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps compiled environments until the tenant version changes', () => {
    const first = themes.for(tenant('a', 'a/theme', 1));
    expect(themes.for(tenant('a', 'a/theme', 1))).toBe(first);
    expect(themes.for(tenant('a', 'a/theme', 2))).not.toBe(first);
  });

  it('refuses a theme folder outside the tenants folder', () => {
    const html = themes.for(tenant('c', '../../etc')).page('error', shell());
    expect(html).toContain('<footer class="footer">');
  });
});
