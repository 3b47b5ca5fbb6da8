import type { GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, serviceUnavailable } from './unavailable';
import { VitrineError } from './vitrine-error';

/** Apollo's own codes for requests that never reached a resolver; they are safe to pass on. */
const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** graphql's syntax error for a document over the parser's `maxTokens` ("more that" in graphql 16). */
const TOO_MANY_TOKENS = /Document contains more tha[nt] (\d+) tokens/;

export type ErrorLogger = (error: unknown) => void;

/**
 * Maps any error leaving GraphQL execution to what a client may see: VitrineErrors keep their
 * code, message and details; Apollo's request errors keep theirs; everything else becomes a
 * generic INTERNAL_SERVER_ERROR (logged here, never with a stack trace in the response).
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: ErrorLogger,
): GraphQLFormattedError {
  let original = unwrap(error);
  // The database is down: a retryable 503 (http-status.plugin), not a bug.
  if (!(original instanceof VitrineError) && isDatabaseUnavailable(original))
    original = serviceUnavailable();
  if (original instanceof VitrineError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...(original.details ?? {}) },
    };
  }
  const code = formatted.extensions?.code;
  // graphql's parser gave up at its maxTokens (Apollo's parseOptions): a limit, not a typo.
  const tokens = code === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS.exec(formatted.message);
  if (tokens) {
    const max = Number(tokens[1]);
    return {
      message: `The query document is too long: at most ${max} tokens. Send a shorter query.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max },
    };
  }
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code } };
  }
  log(original);
  return {
    message: 'Something went wrong on our side. Please try again; if it persists, contact support.',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function unwrap(error: unknown): unknown {
  let current = error;
  // GraphQLError wraps resolver errors in `originalError`, sometimes more than once; a thrown value
  // that is not `instanceof Error` (a non-Error, or an Error of another realm such as Node's own
  // socket errors under Jest's VM) is wrapped once more by graphql-js, in a NonErrorThrown that
  // keeps it as `thrownValue`.
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    const wrapper = current as { originalError?: unknown; name?: unknown; thrownValue?: unknown };
    const next =
      wrapper.originalError ??
      (wrapper.name === 'NonErrorThrown' ? wrapper.thrownValue : undefined);
    if (!next) break;
    current = next;
  }
  return current;
}
