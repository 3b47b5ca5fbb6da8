import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { CatalogSeeder, demoCategories } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { PricingSeeder } from '@vitrine/pricing';
import { VitrineError } from '@vitrine/errors';
import { AdminAccountService } from './accounts/admin-account.service';
import { seedBenchBuyers } from './bench-buyers';
import { DEFAULT_THEME, loadTenantDir, type LoadedTenant } from './tenant-file';
import { TenantSyncService, type TenantPlan } from './tenant-sync.service';

export interface DemoSeedOptions {
  variants: number;
  extraTenants: number;
  onProgress?: (message: string) => void;
  /** Counts of the long phases (variants written, tenants checked and written): progress bars. */
  onCount?: (
    phase: 'catalog' | 'tenants check' | 'tenants write',
    done: number,
    total: number,
  ) => void;
}

const TOP_CATEGORIES = [
  'bevestigingsmaterialen',
  'gereedschap',
  'pbm',
  'medisch-verbruik',
  'schoonmaak-hygiene',
  'auto-onderdelen',
  'smeermiddelen-chemie',
  'elektra',
];
/** The demo's admin account (development only: it signs in with the demo password). */
export const DEMO_ADMIN_EMAIL = 'admin@vitrine.localhost';

const PALETTE = [
  '#1f6feb',
  '#d9480f',
  '#2b8a3e',
  '#862e9c',
  '#c2255c',
  '#0b7285',
  '#5c940d',
  '#e67700',
];

/**
 * The demo world used by `npm start`, the tests and the benchmarks: the generated catalog with
 * list prices and demo price lists, the tenants of the tenants/ folder, and optionally N
 * generated tenants (bench-0001 …) to show that many tenants do not slow one down.
 */
@Injectable()
export class DemoSeedService {
  private readonly log = new Logger('DemoSeed');

