import type { INestApplicationContext } from '@nestjs/common';
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { ADMIN_ROLES, AdminAccountService, isAdminRole, type AdminRole } from '@vitrine/admin';
import type { AppConfig } from '@vitrine/config';
import { VitrineError } from '@vitrine/errors';

type WithServices = <T>(
  config: AppConfig,
  fn: (app: INestApplicationContext) => Promise<T>,
) => Promise<T>;

/** Exit code of a refused command (bad input, duplicate e-mail): EXIT.invalidInput. */
const INVALID_INPUT = 3;

function role(value: string, previous: AdminRole[] = []): AdminRole[] {
  const r = value.trim().toUpperCase();
  if (!isAdminRole(r)) throw new InvalidArgumentError(`expected one of ${ADMIN_ROLES.join(', ')}`);
  return [...previous, r];
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
 * Refusals (bad e-mail, unknown role or tenant, duplicate e-mail, short password) print the
 * message and exit with 3; nothing is written.
 */
export function registerAdminCommands(
  admin: Command,
  config: () => AppConfig,
  withServices: WithServices,
  prepare: (c: AppConfig) => Promise<void>,
): void {
  admin
    .command('create')
    .description(
      'Create an admin account (sign in with the adminLogin mutation); prints a generated password when none is piped in',
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
      'read the password from standard input instead of generating one',
      false,
    )
    .option('--json', 'machine-readable output', false)
    .action(
      async (opts: {
        email: string;
        name: string;
        role: AdminRole[];
        tenant?: string[];
        passwordStdin: boolean;
        json: boolean;
      }) => {
        const password = opts.passwordStdin ? await readStdin() : null;
        const c = config();
        await prepare(c);
        let created;
        try {
          created = await withServices(c, (app) =>
            app.get(AdminAccountService).create(cliActor(), {
              email: opts.email,
              name: opts.name,
              roles: opts.role,
              tenants: opts.tenant ?? [],
              password,
            }),
          );
        } catch (err) {
          if (!(err instanceof VitrineError) || err.code === 'INTERNAL_SERVER_ERROR') throw err;
          if (opts.json)
            process.stdout.write(
              `${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`,
            );
          else process.stderr.write(`${err.message}\n`);
          process.exitCode = INVALID_INPUT;
          return;
        }
        const { admin: account, password: generated } = created;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ admin: account, password: generated })}\n`);
          return;
        }
        process.stdout.write(
          `Created admin ${account.email} (${account.roles.join(', ')})` +
            (account.tenants.length ? ` for ${account.tenants.join(', ')}` : '') +
            '.\n',
        );
        if (generated)
          process.stdout.write(`Password (shown once, pass it on safely): ${generated}\n`);
      },
    );
}
