import type { LoggerService } from '@nestjs/common';
import pc from 'picocolors';
import type { Colors } from 'picocolors/types';
import { classify, EXIT, type ExitCode } from './exit-codes';

/** Where the CLI writes and the environment that decides its colours (injected for tests). */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** NO_COLOR, FORCE_COLOR and TERM only: the rest of the configuration goes through loadConfig. */
  env: Record<string, string | undefined>;
}

export const processIO = (env: Record<string, string | undefined> = {}): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env,
});

/**
 * Colour on a stream: never when NO_COLOR is set (and not empty); always when FORCE_COLOR is
 * set to anything but 0/false; otherwise only on a terminal that is not TERM=dumb.
 */
export function colourEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** A plan's or an import's action, coloured the same everywhere. */
export type Action = 'create' | 'update' | 'unchanged' | 'delete';

/**
 * The output of one command run. With `--json` stdout carries exactly one JSON document (the
 * result, or `{error: {code, message, details}}`) and nothing else; people's text goes to
 * stdout otherwise, and progress, notes, warnings and errors always go to stderr.
 */
export class Output {
  /** Colours for stdout and stderr (each decided for its own stream). */
  readonly c: Colors;
  readonly ce: Colors;

  constructor(
    readonly io: CliIO,
    readonly json: boolean,
  ) {
    this.c = pc.createColors(!json && colourEnabled(io.stdout, io.env));
    this.ce = pc.createColors(colourEnabled(io.stderr, io.env));
  }

  /** Whether progress bars may be drawn: stderr is a terminal and the output is not JSON. */
  get interactive(): boolean {
    return !this.json && Boolean(this.io.stderr.isTTY);
  }

  /** The command's result: `value` as JSON, or what `human` prints. */
  result<T>(value: T, human: (value: T) => void): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human(value);
  }

  /** A line for people on stdout (never written with --json). */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** A note on stderr (progress, hints): not part of the result. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${this.ce.yellow(`warning: ${text}`)}\n`);
  }

  action(action: string, width = 9): string {
    const padded = action.padEnd(width);
    switch (action as Action) {
      case 'create':
        return this.c.green(padded);
      case 'update':
        return this.c.yellow(padded);
      case 'delete':
        return this.c.red(padded);
      case 'unchanged':
        return this.c.dim(padded);
      default:
        return padded;
    }
  }

  /** A tenant status, coloured by what it means for the site. */
  status(status: string, width = 9): string {
    const padded = status.padEnd(width);
    if (status === 'ACTIVE') return this.c.green(padded);
    if (status === 'SUSPENDED') return this.c.yellow(padded);
    if (status === 'ARCHIVED') return this.c.dim(padded);
    return this.c.cyan(padded);
  }

  /**
   * Reports a failure (red on stderr; with --json also the error document on stdout) and
   * returns the exit code from the one table. Unexpected errors print their stack.
   */
  fail(err: unknown): ExitCode {
    const f = classify(err);
    if (f.exitCode === EXIT.ok) return f.exitCode;
    if (this.json)
      this.io.stdout.write(
        `${JSON.stringify({ error: { code: f.code, message: f.message, details: f.details ?? {} } }, null, 2)}\n`,
      );
    const problems = (f.details?.problems ?? []) as Array<{
      path?: string;
      message?: string;
      file?: string;
    }>;
    // The problems get a line each: a message that already lists them is cut before the list.
    const first = problems[0]
      ? `${problems[0].path ? `${problems[0].path}: ` : ''}${problems[0].message}`
      : '';
    const listed = first ? f.message.indexOf(first) : -1;
    const head =
      problems.length && !f.message.includes('\n')
        ? `${(listed > 0 ? f.message.slice(0, listed) : f.message).replace(/[\s.:;]+$/, '')}:`
        : f.message;
    const lines = [this.ce.red(`${this.ce.bold(f.code)}: ${head}`)];
    if (!f.message.includes('\n'))
      for (const p of problems)
        lines.push(`  ${p.path ? `${this.ce.bold(p.path)}: ` : ''}${p.message ?? ''}`);
    if (f.unexpected && err instanceof Error && err.stack)
      lines.push(this.ce.dim(err.stack.split('\n').slice(1).join('\n')));
    this.io.stderr.write(`${lines.join('\n')}\n`);
    return f.exitCode;
  }
}

const LEVELS = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * The Nest logger of a CLI run: service warnings and errors on stderr (never stdout, which may
 * carry JSON), coloured on a terminal; LOG_LEVEL=silent|fatal|error hides them, debug shows
 * informational lines too. `onLog` sees every informational line (progress counts them).
 */
export class CliLogger implements LoggerService {
  onLog: ((context: string, message: string) => void) | null = null;
  /** Contexts whose warnings the command prints itself (the tenant sync's plan warnings). */
  readonly quietWarnings = new Set<string>();

  constructor(
    private readonly out: Output,
    private readonly level: string,
  ) {}

  private shows(level: string): boolean {
    return LEVELS.indexOf(this.level) >= LEVELS.indexOf(level);
  }

  private write(colour: (s: string) => string, message: unknown, params: unknown[]): void {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : '';
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    this.out.io.stderr.write(`${colour(`${context ? `[${context}] ` : ''}${text}`)}\n`);
  }

  log(message: unknown, ...params: unknown[]): void {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : '';
    this.onLog?.(context, String(message));
    if (this.shows('debug')) this.write(this.out.ce.dim, message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : '';
    if (this.quietWarnings.has(context) || !this.shows('warn')) return;
    this.write(this.out.ce.yellow, message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest's start-up failures are thrown to the command too, which reports them once.
    if (params.at(-1) === 'ExceptionHandler') return;
    if (this.shows('error')) this.write(this.out.ce.red, message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    if (this.shows('fatal')) this.write(this.out.ce.red, message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    if (this.shows('debug')) this.write(this.out.ce.dim, message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    if (this.shows('trace')) this.write(this.out.ce.dim, message, params);
  }
}
