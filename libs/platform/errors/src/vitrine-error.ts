import { ErrorCode, httpStatusFor } from './error-codes';

/**
 * The one error type of the platform: an expected failure with a code a client can branch on
 * and a message a person can act on. Anything else that escapes a resolver is treated as a bug
 * and reported as INTERNAL_SERVER_ERROR without details.
 */
export class VitrineError extends Error {
  readonly httpStatus: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe, structured details for the client (never secrets, never stack traces). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'VitrineError';
    this.httpStatus = httpStatusFor(code);
  }

  static badInput(message: string, details?: Record<string, unknown>): VitrineError {
    return new VitrineError('BAD_USER_INPUT', message, details);
  }

  static notFound(message: string, details?: Record<string, unknown>): VitrineError {
    return new VitrineError('NOT_FOUND', message, details);
  }
}

/** The JSON body of an error answered outside GraphQL execution (tenant resolution, body parsing). */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
