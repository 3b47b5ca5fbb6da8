import { userInfo } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { ADMIN_ROLES, AdminAccountService, isAdminRole, type AdminRole } from '@vitrine/admin';
import {
  act,
  collect,
  examples,
  jsonOption,
  migrateEmbedded,
  withServices,
  type Cli,
} from './cli-context';

function role(value: string, previous: AdminRole[] = []): AdminRole[] {
  const r = value.trim().toUpperCase();
  if (!isAdminRole(r)) throw new InvalidArgumentError(`expected one of ${ADMIN_ROLES.join(', ')}`);
  return [...previous, r];
}

/** The whole of stdin (a password piped in), without its trailing line break. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Who did it, for the audit log: the operating-system user running the CLI. */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * `vitrine admin create`: an admin account with roles (and, for account managers, tenants).
 * Refusals exit by the one table: bad e-mail, role/tenant combination or password 3, duplicate
 * e-mail 5; nothing is written.
 */
export function registerAdminCommands(admin: Command, cli: Cli): void {
  examples(
    jsonOption(
      admin
        .command('create')
        .description(
          'Create an admin account (sign in with the adminLogin mutation or on /admin/login); prints a generated password once when none is piped in',
        )
        .requiredOption('--email <email>', "the admin's e-mail (sign-in name)")
        .requiredOption('--name <name>', "the admin's name")
        .requiredOption('--role <role>', `a role, repeatable: ${ADMIN_ROLES.join(', ')}`, role)
        .option(
          '--tenant <slug>',
          'a tenant assigned to an ACCOUNT_MANAGER (repeatable, or comma-separated)',
          collect,
        )
        .option(
          '--password-stdin',
          'read the password (12 … 256 characters) from standard input instead of generating one',
          false,
        ),
    ),
    [
      'npx vitrine admin create --email anna@seller.example --name "Anna de Vries" \\',
      '    --role ACCOUNT_MANAGER --tenant jansen-bouw,zorggroep-noord',
      'echo "$PASSWORD" | npx vitrine admin create --email ops@seller.example --name Ops \\',
      '    --role SUPER_ADMIN --password-stdin --json   # {"admin": {…}, "password": null}',
    ],
  ).action(
    act(
      cli,
      async (
        out,
        opts: {
          email: string;
          name: string;
          role: AdminRole[];
          tenant?: string[];
          passwordStdin: boolean;
        },
      ) => {
        const password = opts.passwordStdin ? await readStdin() : null;
        const c = cli.config();
        await migrateEmbedded(c);
        const created = await withServices(c, out, (app) =>
          app.get(AdminAccountService).create(cliActor(), {
            email: opts.email,
            name: opts.name,
            roles: opts.role,
            tenants: opts.tenant ?? [],
            password,
          }),
        );
        const { admin: account, password: generated } = created;
        out.result({ admin: account, password: generated }, () => {
          out.line(
            `${out.c.green('Created')} admin ${out.c.bold(account.email)} (${account.roles.join(', ')})` +
              (account.tenants.length ? ` for ${account.tenants.join(', ')}` : '') +
              '.',
          );
          if (generated)
            out.line(`Password (shown once, pass it on safely): ${out.c.bold(generated)}`);
        });
      },
    ),
  );
}
