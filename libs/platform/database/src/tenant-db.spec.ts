import {
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
  type DataSource,
  type EntityManager,
} from 'typeorm';
import { connectionLost, TenantDb } from './tenant-db';

/** A DataSource whose query runner runs the unit, then fails as TypeORM does at COMMIT. */
function failingAtCommit(error: Error): DataSource {
  const qr = {
    isTransactionActive: false,
    isReleased: false,
    manager: {} as EntityManager,
    query: jest.fn(async (sql: string) => {
      if (sql === 'COMMIT') throw error;
      return [];
    }),
    release: jest.fn(async () => undefined),
  };
  return { createQueryRunner: () => qr } as unknown as DataSource;
}

describe('TenantDb: a connection lost inside a unit of work', () => {
  it('turns TypeORM\'s "query runner already released" into SQLSTATE 08006 (retryable)', async () => {
    // The server terminated the connection; TypeORM released the runner, and the COMMIT failed.
    const released = new QueryRunnerAlreadyReleasedError();
    const db = new TenantDb(failingAtCommit(released));
    const err = (await db.run({ tenantId: 't' }, async () => 1).catch((e: unknown) => e)) as {
      code?: string;
      cause?: unknown;
    };
    expect(err.code).toBe('08006');
    expect(err.cause).toBe(released);
    expect(connectionLost(new QueryRunnerProviderAlreadyReleasedError())).toMatchObject({
      code: '08006',
    });
  });

  it('passes every other error through unchanged', async () => {
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    const db = new TenantDb(failingAtCommit(unique));
    await expect(db.maintenance(async () => 1)).rejects.toBe(unique);
    expect(connectionLost(new Error('boom'))).toBeNull();
  });
});