  constructor(
    private readonly db: TenantDb,
    private readonly catalog: CatalogSeeder,
    private readonly pricing: PricingSeeder,
    private readonly tenants: TenantSyncService,
    private readonly admins: AdminAccountService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Development only (the demo password is never set in production): a SUPER_ADMIN
   * `admin@vitrine.localhost` with the demo password, so the admin pages and the admin API can be
   * tried right after `npm start` — while the server holds the embedded database, the CLI cannot
   * open it to mint a token. Returns the e-mail, or null when there is no demo password.
   */
  async ensureDemoAdmin(): Promise<string | null> {
    const password = this.config.demo.password;
    if (!password) return null;
    try {
      await this.admins.create('demo-seed', {
        email: DEMO_ADMIN_EMAIL,
        name: 'Demo admin',
        roles: ['SUPER_ADMIN'],
        password,
      });
    } catch (err) {
      if (!(err instanceof VitrineError && err.code === 'CONFLICT')) throw err;
    }
    return DEMO_ADMIN_EMAIL;
  }

  async isEmpty(): Promise<boolean> {
    const [row] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM variant`);
    return row.n === 0;
  }

  /** Catalog, list prices and demo price lists only. */
  async seedCatalog(
    options: Pick<DemoSeedOptions, 'variants' | 'onProgress' | 'onCount'>,
  ): Promise<number> {
    const progress = options.onProgress ?? ((m: string) => this.log.log(m));
    const started = Date.now();
    const listIds = await this.pricing.ensurePriceLists();
    const paths = categoryPaths();
    const result = await this.catalog.seed({
      variants: options.variants,
      onBatch: (em, batch) =>
        this.pricing.seedBatch(
          em,
          listIds,
          batch.map((b) => ({
            variantId: b.variantId,
            index: Number.parseInt(b.variant.sku.slice(4), 10),
            categoryPath: paths.get(b.product.categorySlug) ?? [],
            listPriceMinor: b.variant.listPriceMinor,
          })),
        ),
      onProgress: (done, total) => {
        options.onCount?.('catalog', done, total);
        progress(`catalog: ${done}/${total} variants`);
      },
    });
    progress(
      `catalog: ${result.variants} variants in ${result.products} products, ${result.categories} categories (${Date.now() - started} ms)`,
    );
    return result.variants;
  }

  /** The whole demo: catalog and prices, the tenants folder, and N generated tenants. */
  async seed(options: DemoSeedOptions): Promise<{ variants: number; plans: TenantPlan[] }> {
    const progress = options.onProgress ?? ((m: string) => this.log.log(m));
    const variants = await this.seedCatalog(options);
    const loaded = [
      ...loadTenantDir(this.config.tenantsDir),
      ...generatedTenants(options.extraTenants),
    ];
    const plans = await this.tenants.sync(loaded, {
      rematerialize: true,
      onProgress: (phase, done, total) => options.onCount?.(`tenants ${phase}`, done, total),
    });
    progress(`tenants: ${plans.length} synced`);
    if (await this.ensureDemoAdmin()) progress(`demo admin: ${DEMO_ADMIN_EMAIL} (SUPER_ADMIN)`);
    const contracts = await this.pricing.seedContracts(
      (
        await this.db.query<{ id: string }>(`SELECT id FROM tenant WHERE slug = ANY($1::text[])`, [
          loaded.map((t) => t.spec.slug),
        ])
      ).map((t) => t.id),
    );
    progress(`contract prices: ${contracts}`);
    if (options.extraTenants >= 1) {
      const [first] = await this.db.query<{ id: string }>(
        `SELECT id FROM tenant WHERE slug = 'bench-0001'`,
      );
      const n = await this.pricing.seedBenchContracts(first.id);
      progress(`bench-0001: ${n} contract prices for company bench-contract, none for bench-none`);
      // Buyers, a ship-to address and ample stock for the order-flow benchmark (bench/order-flow.ts).
      const fixture = await seedBenchBuyers(this.db, first.id);
      progress(
        `bench-0001: ${fixture.buyers} bench buyers, stock raised on ${fixture.variants} variants`,
      );
    }
    return { variants, plans };
  }
}

/** slug → slugs from the root down to it, for every demo category. */
function categoryPaths(): Map<string, string[]> {
  const parents = new Map(demoCategories().map((c) => [c.slug, c.parentSlug]));
  const paths = new Map<string, string[]>();
  for (const slug of parents.keys()) {
    const path = [slug];
    for (let p = parents.get(slug) ?? null; p; p = parents.get(p) ?? null) path.unshift(p);
    paths.set(slug, path);
  }
  return paths;
}

/**
 * The rate table of every generated tenant, shaped like a real wholesaler's: a parcel rate per
 * country up to 30 kg, freight above it, free from 250 EUR excluding VAT. Without one, checkout
 * on a generated tenant would end in SHIPPING_UNAVAILABLE.
 */
const GENERATED_SHIPPING: LoadedTenant['spec']['shipping'] = [
  { countries: ['NL', 'BE'], maxWeightKg: 30, price: '6.95' },
  { countries: ['DE'], maxWeightKg: 30, price: '9.95' },
  { countries: ['NL', 'BE', 'DE'], price: '49.00' },
  { countries: ['NL', 'BE', 'DE'], minOrderValue: '250.00', price: '0.00' },
];

/** N generated key-account tenants for scale tests: each a different slice of the assortment. */
export function generatedTenants(n: number): LoadedTenant[] {
  const out: LoadedTenant[] = [];
  for (let i = 1; i <= n; i++) {
    const slug = `bench-${String(i).padStart(4, '0')}`;
    const cats = [TOP_CATEGORIES[i % 8], TOP_CATEGORIES[(i + 3) % 8], TOP_CATEGORIES[(i + 5) % 8]];
    out.push({
      file: `(generated ${slug})`,
      dir: '',
      themeDir: null,
      theme: { ...DEFAULT_THEME, primaryColor: PALETTE[i % PALETTE.length] },
      spec: {
        slug,
        name: `Bench Account ${i}`,
        status: 'active',
        domains: [`${slug}.localhost`],
        locales: ['nl', 'en'],
        currency: 'EUR',
        publicBrowsing: false,
        showListPrices: true,
        theme: './theme',
        assortment: { includeCategories: cats, includeSkus: [], excludeSkus: [] },
        priceLists: i % 2 === 0 ? ['bouw-staffel'] : [],
        discount: i % 3 === 0 ? { percent: 3, categories: [] } : undefined,
        shipping: GENERATED_SHIPPING.map((rule) => ({ ...rule, countries: [...rule.countries] })),
        features: {},
      },
    });
  }
  return out;
}
