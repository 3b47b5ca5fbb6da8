import { returnedRows, TenantDb } from '@vitrine/database';
import { COMPANY_ID_SQL } from '@vitrine/pricing';

/**
 * How many buyers the bench fixture seeds. The bench's `--buyers` flag is bounded by it: every
 * virtual buyer of the order-flow scenario is its own user with its own cart.
 */
export const BENCH_BUYERS = 64;

/**
 * The company the bench buyers belong to: the one with contract prices, because a key-account
 * buyer ordering at contract prices is what checkout does most (PricingSeeder.seedBenchContracts
 * creates it).
 */
export const BENCH_BUYER_COMPANY = 'bench-contract';

/**
 * The id of bench buyer `index` (1-based) of a tenant, as SQL over two expressions: md5(tenant id
 * + '/buyer-' + index) as a uuid. Deterministic so the bench mints access tokens for these users
 * without database access (bench/auth.ts `benchBuyerIdFor`, tested against this SQL).
 */
export function benchBuyerIdSql(tenantIdExpr: string, indexExpr: string): string {
  return `md5(${tenantIdExpr}::uuid::text || '/buyer-' || (${indexExpr})::int::text)::uuid`;
}

/**
 * The order-flow fixture on one tenant (the bench's bench-0001), after the bench companies
 * exist: {@link BENCH_BUYERS} ACTIVE BUYERs of {@link BENCH_BUYER_COMPANY} without a spend limit
 * (their orders are PLACED, not sent for approval) and without a password (they cannot sign in;
 * the bench mints their tokens), a default NL ship-to address for the company, and stock of
 * 1,000,000 for every variant of the tenant's assortment so a long run never hits OUT_OF_STOCK.
 *
 * The stock is the shared catalog's (variants belong to no tenant), so this is only ever run on
 * databases seeded with generated tenants (`--tenants` ≥ 1), i.e. benchmark databases — never by
 * `npm start`'s default demo. Idempotent: a second run changes nothing.
 */
export async function seedBenchBuyers(
  db: TenantDb,
  tenantId: string,
  count = BENCH_BUYERS,
): Promise<{ buyers: number; variants: number }> {
  return db.maintenance(async (em) => {
    const company = COMPANY_ID_SQL; // $1 tenant id, $2 company code
    const buyers: unknown = await em.query(
      `INSERT INTO app_user (id, tenant_id, company_id, email, name, roles, spend_limit_minor, status)
       SELECT ${benchBuyerIdSql('$1', 'i')}, $1, ${company},
              'bench-buyer-' || lpad(i::text, 3, '0') || '@bench.example', 'Bench buyer ' || i,
              ARRAY['BUYER'], NULL, 'ACTIVE'
         FROM generate_series(1, $3::int) AS i
       ON CONFLICT DO NOTHING
       RETURNING 1`,
      [tenantId, BENCH_BUYER_COMPANY, count],
    );
    // A fixed id makes the address idempotent (company_address has no natural key).
    await em.query(
      `INSERT INTO company_address (id, tenant_id, company_id, kind, label, name, street, postal_code,
                                    city, country, is_default)
       VALUES (md5($1::uuid::text || '/bench-ship-to')::uuid, $1, ${company}, 'SHIPPING', 'Bench warehouse',
               'Bench Account 1 / Magazijn', 'Havenweg 1', '3542 AB', 'Utrecht', 'NL', true)
       ON CONFLICT (id) DO NOTHING`,
      [tenantId, BENCH_BUYER_COMPANY],
    );
    const stocked: unknown = await em.query(
      `UPDATE variant v SET stock_on_hand = 1000000
        WHERE v.stock_on_hand < 1000000
          AND v.id IN (SELECT variant_id FROM tenant_variant WHERE tenant_id = $1)
        RETURNING 1`,
      [tenantId],
    );
    return { buyers: returnedRows(buyers).length, variants: returnedRows(stocked).length };
  });
}
