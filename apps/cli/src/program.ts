import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { DemoSeedService, loadTenantDir, TenantSyncService, type TenantPlan } from '@vitrine/admin';
import {
  CatalogImporter,
  CustomerSkuImporter,
  DEFAULT_BATCH_SIZE,
  type ImportOptions,
  type ImportResult,
} from '@vitrine/catalog';
import type { AppConfig } from '@vitrine/config';
import { createDataSource, ensureSchema } from '@vitrine/database';
import { PRICE_BATCH_SIZE, PriceImporter } from '@vitrine/pricing';
import { ADMIN_TOKEN_MAX_TTL_HOURS, AdminTokenService } from '@vitrine/admin';
import { CliModule } from './cli.module';
import { importSummary, ImportProgressReporter } from './import-progress';
import { registerOutboxCommands } from './outbox-commands';
import { registerTenantCommands } from './tenant-commands';
import { registerAdminCommands } from './admin-commands';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, usage: 2, invalidInput: 3, rowsRejected: 4 } as const;

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

async function withServices<T>(
  config: AppConfig,
  fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function printPlans(plans: TenantPlan[], json: boolean, dryRun: boolean, showLinks: boolean): void {
  // Invitation links are single-use secrets: shown outside production only (they are mailed).
  const shown = plans.map((p) =>
    showLinks || !p.invitations
      ? p
      : { ...p, invitations: p.invitations.map((i) => ({ email: i.email, link: '(mailed)' })) },
  );
  if (json) {
    process.stdout.write(`${JSON.stringify({ dryRun, tenants: shown }, null, 2)}\n`);
    return;
  }
  plans = shown;
  for (const p of plans) {
    const detail = p.action === 'update' ? ` (${p.changes.join(', ')})` : '';
    const size = p.assortment
      ? `  assortment: ${p.assortment.products} products / ${p.assortment.variants} variants`
      : '';
    process.stdout.write(`${p.action.padEnd(9)} ${p.slug}${detail}${size}\n`);
    for (const w of p.warnings) process.stdout.write(`  warning: ${w}\n`);
    for (const i of p.invitations ?? []) process.stdout.write(`  invited ${i.email}: ${i.link}\n`);
  }
  if (dryRun) process.stdout.write('(dry run: nothing was written)\n');
}

export function buildProgram(config: () => AppConfig): Command {
  const program = new Command('vitrine')
    .description('Operate a Vitrine installation: database, demo data, tenants.')
    .showHelpAfterError();

  const db = program.command('db').description('Database schema');
  db.command('migrate')
    .description(
      'Apply pending migrations to the configured database (DATABASE_URL, or the embedded one)',
    )
    .action(async () => {
      const c = config();
      const ds = await createDataSource(c.database);
      try {
        const before = await ds.showMigrations();
        await ensureSchema(ds, c.database, true);
        process.stdout.write(before ? 'Migrations applied.\n' : 'Schema is up to date.\n');
      } finally {
        await ds.destroy();
      }
    });

  program
    .command('seed')
    .description(
      'Seed the deterministic demo catalog, price lists and tenants (idempotent: upserts)',
    )
    .option('--products <n>', 'number of catalog variants to generate', count)
    .option('--tenants <n>', 'extra generated tenants (bench-0001 …)', count)
    .action(async (opts: { products?: number; tenants?: number }) => {
      const c = config();
      await migrateEmbedded(c);
      await withServices(c, async (app) => {
        const result = await app.get(DemoSeedService).seed({
          variants: opts.products ?? c.demo.products,
          extraTenants: opts.tenants ?? c.demo.extraTenants,
          onProgress: (m) => process.stderr.write(`${m}\n`),
        });
        process.stdout.write(
          `Seeded ${result.variants} variants and ${result.plans.length} tenants.\n`,
        );
      });
    });

  const tenants = program
    .command('tenants')
    .description('Declarative tenants (tenants/<slug>/tenant.yaml)');
  tenants
    .command('sync')
    .description(
      'Validate every tenants/*/tenant.yaml and apply them: create new, update changed, never delete',
    )
    .option('--dir <path>', 'tenants folder', undefined)
    .option('--dry-run', 'print the plan, write nothing', false)
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { dir?: string; dryRun: boolean; json: boolean }) => {
      const c = config();
      const loaded = loadTenantDir(opts.dir ? resolve(opts.dir) : c.tenantsDir);
      await migrateEmbedded(c);
      await withServices(c, async (app) => {
        const plans = await app.get(TenantSyncService).sync(loaded, { dryRun: opts.dryRun });
        printPlans(plans, opts.json, opts.dryRun, c.env !== 'production');
      });
    });
  registerTenantCommands(program, tenants, config, withServices, migrateEmbedded);

  const imports = program
    .command('import')
    .description('Import master data from ERP/PIM files (CSV or NDJSON); see docs/import.md');
  const importOptions = (cmd: Command, batchSize = DEFAULT_BATCH_SIZE) =>
    cmd
      .option('--format <format>', 'csv or ndjson (default: from the file extension)')
      .option('--rejects <path>', 'reject file (default: <file>.rejects.csv)')
      .option('--batch-size <n>', `rows per transaction (default ${batchSize})`, positive)
      .option('--delimiter <char>', 'CSV field delimiter (default ",")');
  importOptions(
    imports
      .command('catalog')
      .argument('<file>', 'catalog file (.csv, .ndjson)')
      .description('Upsert products and variants by SKU; rejected rows go to the reject file'),
  ).action(async (file: string, opts: CliImportOptions) => {
    await runImportCommand(
      config(),
      (app, options) => app.get(CatalogImporter).import(resolve(file), options),
      opts,
    );
  });
  importOptions(
    imports
      .command('customer-skus')
      .argument('<tenant>', 'tenant slug')
      .argument('<file>', 'customer_sku,sku file (.csv, .ndjson)')
      .description("Map a tenant's own article numbers to the seller's SKUs"),
  ).action(async (tenant: string, file: string, opts: CliImportOptions) => {
    await runImportCommand(
      config(),
      (app, options) => app.get(CustomerSkuImporter).import(tenant, resolve(file), options),
      opts,
    );
  });
  importOptions(
    imports
      .command('prices')
      .argument('<file>', 'price file (.csv, .ndjson)')
      .description(
        'Upsert list prices, price-list entries and contract prices; rejected rows go to the reject file',
      ),
    PRICE_BATCH_SIZE,
  ).action(async (file: string, opts: CliImportOptions) => {
    await runImportCommand(
      config(),
      (app, options) => app.get(PriceImporter).import(resolve(file), options),
      opts,
    );
  });

  const admin = program.command('admin').description('Access to the admin API');
  admin
    .command('token')
    .description(
      `Print a SUPER_ADMIN bootstrap token for /admin/graphql on the admin host, for development and for creating the first admin accounts (no account behind it; expires, at most ${ADMIN_TOKEN_MAX_TTL_HOURS} h)`,
    )
    .option('--subject <name>', "the admin's name or e-mail, recorded with every change", 'admin')
    .option('--ttl <hours>', 'lifetime in hours', hours, 12)
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { subject: string; ttl: number; json: boolean }) => {
      const c = config();
      await migrateEmbedded(c);
      const issued = await withServices(c, (app) =>
        app.get(AdminTokenService).sign(opts.subject, opts.ttl),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(issued)}\n`);
        return;
      }
      process.stdout.write(`${issued.token}\n`);
      process.stderr.write(
        `Admin token for "${issued.subject}", valid until ${issued.expiresAt.toISOString()}.\n`,
      );
    });

  registerAdminCommands(admin, config, withServices, migrateEmbedded);
  registerOutboxCommands(program, config, withServices);

  return program;
}

interface CliImportOptions {
  format?: 'csv' | 'ndjson';
  rejects?: string;
  batchSize?: number;
  delimiter?: string;
}

function hours(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > ADMIN_TOKEN_MAX_TTL_HOURS)
    throw new InvalidArgumentError(`expected hours, more than 0 and at most ${ADMIN_TOKEN_MAX_TTL_HOURS}`);
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/**
 * Runs one import with progress on stderr and the summary on stdout. Exit code 4
 * (EXIT.rowsRejected) when some rows were rejected: the others are committed.
 */
async function runImportCommand(
  c: AppConfig,
  run: (
    app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>,
    options: ImportOptions,
  ) => Promise<ImportResult>,
  opts: CliImportOptions,
): Promise<void> {
  await migrateEmbedded(c);
  const progress = new ImportProgressReporter();
  const result = await withServices(c, async (app) => {
    try {
      return await run(app, {
        format: opts.format,
        rejectsPath: opts.rejects ? resolve(opts.rejects) : undefined,
        batchSize: opts.batchSize,
        delimiter: opts.delimiter,
        onProgress: progress.update,
      });
    } finally {
      progress.stop();
    }
  });
  process.stdout.write(importSummary(result));
  if (result.rejected > 0) process.exitCode = EXIT.rowsRejected;
}

/** The embedded database belongs to this checkout: bring it up to date like the API does. */
async function migrateEmbedded(c: AppConfig): Promise<void> {
  if (c.database.kind !== 'pglite') return;
  const ds = await createDataSource(c.database);
  try {
    await ensureSchema(ds, c.database, true);
  } finally {
    await ds.destroy();
  }
}
