import { PGlite } from '@electric-sql/pglite';
import {
  BENCH_BUYER_COMPANY,
  BENCH_BUYERS as SEEDED_BUYERS,
  benchBuyerIdSql,
} from '@vitrine/admin';
import { COMPANY_ID_SQL } from '@vitrine/pricing';
import { benchBuyerIdFor, companyIdFor } from './auth';
import { BENCH_BUYERS } from './flags';
import { ORDER_FLOW_COMPANY } from './order-flow';

const TENANT = '3f1c2a4e-9b7d-4c1e-8a2f-5d6e7f809a1b';

// The bench mints tokens for users and companies the seed created: the ids it derives in
// JavaScript must be the ones PostgreSQL computes from the seed's own SQL.
describe('bench ids against the seed SQL', () => {
  let pg: PGlite;

  beforeAll(async () => {
    pg = new PGlite();
    await pg.waitReady;
  });

  afterAll(async () => {
    await pg.close();
  });

  it('derives bench buyer ids as benchBuyerIdSql does', async () => {
    const { rows } = await pg.query<{ i: number; id: string }>(
      `SELECT i, ${benchBuyerIdSql('$1', 'i')} AS id FROM generate_series(1, 20) AS i ORDER BY i`,
      [TENANT],
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) expect(benchBuyerIdFor(TENANT, r.i)).toBe(r.id);
  });

  it('derives company ids as COMPANY_ID_SQL does', async () => {
    const { rows } = await pg.query<{ id: string }>(`SELECT ${COMPANY_ID_SQL} AS id`, [
      TENANT,
      'bench-contract',
    ]);
    expect(companyIdFor(TENANT, 'bench-contract')).toBe(rows[0].id);
  });

  it('bounds --buyers by the buyers the seed creates, in the company it creates them in', () => {
    expect(BENCH_BUYERS).toBe(SEEDED_BUYERS);
    expect(ORDER_FLOW_COMPANY).toBe(BENCH_BUYER_COMPANY);
  });

  it('refuses buyer indexes the seed never creates', () => {
    expect(() => benchBuyerIdFor(TENANT, 0)).toThrow(RangeError);
    expect(() => benchBuyerIdFor(TENANT, 1.5)).toThrow(RangeError);
    expect(benchBuyerIdFor(TENANT, 1)).not.toBe(benchBuyerIdFor(TENANT, 2));
  });
});
