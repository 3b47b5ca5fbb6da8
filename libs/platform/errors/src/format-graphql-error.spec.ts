import { runInNewContext } from 'node:vm';
import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { formatGraphQLError } from './format-graphql-error';
import { VitrineError } from './vitrine-error';

describe('formatGraphQLError', () => {
  it('keeps the code, message and details of a VitrineError wrapped by GraphQL', () => {
    const original = VitrineError.badInput('first must be between 0 and 100.', {
      argument: 'first',
    });
    const wrapped = new GraphQLError('x', { originalError: original, path: ['products'] });
    const log = jest.fn();
    const out = formatGraphQLError({ message: 'x', path: ['products'] }, wrapped, log);
    expect(out).toEqual({
      message: 'first must be between 0 and 100.',
      locations: undefined,
      path: ['products'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    expect(log).not.toHaveBeenCalled();
  });

  it('hides unexpected errors behind INTERNAL_SERVER_ERROR and logs them', () => {
    const boom = new Error('connection string postgres://secret@db failed');
    const log = jest.fn();
    const out = formatGraphQLError(
      {
        message: boom.message,
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] },
      },
      new GraphQLError(boom.message, { originalError: boom }),
      log,
    );
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(out.message).not.toContain('secret');
    expect(JSON.stringify(out)).not.toContain('stacktrace');
    expect(log).toHaveBeenCalledWith(boom);
  });

  it('passes validation errors of Apollo through without a stack trace', () => {
    const out = formatGraphQLError(
      {
        message: 'Cannot query field "nope"',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['a'] },
      },
      new GraphQLError('Cannot query field "nope"'),
      jest.fn(),
    );
    expect(out.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it("maps a database socket error of another realm (Node's `net` under Jest) to SERVICE_UNAVAILABLE", async () => {
    // graphql-js wraps a thrown value that is not `instanceof Error` of its realm in NonErrorThrown.
    const refused: unknown = runInNewContext(
      `Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })`,
    );
    expect(refused instanceof Error).toBe(false);
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: {
          cart: {
            type: GraphQLString,
            resolve: () => {
              throw refused;
            },
          },
        },
      }),
    });
    const [error] = (await graphql({ schema, source: '{ cart }' })).errors ?? [];
    const log = jest.fn();
    const out = formatGraphQLError(error.toJSON(), error, log);
    expect(out.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(out.path).toEqual(['cart']);
    expect(log).not.toHaveBeenCalled();
  });
});
