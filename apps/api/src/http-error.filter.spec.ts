import type { ArgumentsHost } from '@nestjs/common';
import { runInNewContext } from 'node:vm';
import { HttpErrorFilter } from './http-error.filter';

/** A connection refused by PostgreSQL as node-postgres reports it: an Error of Node's realm. */
const refused = (): unknown =>
  runInNewContext(
    `Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })`,
  );

function httpHost(reply: Record<string, jest.Mock>): ArgumentsHost {
  return {
    getType: () => 'http',
    switchToHttp: () => ({
      getResponse: () => reply,
      getRequest: () => ({ method: 'GET', url: '/healthz' }),
    }),
  } as unknown as ArgumentsHost;
}

describe('HttpErrorFilter', () => {
  it('rethrows in a GraphQL context instead of returning the error as the resolver result', () => {
    // Nest makes a filter's return value the resolver's result: a returned socket error that is
    // not `instanceof Error` of graphql's realm became data (200 with a null field) while the
    // database was down.
    const filter = new HttpErrorFilter(1024);
    const error = refused();
    const host = { getType: () => 'graphql' } as unknown as ArgumentsHost;
    let thrown: unknown;
    try {
      filter.catch(error, host);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBe(error);
  });

  it('answers 503 with Retry-After on a plain route when the database is unreachable', () => {
    const reply: Record<string, jest.Mock> = {};
    for (const m of ['code', 'header', 'send']) reply[m] = jest.fn(() => reply);
    new HttpErrorFilter(1024).catch(refused(), httpHost(reply));
    expect(reply.code).toHaveBeenCalledWith(503);
    expect(reply.header).toHaveBeenCalledWith('retry-after', '5');
    expect(JSON.parse(String(reply.send.mock.calls[0][0]))).toMatchObject({
      errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
  });
});
