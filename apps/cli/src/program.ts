import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import {
  ADMIN_TOKEN_MAX_TTL_HOURS,
  AdminTokenService,
  DemoSeedService,
  loadTenantDir,
  TenantSyncService,
  type TenantPlan,
} from '@vitrine/admin';
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
import { registerAdminCommands } from './admin-commands';
import {
  act,
  count,
  examples,
  jsonOption,
  migrateEmbedded,
  positive,
  withServices,
  type Cli,
} from './cli-context';
import { classify, EXIT, EXIT_CODES_HELP } from './exit-codes';
import { CountProgress, importSummary, ImportProgressReporter } from './import-progress';
import { Output, processIO, type CliIO } from './output';
import { registerOutboxCommands } from './outbox-commands';
import { registerTenantCommands } from './tenant-commands';

export { EXIT } from './exit-codes';

/** Fewer tenants than this sync quickly: no progress bar. */
const SYNC_PROGRESS_MIN_TENANTS = 50;

/** Invitation links are single-use secrets: shown outside production only (they are mailed). */
function maskInvitations(plans: TenantPlan[], showLinks: boolean): TenantPlan[] {
  return plans.map((p) =>
    showLinks || !p.invitations
      ? p
      : { ...p, invitations: p.invitations.map((i) => ({ email: i.email, link: '(mailed)' })) },
  );
}

/** A tenant plan per line (action coloured), its warnings and invitations below it. */
function printPlans(out: Output, plans: TenantPlan[]): void {
  const width = Math.min(32, Math.max(8, ...plans.map((p) => p.slug.length)));
  for (const p of plans) {
    const detail = p.action === 'update' ? ` (${p.changes.join(', ')})` : '';
    const size = p.assortment
      ? out.c.dim(
          `  assortment: ${p.assortment.products} products / ${p.assortment.variants} variants`,
        )
      : '';
    const rest = `${detail}${size}`;
    out.line(`${out.action(p.action)} ${rest ? p.slug.padEnd(width) : p.slug}${rest}`);
    for (const w of p.warnings) out.line(`  ${out.c.yellow(`warning: ${w}`)}`);
    for (const i of p.invitations ?? []) out.line(`  invited ${i.email}: ${i.link}`);
  }
}

function planCounts(plans: TenantPlan[]): string {
  const n = (a: string) => plans.filter((p) => p.action === a).length;
  return `${n('create')} created, ${n('update')} updated, ${n('unchanged')} unchanged`;
}

/**
 * The `vitrine` command tree. `config` is read lazily (help works without a valid
 * environment); `io` decides where output goes and whether it is coloured.
 */
