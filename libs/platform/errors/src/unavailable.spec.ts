import type { GraphQLFormattedError } from 'graphql';
import { formatGraphQLError } from './format-graphql-error';
import { isDatabaseUnavailable } from './unavailable';

describe('isDatabaseUnavailable', () => {
  it('recognizes a database that cannot be reached, and nothing else', () => {
    const coded = (code: string) => Object.assign(new Error('x'), { code });
    for (const err of [
      coded('ECONNREFUSED'),
      coded('08006'),
      coded('57P01'),
      coded('57P03'),
      coded('53300'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('query failed'), { driverError: coded('ECONNRESET') }),
      Object.assign(new Error('lost'), { code: '08006', cause: new Error('released') }),
    ])
      expect([err.message, isDatabaseUnavailable(err)]).toEqual([err.message, true]);
    for (const err of [coded('23505'), coded('42P01'), new Error('boom'), null, 'text'])
      expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('turns it into SERVICE_UNAVAILABLE with retryAfterSeconds for GraphQL, without logging it as a bug', () => {
    const log = jest.fn();
    const formatted: GraphQLFormattedError = { message: 'x', path: ['products'] };
    const out = formatGraphQLError(
      formatted,
      Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
      log,
    );
    expect(out.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(log).not.toHaveBeenCalled();
  });
});
