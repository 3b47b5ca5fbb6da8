import type { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  TenantAdminService,
  TenantStatusEnum,
  type AdminTenantType,
  type CreateTenantInput,
} from '@vitrine/admin';
import type { AppConfig } from '@vitrine/config';
import type { AdminIdentity } from '@vitrine/tenancy';
import { VitrineError } from '@vitrine/errors';

type WithServices = <T>(
  config: AppConfig,
  fn: (app: INestApplicationContext) => Promise<T>,
) => Promise<T>;

/**
 * Exit codes of the tenant commands, on top of the CLI's (0 ok, 1 failure, 2 usage, 3 invalid
 * input): 5 when the change clashes with what exists (slug or domain taken, a status change the
 * life cycle forbids), 6 when the tenant does not exist.
 */
export const TENANT_EXIT = { usage: 2, invalidInput: 3, conflict: 5, notFound: 6 } as const;

const STATUSES = Object.values(TenantStatusEnum) as string[];

/**
 * Who does it: the operating-system user running the CLI (the audit log's actor), with the
 * rights of the installation's operator — whoever can run the CLI can reach the database.
 */
function cliActor(): AdminIdentity {
  let subject = 'cli';
  try {
    subject = `cli:${userInfo().username}`;
  } catch {
    // no user name (a container without passwd entry): plain "cli"
  }
  return Object.freeze({ subject, roles: ['SUPER_ADMIN'] });
}

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Prints a refusal (every problem on its own line) and sets the exit code scripts branch on. */
function refuse(err: unknown): void {
  if (!(err instanceof VitrineError)) throw err;
  const problems = (err.details?.problems ?? []) as Array<{ path: string; message: string }>;
  process.stderr.write(
    `${err.code}: ${problems.length ? 'Invalid tenant, nothing was applied:' : err.message}\n`,
  );
  for (const p of problems) process.stderr.write(`  ${p.path ? `${p.path}: ` : ''}${p.message}\n`);
  process.exitCode =
    err.code === 'CONFLICT'
      ? TENANT_EXIT.conflict
      : err.code === 'NOT_FOUND'
        ? TENANT_EXIT.notFound
        : TENANT_EXIT.invalidInput;
}

function printTenant(t: AdminTenantType, verb: string, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
  else
    process.stdout.write(
      `${verb} tenant ${t.slug} (${t.status})${t.domains.length ? ` on ${t.domains.join(', ')}` : ''}\n`,
    );
}

/** tenant.yaml data from a file; a YAML or shape problem is invalid input (exit 3). */
function readTenantFile(file: string): Record<string, unknown> | null {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(resolve(file), 'utf8'));
  } catch (err) {
    process.stderr.write(`${file}: ${(err as Error).message.split('\n')[0]}\n`);
    process.exitCode = TENANT_EXIT.invalidInput;
    return null;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    process.stderr.write(`${file}: must be a mapping of tenant.yaml fields\n`);
    process.exitCode = TENANT_EXIT.invalidInput;
    return null;
  }
  return data as Record<string, unknown>;
}

/**
 * `vitrine tenant create|suspend` and `vitrine tenants list|export`: the admin API's tenant
 * operations from the command line, through the same service (same validation, same writer,
 * same audit log, live on every running instance).
 */
