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
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import {
  act,
  collect,
  examples,
  jsonOption,
  migrateEmbedded,
  withServices,
  type Cli,
} from './cli-context';
import { CliUsageError } from './exit-codes';
import type { Output } from './output';

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

function printTenant(out: Output, t: AdminTenantType, verb: string): void {
  out.result(t, () =>
    out.line(
      `${out.c.green(verb)} tenant ${out.c.bold(t.slug)} (${out.status(t.status, 0)})${t.domains.length ? ` on ${t.domains.join(', ')}` : ''}`,
    ),
  );
}

/** tenant.yaml data from a file: an unreadable file is usage (2), bad YAML invalid input (3). */
function readTenantFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new CliUsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw VitrineError.badInput(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw VitrineError.badInput(`${file}: must be a mapping of tenant.yaml fields`);
  return data as Record<string, unknown>;
}

/** Tenant status changes of the CLI: the life cycle is TenantAdminService's (setTenantStatus). */
const LIFECYCLE: Array<{
  name: string;
  status: TenantStatusEnum;
  verb: string;
  description: string;
  example: string;
}> = [
  {
    name: 'activate',
    status: TenantStatusEnum.ACTIVE,
    verb: 'Activated',
    description:
      'Activate a DRAFT or SUSPENDED tenant: it answers on its domains at once, on every running instance',
    example: 'npx vitrine tenant activate acme',
  },
  {
    name: 'suspend',
    status: TenantStatusEnum.SUSPENDED,
    verb: 'Suspended',
    description:
      'Suspend an ACTIVE tenant: every instance answers 403 TENANT_SUSPENDED within a second; activate it again later',
    example: 'npx vitrine tenant suspend acme --json',
  },
  {
    name: 'archive',
    status: TenantStatusEnum.ARCHIVED,
    verb: 'Archived',
    description:
      'Archive a DRAFT or SUSPENDED tenant (suspend an active one first): final; its domains are freed for other tenants',
    example: 'npx vitrine tenant suspend acme && npx vitrine tenant archive acme',
  },
];

/**
 * `vitrine tenant create|activate|suspend|archive` and `vitrine tenants list|export`: the admin
 * API's tenant operations from the command line, through the same service (same validation,
 * same writer, same audit log — actor `cli:<user>` — live on every running instance).
 */
