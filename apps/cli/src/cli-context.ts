import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, InvalidArgumentError } from 'commander';
import type { AppConfig } from '@vitrine/config';
import { createDataSource, ensureSchema } from '@vitrine/database';
import { CliModule } from './cli.module';
import { CliLogger, Output, type CliIO } from './output';

/** What every command needs: the configuration, where to write, the services, the exit code. */
export interface Cli {
  readonly io: CliIO;
  /** Read lazily: `--help` works without a valid configuration. */
  config(): AppConfig;
  /** The process's exit code: set by the action that failed (or by an import with rejects). */
  exitCode: number;
}

/**
 * The platform's services (the API's modules without HTTP) for the duration of `fn`, logging
 * through the CLI's logger: stderr only, so that stdout stays a clean JSON document.
 * `quiet`: logger contexts whose warnings the command prints itself.
 */
export async function withServices<T>(
  c: AppConfig,
  out: Output,
  fn: (app: INestApplicationContext) => Promise<T>,
  quiet: string[] = [],
): Promise<T> {
  const logger = new CliLogger(out, c.logLevel);
  for (const context of quiet) logger.quietWarnings.add(context);
  // abortOnError off: a failing start (database unreachable) is thrown to the command, which
  // reports it with its exit code, instead of Nest ending the process.
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(c), {
    logger,
    abortOnError: false,
  });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** The embedded database belongs to this checkout: bring it up to date like the API does. */
export async function migrateEmbedded(c: AppConfig): Promise<void> {
  if (c.database.kind !== 'pglite') return;
  const ds = await createDataSource(c.database);
  try {
    await ensureSchema(ds, c.database, true);
  } finally {
    await ds.destroy();
  }
}

/** `--json` on a command: one JSON document on stdout, the error object on failure. */
export function jsonOption(cmd: Command): Command {
  return cmd.option('--json', 'one JSON document on stdout; {"error": {…}} on failure');
}

/** Examples under a command's `--help`. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

/**
 * A command's action: gets the run's Output (JSON or not, from `--json`) before its arguments;
 * whatever it throws is reported once (red on stderr, the error document with --json) and
 * becomes the exit code of the one table (exit-codes.ts).
 */
export function act<A extends unknown[]>(
  cli: Cli,
  fn: (out: Output, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const cmd = args[args.length - 1] as Command;
    const out = new Output(cli.io, Boolean(cmd.opts().json));
    try {
      await fn(out, ...args);
    } catch (err) {
      cli.exitCode = out.fail(err);
    }
  };
}

export function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/** Values of a repeatable option that may also be comma-separated. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
