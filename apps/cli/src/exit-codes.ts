import { CommanderError } from 'commander';
import { TenantFileError } from '@vitrine/admin';
import { ImportError } from '@vitrine/catalog';
import { ConfigError } from '@vitrine/config';
import { DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';

/**
 * The exit codes of every `vitrine` command: the one table scripts branch on (also in
 * `vitrine --help` and docs/cli.md). A code never changes meaning; new failures get new codes.
 */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Unexpected failure: a bug, a lost database connection mid-way. The message says what. */
  failure: 1,
  /** The command line is wrong: unknown command or option, bad or missing argument, flags that do not go together, an unreadable file. */
  usage: 2,
  /** The input was read and refused (BAD_USER_INPUT): an invalid tenant.yaml, field or file; nothing applied. */
  invalidInput: 3,
  /** An import finished but rejected some rows (see the reject file); the other rows are committed. */
  rowsRejected: 4,
  /** The change clashes with what exists (CONFLICT): a slug, domain or e-mail taken, a status change the life cycle forbids. */
  conflict: 5,
  /** The thing named does not exist (NOT_FOUND): an unknown tenant slug, admin, event. */
  notFound: 6,
  /** Not allowed (FORBIDDEN, UNAUTHENTICATED). */
  forbidden: 7,
  /** The environment is not ready: invalid configuration, database unreachable or in use by another process, schema behind (run `vitrine db migrate`). */
  unavailable: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The lines of `vitrine --help` and docs/cli.md that explain the table. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  done',
  '  1  unexpected failure (a bug, the database lost mid-way)',
  '  2  usage: unknown command or option, bad argument, flags that do not go together',
  '  3  invalid input (BAD_USER_INPUT): nothing was applied',
  '  4  import finished with rejected rows (see the reject file)',
  '  5  conflict (CONFLICT): slug, domain or e-mail taken; a forbidden status change',
  '  6  not found (NOT_FOUND): unknown tenant, admin, …',
  '  7  forbidden (FORBIDDEN, UNAUTHENTICATED)',
  '  8  environment not ready: invalid configuration, database unreachable or in use, schema behind',
].join('\n');

/** VitrineError codes (libs/platform/errors) → exit code; anything not listed is a failure. */
const BY_ERROR_CODE: Record<string, ExitCode> = {
  BAD_USER_INPUT: EXIT.invalidInput,
  QUERY_TOO_COMPLEX: EXIT.invalidInput,
  PAYLOAD_TOO_LARGE: EXIT.invalidInput,
  UNSUPPORTED_MEDIA_TYPE: EXIT.invalidInput,
  SHIPPING_UNAVAILABLE: EXIT.invalidInput,
  CONFLICT: EXIT.conflict,
  IDEMPOTENCY_KEY_REUSED: EXIT.conflict,
  OUT_OF_STOCK: EXIT.conflict,
  SPEND_LIMIT_EXCEEDED: EXIT.conflict,
  CREDIT_LIMIT_EXCEEDED: EXIT.conflict,
  QUOTE_EXPIRED: EXIT.conflict,
  NOT_FOUND: EXIT.notFound,
  TENANT_NOT_FOUND: EXIT.notFound,
  FORBIDDEN: EXIT.forbidden,
  UNAUTHENTICATED: EXIT.forbidden,
  TENANT_SUSPENDED: EXIT.forbidden,
  SERVICE_UNAVAILABLE: EXIT.unavailable,
  RATE_LIMITED: EXIT.unavailable,
  INTERNAL_SERVER_ERROR: EXIT.failure,
};

/** Error codes of failures that are not VitrineErrors, as they appear in `--json` output. */
export const CLI_ERROR_CODES = {
  usage: 'USAGE',
  invalidInput: 'BAD_USER_INPUT',
  unavailable: 'UNAVAILABLE',
  failure: 'INTERNAL_ERROR',
} as const;

/** Network failures of a database or Redis connection: the environment, not the command. */
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
]);

/** An error a command failed with, reduced to what scripts and people need. */
export interface CliFailure {
  exitCode: ExitCode;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  /** Unexpected: print the stack for whoever reports the bug. */
  unexpected: boolean;
}

/**
 * Maps any error a command can end with to its exit code and the `{error: {code, message,
 * details}}` of `--json`. One place, so that the same failure exits the same way everywhere.
 */
export function classify(err: unknown): CliFailure {
  if (err instanceof VitrineError) {
    const exitCode = BY_ERROR_CODE[err.code] ?? EXIT.failure;
    return {
      exitCode,
      code: err.code,
      message: err.message,
      details: err.details,
      unexpected: exitCode === EXIT.failure,
    };
  }
  if (err instanceof CommanderError) {
    // Help asked for (exit 0) or shown because a command was missing (exit 1 in commander).
    const exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return {
      exitCode,
      code: CLI_ERROR_CODES.usage,
      message: err.message.replace(/^error: /, ''),
      unexpected: false,
    };
  }
  if (err instanceof CliUsageError)
    return {
      exitCode: EXIT.usage,
      code: CLI_ERROR_CODES.usage,
      message: err.message,
      unexpected: false,
    };
  if (err instanceof TenantFileError) {
    // Like the admin API: a clash only (slug or domain taken) is a conflict, anything else invalid.
    const conflict = err.problems.length > 0 && err.problems.every((p) => p.code === 'CONFLICT');
    return {
      exitCode: conflict ? EXIT.conflict : EXIT.invalidInput,
      code: conflict ? 'CONFLICT' : CLI_ERROR_CODES.invalidInput,
      message: err.message,
      details: { problems: err.problems },
      unexpected: false,
    };
  }
  if (err instanceof ImportError)
    return err.kind === 'usage'
      ? {
          exitCode: EXIT.usage,
          code: CLI_ERROR_CODES.usage,
          message: err.message,
          unexpected: false,
        }
      : {
          exitCode: EXIT.invalidInput,
          code: CLI_ERROR_CODES.invalidInput,
          message: err.message,
          unexpected: false,
        };
  if (
    err instanceof ConfigError ||
    err instanceof SchemaBehindError ||
    err instanceof DatabaseInUseError
  )
    return {
      exitCode: EXIT.unavailable,
      code: CLI_ERROR_CODES.unavailable,
      message: err.message,
      unexpected: false,
    };
  const sysCode = (err as { code?: unknown } | null)?.code;
  if (typeof sysCode === 'string' && NETWORK_ERRORS.has(sysCode))
    return {
      exitCode: EXIT.unavailable,
      code: CLI_ERROR_CODES.unavailable,
      message: `Cannot reach a service the command needs (${sysCode}): ${(err as Error).message}. Check DATABASE_URL / REDIS_URL.`,
      unexpected: false,
    };
  return {
    exitCode: EXIT.failure,
    code: CLI_ERROR_CODES.failure,
    message: err instanceof Error ? err.message : String(err),
    unexpected: true,
  };
}

/** A command line that does not make sense (flags that do not go together): exit 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}
