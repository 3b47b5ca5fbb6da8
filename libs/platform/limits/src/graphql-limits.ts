import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { VitrineError } from '@vitrine/errors';

/** The GraphQL limits of both endpoints (config `graphql`, docs/security.md). */
export interface GraphQLLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  /** Introspection allowed; off also hides field suggestions ("Did you mean …"). */
  introspection: boolean;
}

export type GraphQLLimit = 'depth' | 'cost' | 'aliases' | 'tokens';

/** QUERY_TOO_COMPLEX with the limit, its maximum and (when known) what the document has. */
export function queryTooComplex(limit: GraphQLLimit, max: number, actual?: number): VitrineError {
  const found = actual === undefined ? '' : ` (this one: ${actual})`;
  const what: Record<GraphQLLimit, string> = {
    depth: `The query is nested too deeply: at most ${max} levels${found}. Ask for less at once.`,
    cost: `The query asks for too much at once: its cost may be at most ${max}${found}. Lower \`first\` or select fewer fields, and page with \`after\`.`,
    aliases: `The query uses too many aliases: at most ${max}${found}.`,
    tokens: `The query document is too long: at most ${max} tokens. Send a shorter query.`,
  };
  return new VitrineError('QUERY_TOO_COMPLEX', what[limit], {
    limit,
    max,
    ...(actual === undefined ? {} : { actual }),
  });
}

/** A GraphQL error carrying the VitrineError, so formatGraphQLError keeps its code and details. */
function reported(error: VitrineError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error });
}

/** graphql-armor's rejection message ends with "found N.": the count it found. */
function foundIn(message: string): number | undefined {
  const m = /found (\d+)\.?$/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/**
 * Depth and aliases as validation rules (graphql-armor): they depend on the document only, so
 * Apollo's cache of validated documents can skip them for a document seen before.
 */
export function limitValidationRules(limits: GraphQLLimits): ValidationRule[] {
  const onReject =
    (limit: GraphQLLimit, max: number) => (ctx: ValidationContext | null, err: GraphQLError) =>
      ctx?.reportError(reported(queryTooComplex(limit, max, foundIn(err.message))));
  return [
    maxDepthRule({
      n: limits.maxDepth,
      // Introspection (development only) is deep by nature and costs no resolver of ours.
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [onReject('depth', limits.maxDepth)],
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [onReject('aliases', limits.maxAliases)],
    }),
  ] as ValidationRule[];
}

/**
 * Cost of a field: 1 plus the cost of its selection, multiplied by the size it asks for — the
 * number in `first`/`last`, or the length of a list argument (`skus: [...]`) — so nested pages
 * multiply. Defaults of `first` in the schema count, so `products { … }` costs like
 * `products(first: 20) { … }`.
 */
export const listMultiplyingEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  let size = 1;
  for (const [name, value] of Object.entries(args)) {
    if ((name === 'first' || name === 'last') && typeof value === 'number')
      size = Math.max(size, value);
    else if (Array.isArray(value)) size = Math.max(size, value.length);
  }
  return 1 + size * childComplexity;
};

/**
 * Refuses an operation whose cost is over `maxCost` once the operation and its variables are
 * known (a `first: $n` counts with its value), before execution. An operation whose variables
 * do not even coerce is left to execution, which reports that error.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators: [listMultiplyingEstimator],
            });
          } catch (err) {
            // graphql-query-complexity refuses documents of more than 10,000 nodes itself.
            if (err instanceof GraphQLError && /maximum number of nodes/i.test(err.message))
              throw queryTooComplex('cost', maxCost);
            return;
          }
          if (cost > maxCost) throw queryTooComplex('cost', maxCost, cost);
        },
      };
    },
  };
}

/**
 * The parts of one Apollo configuration that enforce the limits: spread them into the driver
 * options of each endpoint and add {@link costLimitPlugin} to its plugins.
 */
export function graphqlLimitOptions(limits: GraphQLLimits): {
  introspection: boolean;
  hideSchemaDetailsFromClientErrors: boolean;
  allowBatchedHttpRequests: false;
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
} {
  return {
    introspection: limits.introspection,
    // No "Did you mean …?" where the schema is not to be explored.
    hideSchemaDetailsFromClientErrors: !limits.introspection,
    // Array bodies are refused before Apollo (refuseBatchedOperations) with BATCHING_NOT_ALLOWED.
    allowBatchedHttpRequests: false,
    // graphql's parser stops counting at maxTokens: a huge document costs no more than that.
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitValidationRules(limits),
  };
}
