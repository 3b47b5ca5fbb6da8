import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the admin KPIs (`tenantKpis`), which read one tenant's orders and quotes by a
 * period. The existing order index leads with the company (a buyer's history), so a period of
 * one tenant scanned every order of that tenant; quotes had no index on the offer time at all.
 * Both ranges are now index range scans (EXPLAIN in docs/admin-api.md, "KPIs").
 */
export class KpiIndexes1764900000000 implements MigrationInterface {
  name = 'KpiIndexes1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX customer_order_created_idx ON customer_order (tenant_id, created_at);
      CREATE INDEX quote_offered_idx ON quote (tenant_id, offered_at) WHERE offered_at IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX quote_offered_idx; DROP INDEX customer_order_created_idx;`);
  }
}