export function buildProgram(
  config: () => AppConfig,
  io: CliIO = processIO(),
  cli: Cli = { io, config, exitCode: EXIT.ok },
): Command {
  const program = new Command('vitrine')
    .description(
      'Operate a Vitrine installation: database, demo data, tenants, imports, admin accounts, outbox.',
    )
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Every command has --help. Commands that report something take --json: exactly one JSON',
        'document on stdout ({"error": {"code", "message", "details"}} on failure); progress,',
        'warnings and errors go to stderr. Colour on a terminal only; NO_COLOR=1 turns it off,',
        'FORCE_COLOR=1 on. The database is DATABASE_URL, else the embedded one under',
        'VITRINE_DATA_DIR (default .vitrine). More: docs/cli.md.',
        '',
        EXIT_CODES_HELP,
        '',
        'Examples:',
        '  npx vitrine seed --products 5000',
        '  npx vitrine tenants sync --dry-run',
        '  npx vitrine tenant create --slug acme --name "Acme B.V." --domain acme.localhost --json',
        '  npx vitrine tenant suspend acme || echo "exit $?"',
        '',
      ].join('\n'),
    );

  const db = program
    .command('db')
    .description('Database schema')
    .addHelpText('after', '\nSee `vitrine db migrate --help`.\n');
  examples(
    jsonOption(
      db
        .command('migrate')
        .description(
          'Apply pending migrations to the configured database (DATABASE_URL, or the embedded one)',
        ),
    ),
    [
      'DATABASE_URL=postgres://user@db-host/vitrine npx vitrine db migrate',
      'npx vitrine db migrate --json   # {"database": "postgres", "applied": ["…"]}',
    ],
  ).action(
    act(cli, async (out) => {
      const c = cli.config();
      // As the owner (DATABASE_MIGRATION_URL when set), which then grants the runtime role.
      const ds = await createDataSource(c.database, { purpose: 'migrate' });
      let applied: string[];
      try {
        applied = await pendingMigrations(ds);
        await ensureSchema(ds, c.database, true);
      } finally {
        await ds.destroy();
      }
      out.result({ database: c.database.kind, applied }, () =>
        out.line(
          applied.length
            ? `${out.c.green(`Applied ${applied.length} migration(s)`)}: ${applied.join(', ')}`
            : 'Schema is up to date.',
        ),
      );
    }),
  );

  examples(
    jsonOption(
      program
        .command('seed')
        .description(
          'Seed the deterministic demo catalog, price lists and the tenants of tenants/ (idempotent: upserts); optionally N generated tenants for scale tests',
        )
        .option(
          '--products <n>',
          'number of catalog variants to generate (default DEMO_PRODUCTS)',
          count,
        )
        .option(
          '--tenants <n>',
          'extra generated tenants bench-0001 … (default DEMO_TENANTS)',
          count,
        ),
    ),
    [
      'npx vitrine seed',
      'npx vitrine seed --products 50000 --tenants 1000   # the benchmark world',
      'npx vitrine seed --json | jq .variants',
    ],
  ).action(
    act(cli, async (out, opts: { products?: number; tenants?: number }) => {
      const c = cli.config();
      await migrateEmbedded(c);
      const progress = new CountProgress(out);
      const result = await withServices(
        c,
        out,
        async (app) => {
          try {
            return await app.get(DemoSeedService).seed({
              variants: opts.products ?? c.demo.products,
              extraTenants: opts.tenants ?? c.demo.extraTenants,
              onCount: progress.update,
              // Per-batch counts are the progress bar's; the phase summaries are notes.
              onProgress: (m) => {
                if (!/^catalog: \d+\/\d+ variants$/.test(m)) progress.note(m);
              },
            });
          } finally {
            progress.stop();
          }
        },
        ['TenantSync'],
      );
      const tenants = maskInvitations(result.plans, c.env !== 'production');
      out.result({ variants: result.variants, tenants }, () => {
        for (const p of tenants) for (const w of p.warnings) out.warn(`${p.slug}: ${w}`);
        out.line(
          `${out.c.green('Seeded')} ${result.variants} variants and ${tenants.length} tenants (${planCounts(tenants)}).`,
        );
      });
    }),
  );

  const tenants = program
    .command('tenants')
    .description('Declarative tenants (tenants/<slug>/tenant.yaml) and the tenant list')
    .addHelpText(
      'after',
      '\nSee `vitrine tenants <command> --help`; one tenant: `vitrine tenant`.\n',
    );
  examples(
    jsonOption(
      tenants
        .command('sync')
        .description(
          'Validate every tenants/*/tenant.yaml and apply them in one transaction: create new, update changed, never delete. Prints the plan: create / update (with the changed fields) / unchanged per tenant',
        )
        .option('--dir <path>', 'tenants folder (default: TENANTS_DIR, else tenants/)')
        .option('--dry-run', 'check everything and print the plan, write nothing', false),
    ),
    [
      'npx vitrine tenants sync --dry-run',
      'npx vitrine tenants sync --dir ./customer-sites --json | jq \'.tenants[] | select(.action != "unchanged")\'',
    ],
  ).action(
    act(cli, async (out, opts: { dir?: string; dryRun: boolean }) => {
      const c = cli.config();
      const loaded = loadTenantDir(opts.dir ? resolve(opts.dir) : c.tenantsDir);
      await migrateEmbedded(c);
      const progress = new CountProgress(out, { minTotal: SYNC_PROGRESS_MIN_TENANTS });
      const plans = await withServices(
        c,
        out,
        async (app) => {
          try {
            return await app.get(TenantSyncService).sync(loaded, {
              dryRun: opts.dryRun,
              onProgress: (phase, done, total) => progress.update(`tenants ${phase}`, done, total),
            });
          } finally {
            progress.stop();
          }
        },
        ['TenantSync'],
      );
      const shown = maskInvitations(plans, c.env !== 'production');
      out.result({ dryRun: opts.dryRun, tenants: shown }, () => {
        printPlans(out, shown);
        out.line(
          `${shown.length} tenant(s): ${planCounts(shown)}${opts.dryRun ? out.c.cyan(' — dry run: nothing was written') : ''}`,
        );
      });
    }),
  );
  registerTenantCommands(program, tenants, cli);

  const imports = program
    .command('import')
    .description('Import master data from ERP/PIM files (CSV or NDJSON); see docs/import.md')
    .addHelpText(
      'after',
      '\nExit code 4 when some rows were rejected (the others are committed); see `vitrine --help`.\n',
    );
  const importOptions = (cmd: Command, batchSize = DEFAULT_BATCH_SIZE) =>
    jsonOption(
      cmd
        .option('--format <format>', 'csv or ndjson (default: from the file extension)')
        .option('--rejects <path>', 'reject file (default: <file>.rejects.csv)')
        .option('--batch-size <n>', `rows per transaction (default ${batchSize})`, positive)
        .option('--delimiter <char>', 'CSV field delimiter (default ",")'),
    );
  examples(
    importOptions(
      imports
        .command('catalog')
        .argument('<file>', 'catalog file (.csv, .ndjson)')
        .description(
          'Upsert products and variants by SKU; rejected rows go to the reject file, the rest is committed',
        ),
    ),
    [
      'npx vitrine import catalog examples/catalog.csv',
      'npx vitrine import catalog export.txt --format csv --delimiter ";" --json',
    ],
  ).action(
    act(cli, async (out, file: string, opts: CliImportOptions) => {
      await runImportCommand(cli, out, opts, (app, options) =>
        app.get(CatalogImporter).import(resolve(file), options),
      );
    }),
  );
  examples(
    importOptions(
      imports
        .command('customer-skus')
        .argument('<tenant>', 'tenant slug')
        .argument('<file>', 'customer_sku,sku file (.csv, .ndjson)')
        .description("Map a tenant's own article numbers to the seller's SKUs"),
    ),
    ['npx vitrine import customer-skus jansen-bouw examples/customer-skus.csv'],
  ).action(
    act(cli, async (out, tenant: string, file: string, opts: CliImportOptions) => {
      await runImportCommand(cli, out, opts, (app, options) =>
        app.get(CustomerSkuImporter).import(tenant, resolve(file), options),
      );
    }),
  );
  examples(
    importOptions(
      imports
        .command('prices')
        .argument('<file>', 'price file (.csv, .ndjson)')
        .description(
          'Upsert list prices, price-list entries and contract prices (tiers, validity dates); rejected rows go to the reject file',
        ),
      PRICE_BATCH_SIZE,
    ),
    [
      'npx vitrine import prices examples/prices.csv',
      'npx vitrine import prices prices.ndjson --json > result.json; echo "exit $?"   # 4: some rows rejected',
    ],
  ).action(
    act(cli, async (out, file: string, opts: CliImportOptions) => {
      await runImportCommand(cli, out, opts, (app, options) =>
        app.get(PriceImporter).import(resolve(file), options),
      );
    }),
  );

  const admin = program
    .command('admin')
    .description('Admin accounts and tokens for the admin API (/admin/graphql on the admin host)')
    .addHelpText('after', '\nSee `vitrine admin <command> --help` and docs/admin-api.md.\n');
  examples(
    jsonOption(
      admin
        .command('token')
        .description(
          `Print a SUPER_ADMIN bootstrap token for /admin/graphql on the admin host, for development and for creating the first admin accounts (no account behind it; expires, at most ${ADMIN_TOKEN_MAX_TTL_HOURS} h). The token alone goes to stdout`,
        )
        .option(
          '--subject <name>',
          "the admin's name or e-mail, recorded with every change",
          'admin',
        )
        .option('--ttl <hours>', 'lifetime in hours', hours, 12),
    ),
    [
      'TOKEN=$(npx vitrine admin token --subject ops@seller.example)',
      'npx vitrine admin token --ttl 1 --json   # {"token", "subject", "expiresAt"}',
    ],
  ).action(
    act(cli, async (out, opts: { subject: string; ttl: number }) => {
      const c = cli.config();
      await migrateEmbedded(c);
      const issued = await withServices(c, out, (app) =>
        app.get(AdminTokenService).sign(opts.subject, opts.ttl),
      );
      out.result(issued, () => {
        out.line(issued.token);
        out.note(
          out.ce.dim(
            `Admin token for "${issued.subject}", valid until ${issued.expiresAt.toISOString()}.`,
          ),
        );
      });
    }),
  );
  registerAdminCommands(admin, cli);
  registerOutboxCommands(program, cli);

  return program;
}

