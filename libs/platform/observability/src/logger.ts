import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { contextFields, currentLogContext, type LogContext } from './request-context';
import { redactText, redactValue } from './redact';

export type LogFormat = 'json' | 'pretty';

export interface LoggerSettings {
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  level: string;
  /** `json` (default: one JSON object a line) or `pretty` (development, for people). */
  format?: LogFormat;
  /** Which process writes (`api`, `worker`): a field of every line. */
  service: string;
  /** Where lines go (default stdout). Tests capture them here. */
  destination?: DestinationStream;
}

/** The request context a request's child logger carries (set by {@link requestChildLogger}). */
const OWN_CONTEXT = Symbol('vitrine.logContext');
type WithContext = Logger & { [OWN_CONTEXT]?: LogContext };

/**
 * The process's pino logger. Every line carries `reqId`, `tenant` and `user` of the unit of
 * work it was written in (AsyncLocalStorage, or the request's own child logger) and passes
 * through the redaction of ./redact.ts.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { service: settings.service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactValue(obj) as Record<string, unknown>,
    },
    serializers: {
      err: (err: Error) => redactValue(pino.stdSerializers.err(err)),
      error: (err: Error) =>
        err instanceof Error ? redactValue(pino.stdSerializers.err(err)) : redactValue(err),
    },
    hooks: {
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++)
          if (typeof args[i] === 'string') args[i] = redactText(args[i] as string);
        return method.apply(this, args);
      },
    },
    mixin: (_obj, _level, logger) => {
      const own = (logger as WithContext)[OWN_CONTEXT];
      // A request's child logger has its reqId bound already: add who, not the id again.
      return own ? contextFields(own, false) : contextFields(currentLogContext());
    },
  };
  const destination =
    settings.destination ?? (settings.format === 'pretty' ? prettyStdout() : pino.destination(1));
  return pino(options, destination);
}

/**
 * Fastify's `childLoggerFactory`: the request's logger carries the request's LogContext, so
 * lines written through `req.log` outside the async context (e.g. when the response finished)
 * still say whose request it was.
 */
export function requestChildLogger(
  contexts: WeakMap<IncomingMessage, LogContext>,
): <L extends { child(bindings: object, opts?: object): L }>(
  logger: L,
  bindings: Record<string, unknown>,
  opts: object,
  raw: IncomingMessage,
) => L {
  return (logger, bindings, opts, raw) => {
    const child = logger.child(bindings, opts) as typeof logger & { [OWN_CONTEXT]?: LogContext };
    const ctx: LogContext = { reqId: String(bindings.reqId) };
    contexts.set(raw, ctx);
    child[OWN_CONTEXT] = ctx;
    return child;
  };
}

/** Nest's LoggerService over pino: `new Logger('Ctx')` everywhere writes JSON lines with `context`. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
    mayHaveStack = false,
  ): void {
    if (!this.logger.isLevelEnabled(level)) return;
    // Nest appends the Logger's context as the last string parameter.
    const rest = [...params];
    const context =
      rest.length > 0 && typeof rest[rest.length - 1] === 'string'
        ? (rest.pop() as string)
        : undefined;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    // error(message, stack, context): a stack trace as the first extra parameter.
    if (mayHaveStack && typeof rest[0] === 'string' && /\n\s+at /.test(rest[0])) {
      fields.stack = rest.shift();
    }
    if (rest.length === 1) fields.detail = rest[0];
    else if (rest.length > 1) fields.detail = rest;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}

const LEVEL_COLOUR: Record<string, string> = {
  fatal: '\x1b[41m',
  error: '\x1b[31m',
  warn: '\x1b[33m',
  info: '\x1b[32m',
  debug: '\x1b[36m',
  trace: '\x1b[90m',
};

/** One JSON line → `12:00:01.234 INFO [Context] message  key=value …` for a person. */
export function prettyLine(line: string, colour = false): string {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, context, service: _s, pid: _p, err, stack, ...rest } = obj;
  const t = typeof time === 'string' ? time.slice(11, 23) : '';
  const lvl = String(level ?? '').toUpperCase().padEnd(5);
  const head = colour ? `${LEVEL_COLOUR[String(level)] ?? ''}${lvl}\x1b[0m` : lvl;
  const extras = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const errText =
    err && typeof err === 'object' ? `\n${String((err as { stack?: string }).stack ?? '')}` : '';
  const stackText = typeof stack === 'string' ? `\n${stack}` : '';
  return `${t} ${head} ${context ? `[${String(context)}] ` : ''}${String(msg ?? '')}${extras ? `  ${extras}` : ''}${errText}${stackText}\n`;
}

function prettyStdout(): DestinationStream {
  const colour = Boolean(process.stdout.isTTY);
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) process.stdout.write(prettyLine(line, colour));
    },
  };
}
