import { ErrorCode, httpStatusFor } from './error-codes';

/** Parameters of a message: names to values (amounts in minor units with a `currency` beside them). */
export type MessageParams = Record<string, string | number>;

/**
 * A message a person reads, by a stable key and its parameters, so a page can say it in its own
 * language; the English text travels beside it (the error's message, a line's reason).
 */
export interface MessageRef {
  key: string;
  params: MessageParams;
}

/**
 * The one error type of the platform: an expected failure with a code a client can branch on
 * and a message a person can act on. Anything else that escapes a resolver is treated as a bug
 * and reported as INTERNAL_SERVER_ERROR without details.
 */
export class VitrineError extends Error {
  readonly httpStatus: number;
  /**
   * The message by key, for pages that speak another language than the API's English. Kept out
   * of `details` on purpose: details go to GraphQL clients, which keep the English message.
   */
  messageRef?: MessageRef;

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

  /** An error whose English `message` also has a key and parameters for localized pages. */
  static withMessage(
    code: ErrorCode,
    key: string,
    params: MessageParams,
    english: string,
    details?: Record<string, unknown>,
  ): VitrineError {
    const error = new VitrineError(code, english, details);
    error.messageRef = { key, params };
    return error;
  }

  static notFound(message: string, details?: Record<string, unknown>): VitrineError {
    return new VitrineError('NOT_FOUND', message, details);
  }
}

/** The JSON body of an error answered outside GraphQL execution (tenant resolution, body parsing). */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