/**
 * Runs the CLI on `argv` and returns the exit code (exit-codes.ts) instead of exiting: main.ts
 * sets it as the process's, tests read it. Commander's own errors (unknown option, missing
 * argument) become exit 2; with --json they also produce the error document on stdout.
 */
export async function runCli(
  argv: string[],
  options: { config: () => AppConfig; io?: CliIO },
): Promise<number> {
  const io = options.io ?? processIO();
  const cli: Cli = { io, config: options.config, exitCode: EXIT.ok };
  const program = buildProgram(options.config, io, cli);
  const errColour = new Output(io, false).ce;
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(errColour.red(s)),
    });
    cmd.commands.forEach(configure);
  };
  configure(program);
  try {
    await program.parseAsync(argv);
    return cli.exitCode;
  } catch (err) {
    const failure = classify(err);
    if (err instanceof CommanderError) {
      // Commander printed the message (and the help) already; add the document for scripts.
      if (failure.exitCode !== EXIT.ok && argv.includes('--json'))
        io.stdout.write(
          `${JSON.stringify({ error: { code: failure.code, message: failure.message, details: {} } }, null, 2)}\n`,
        );
      return failure.exitCode;
    }
    return new Output(io, argv.includes('--json')).fail(err);
  }
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
    throw new InvalidArgumentError(
      `expected hours, more than 0 and at most ${ADMIN_TOKEN_MAX_TTL_HOURS}`,
    );
  return n;
}

/** Names of the migrations the database has not run yet. */
async function pendingMigrations(ds: Awaited<ReturnType<typeof createDataSource>>) {
  if (!(await ds.showMigrations())) return [];
  const applied = (await ds.query('SELECT name FROM migrations').catch(() => [])) as Array<{
    name: string;
  }>;
  const names = new Set(applied.map((r) => r.name));
  return ds.migrations.map((m) => m.name ?? m.constructor.name).filter((n) => !names.has(n));
}

/**
 * Runs one import with progress on stderr and the summary (or the result as JSON) on stdout.
 * Exit code 4 (EXIT.rowsRejected) when some rows were rejected: the others are committed.
 */
async function runImportCommand(
  cli: Cli,
  out: Output,
  opts: CliImportOptions,
  run: (app: INestApplicationContext, options: ImportOptions) => Promise<ImportResult>,
): Promise<void> {
  const c = cli.config();
  await migrateEmbedded(c);
  const progress = ImportProgressReporter.for(out);
  const result = await withServices(c, out, async (app) => {
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
  out.result(result, () => out.io.stdout.write(importSummary(result, out)));
  if (result.rejected > 0) cli.exitCode = EXIT.rowsRejected;
}
