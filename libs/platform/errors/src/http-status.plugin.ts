import type { ApolloServerPlugin } from '@apollo/server';
import { httpStatusFor } from './error-codes';

/**
 * GraphQL answers 200 even when a request failed as a whole. When the request produced no data
 * and its errors are the client's fault (bad input, not found, tenant refused…), answer with the
 * matching 4xx instead, so proxies, logs and clients see a failed request for what it is.
 * Partial results (some data, some field errors) stay 200, as GraphQL intends.
 */
export const httpStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { errors, data } = response.body.singleResult;
        if (!errors?.length) return;
        // Rate limits say when to come back, in the header clients and proxies honour.
        const retryAfter = errors
          .map((e) => e.extensions?.retryAfterSeconds)
          .find((v): v is number => typeof v === 'number');
        if (retryAfter !== undefined) response.http.headers.set('retry-after', String(retryAfter));
        if (data && Object.values(data).some((v) => v !== null)) return;
        const statuses = errors.map((e) =>
          httpStatusFor(String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')),
        );
        if (statuses.every((s) => s >= 400 && s < 500)) response.http.status = statuses[0];
        else if (statuses.every((s) => s === 503)) response.http.status = 503;
      },
    };
  },
};
