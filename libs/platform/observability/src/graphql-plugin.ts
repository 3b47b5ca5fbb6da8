import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { VitrineError } from '@vitrine/errors';
import { errorCodeLabel, LabelBudget } from './labels';
import { errorsTotal } from './metrics';
import { currentLogContext } from './request-context';

const codes = new LabelBudget(60, 'OTHER');

/** The code a client sees for an error: a VitrineError's, else Apollo's extensions.code. */
export function graphqlErrorCode(error: GraphQLError): string {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof VitrineError) return current.code;
    current = (current as { originalError?: unknown }).originalError;
  }
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo plugin: tells the request's log context (and so the HTTP metrics) which operation type
 * ran, and counts errors by code in `vitrine_errors_total{source="graphql"}`.
 */
export const graphqlObservabilityPlugin: ApolloServerPlugin = {
  requestDidStart() {
    return Promise.resolve({
      didResolveOperation({ operation }) {
        const ctx = currentLogContext();
        if (ctx && operation) ctx.operation = operation.operation;
        return Promise.resolve();
      },
      didEncounterErrors({ errors }) {
        for (const error of errors)
          errorsTotal.inc({ source: 'graphql', code: errorCodeLabel(graphqlErrorCode(error), codes) });
        return Promise.resolve();
      },
    });
  },
};