export function registerTenantCommands(
  program: Command,
  tenants: Command,
  config: () => AppConfig,
  withServices: WithServices,
  prepare: (c: AppConfig) => Promise<void>,
): void {
  const run = async <T>(
    fn: (service: TenantAdminService) => Promise<T>,
  ): Promise<T | undefined> => {
    const c = config();
    await prepare(c);
    try {
      return await withServices(c, (app) => fn(app.get(TenantAdminService)));
    } catch (err) {
      refuse(err);
      return undefined;
    }
  };

  const tenant = program.command('tenant').description('Provision and operate one tenant');
  tenant
    .command('create')
    .description(
      'Create a tenant from a tenant.yaml (--file) or from flags; validated like tenant.yaml, served at once. Status DRAFT unless given',
    )
    .option('--file <tenant.yaml>', 'a tenant.yaml (its theme path is relative to tenants/<slug>/)')
    .option('--slug <slug>', 'lowercase letters, digits and dashes')
    .option('--name <name>', 'display name')
    .option('--domain <host>', 'hostname, primary first (repeat or comma-separate)', collect)
    .option('--locale <locale>', 'locale, default first (repeat or comma-separate)', collect)
    .option('--currency <code>', 'ISO 4217 currency', 'EUR')
    .option('--price-list <code>', 'price list code, in priority order (repeatable)', collect)
    .option('--category <slug>', 'assortment: include this category (repeatable)', collect)
    .option('--public-browsing', 'anonymous visitors may browse (prospect sites)', false)
    .addOption(new Option('--status <status>', 'DRAFT or ACTIVE').choices(['DRAFT', 'ACTIVE']))
    .option('--json', 'machine-readable output', false)
    .action(
      async (opts: {
        file?: string;
        slug?: string;
        name?: string;
        domain?: string[];
        locale?: string[];
        currency: string;
        priceList?: string[];
        category?: string[];
        publicBrowsing: boolean;
        status?: 'DRAFT' | 'ACTIVE';
        json: boolean;
      }) => {
        if (opts.file && (opts.slug || opts.name || opts.domain)) {
          process.stderr.write('Give either --file or the flags, not both.\n');
          process.exitCode = TENANT_EXIT.usage;
          return;
        }
        if (opts.file) {
          const data = readTenantFile(opts.file);
          if (!data) return;
          const created = await run((s) =>
            s.createFromData(cliActor(), {
              ...data,
              ...(opts.status && { status: opts.status.toLowerCase() }),
            }),
          );
          if (created) printTenant(created, 'Created', opts.json);
          return;
        }
        if (!opts.slug || !opts.name || !opts.domain?.length) {
          process.stderr.write('Give --file, or at least --slug, --name and --domain.\n');
          process.exitCode = TENANT_EXIT.usage;
          return;
        }
        const input: CreateTenantInput = {
          slug: opts.slug,
          name: opts.name,
          domains: opts.domain,
          locales: opts.locale?.length ? opts.locale : ['nl', 'en'],
          currency: opts.currency,
          priceLists: opts.priceList ?? [],
          assortment: { includeCategories: opts.category ?? [] },
          publicBrowsing: opts.publicBrowsing,
          status: opts.status as TenantStatusEnum | undefined,
        };
        const created = await run((s) => s.create(cliActor(), input));
        if (created) printTenant(created, 'Created', opts.json);
      },
    );
  tenant
    .command('suspend')
    .argument('<slug>', 'tenant slug')
    .description('Suspend a tenant: every instance answers 403 TENANT_SUSPENDED within a second')
    .option('--json', 'machine-readable output', false)
    .action(async (slug: string, opts: { json: boolean }) => {
      const t = await run((s) => s.setStatus(cliActor(), slug, TenantStatusEnum.SUSPENDED));
      if (t) printTenant(t, 'Suspended', opts.json);
    });

  tenants
    .command('list')
    .description('List tenants with status and domains')
    .addOption(new Option('--status <status>', 'only tenants of this status').choices(STATUSES))
    .option('--json', 'machine-readable output', false)
    .action(async (opts: { status?: TenantStatusEnum; json: boolean }) => {
      const all = await run(async (s) => {
        const out: AdminTenantType[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await s.list(cliActor(), { first: 200, after, status: opts.status ?? null });
          out.push(...page.items.map((i) => i.node));
          if (!page.hasNextPage) return out;
          after = page.endCursor;
        }
      });
      if (!all) return;
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            all.map((t) => ({ slug: t.slug, name: t.name, status: t.status, domains: t.domains })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      for (const t of all)
        process.stdout.write(
          `${t.status.padEnd(9)} ${t.slug.padEnd(24)} ${t.domains.join(', ')}\n`,
        );
    });

  tenants
    .command('export')
    .argument('<slug>', 'tenant slug')
    .description(
      'Write a tenant back as <dir>/<slug>/tenant.yaml (default dir: the tenants folder); `tenants sync` then finds it unchanged',
    )
    .option('--out <dir>', 'tenants folder to write into')
    .option('--stdout', 'print the file instead of writing it', false)
    .option('--force', 'overwrite an existing tenant.yaml', false)
    .action(async (slug: string, opts: { out?: string; stdout: boolean; force: boolean }) => {
      const yaml = await run((s) => s.exportYaml(cliActor(), slug));
      if (yaml === undefined) return;
      if (opts.stdout) {
        process.stdout.write(yaml);
        return;
      }
      const dir = join(opts.out ? resolve(opts.out) : config().tenantsDir, slug);
      const file = join(dir, 'tenant.yaml');
      if (existsSync(file) && !opts.force) {
        process.stderr.write(
          `${file} exists; use --force to overwrite it (its comments are lost).\n`,
        );
        process.exitCode = TENANT_EXIT.usage;
        return;
      }
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, yaml);
      process.stdout.write(`Wrote ${file}\n`);
    });
}