export function registerTenantCommands(program: Command, tenants: Command, cli: Cli): void {
  const run = async <T>(out: Output, fn: (service: TenantAdminService) => Promise<T>) => {
    const c = cli.config();
    await migrateEmbedded(c);
    return withServices(c, out, (app: INestApplicationContext) => fn(app.get(TenantAdminService)));
  };

  const tenant = program
    .command('tenant')
    .description('Provision and operate one tenant: create, activate, suspend, archive')
    .addHelpText(
      'after',
      '\nLife cycle: DRAFT → ACTIVE ⇄ SUSPENDED → ARCHIVED (DRAFT → ARCHIVED too); a change the life\ncycle forbids exits 5. See `vitrine tenant <command> --help`.\n',
    );
  examples(
    jsonOption(
      tenant
        .command('create')
        .description(
          "Create a tenant from a tenant.yaml (--file) or from flags; validated like tenant.yaml (slug and domains free, hostnames valid, theme inside tenants/, price lists in the tenant's currency), served at once. Status DRAFT unless given",
        )
        .option(
          '--file <tenant.yaml>',
          'a tenant.yaml (its theme path is relative to tenants/<slug>/)',
        )
        .option('--slug <slug>', 'lowercase letters, digits and dashes')
        .option('--name <name>', 'display name')
        .option('--domain <host>', 'hostname, primary first (repeat or comma-separate)', collect)
        .option(
          '--locale <locale>',
          'locale, default first (repeat or comma-separate; default nl,en)',
          collect,
        )
        .option('--currency <code>', 'ISO 4217 currency', 'EUR')
        .option('--price-list <code>', 'price list code, in priority order (repeatable)', collect)
        .option('--category <slug>', 'assortment: include this category (repeatable)', collect)
        .option('--public-browsing', 'anonymous visitors may browse (prospect sites)', false)
        .addOption(new Option('--status <status>', 'DRAFT or ACTIVE').choices(['DRAFT', 'ACTIVE'])),
    ),
    [
      'npx vitrine tenant create --file acme/tenant.yaml',
      'npx vitrine tenant create --slug acme --name "Acme B.V." --domain acme.localhost,www.acme.example \\',
      '    --category gereedschap --price-list bouw-staffel --status ACTIVE --json',
    ],
  ).action(
    act(
      cli,
      async (
        out,
        opts: {
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
        },
      ) => {
        if (opts.file && (opts.slug || opts.name || opts.domain))
          throw new CliUsageError('Give either --file or the flags, not both.');
        if (opts.file) {
          const data = readTenantFile(opts.file);
          const created = await run(out, (s) =>
            s.createFromData(cliActor(), {
              ...data,
              ...(opts.status && { status: opts.status.toLowerCase() }),
            }),
          );
          printTenant(out, created, 'Created');
          return;
        }
        if (!opts.slug || !opts.name || !opts.domain?.length)
          throw new CliUsageError('Give --file, or at least --slug, --name and --domain.');
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
        printTenant(out, await run(out, (s) => s.create(cliActor(), input)), 'Created');
      },
    ),
  );

  for (const step of LIFECYCLE)
    examples(
      jsonOption(
        tenant.command(step.name).argument('<slug>', 'tenant slug').description(step.description),
      ),
      [step.example],
    ).action(
      act(cli, async (out, slug: string) => {
        const { before, after } = await run(out, async (s) => ({
          before: await s.get(cliActor(), slug),
          after: await s.setStatus(cliActor(), slug, step.status),
        }));
        printTenant(out, after, before?.status === after.status ? 'Unchanged:' : step.verb);
      }),
    );

  examples(
    jsonOption(
      tenants
        .command('list')
        .description('List tenants with status and domains, ordered by slug')
        .addOption(
          new Option('--status <status>', 'only tenants of this status').choices(STATUSES),
        ),
    ),
    [
      'npx vitrine tenants list',
      "npx vitrine tenants list --status ACTIVE --json | jq -r '.[].slug'",
    ],
  ).action(
    act(cli, async (out, opts: { status?: TenantStatusEnum }) => {
      const all = await run(out, async (s) => {
        const rows: AdminTenantType[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await s.list(cliActor(), { first: 200, after, status: opts.status ?? null });
          rows.push(...page.items.map((i) => i.node));
          if (!page.hasNextPage) return rows;
          after = page.endCursor;
        }
      });
      out.result(
        all.map((t) => ({ slug: t.slug, name: t.name, status: t.status, domains: t.domains })),
        (rows) => {
          if (!rows.length) {
            out.line(out.c.dim('No tenants.'));
            return;
          }
          const width = Math.min(32, Math.max(...rows.map((t) => t.slug.length)));
          for (const t of rows)
            out.line(`${out.status(t.status)} ${t.slug.padEnd(width)}  ${t.domains.join(', ')}`);
        },
      );
    }),
  );

  examples(
    jsonOption(
      tenants
        .command('export')
        .argument('<slug>', 'tenant slug')
        .description(
          'Write a tenant back as <dir>/<slug>/tenant.yaml (default dir: the tenants folder); `tenants sync` then finds it unchanged',
        )
        .option('--out <dir>', 'tenants folder to write into')
        .option(
          '--stdout',
          'print the file instead of writing it (with --json: in the document)',
          false,
        )
        .option('--force', 'overwrite an existing tenant.yaml (its comments are lost)', false),
    ),
    [
      'npx vitrine tenants export acme                  # tenants/acme/tenant.yaml',
      'npx vitrine tenants export acme --stdout > acme.yaml',
      'npx vitrine tenants export acme --out /tmp/sites --json   # {"slug", "file", "yaml"}',
    ],
  ).action(
    act(cli, async (out, slug: string, opts: { out?: string; stdout: boolean; force: boolean }) => {
      const yaml = await run(out, (s) => s.exportYaml(cliActor(), slug));
      if (opts.stdout) {
        out.result({ slug, file: null, yaml }, () => out.io.stdout.write(yaml));
        return;
      }
      const dir = join(opts.out ? resolve(opts.out) : cli.config().tenantsDir, slug);
      const file = join(dir, 'tenant.yaml');
      if (existsSync(file) && !opts.force)
        throw new CliUsageError(
          `${file} exists; use --force to overwrite it (its comments are lost).`,
        );
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, yaml);
      out.result({ slug, file, yaml }, () => out.line(`${out.c.green('Wrote')} ${file}`));
    }),
  );
}
