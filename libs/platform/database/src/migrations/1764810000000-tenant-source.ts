import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `tenant.source`: the tenant as declared (tenant.yaml after validation and defaults), written by
 * every provisioning path (`tenants sync`, the admin API, `vitrine tenant create`). It is what
 * `vitrine tenants export` writes back and what an admin API update is merged over, so the
 * folder and the database round-trip. Its own column, not part of `settings`: every instance
 * holds each tenant's settings in memory, and the declaration (users, addresses) is not needed
 * to serve a request.
 */
export class TenantSource1764810000000 implements MigrationInterface {
  name = 'TenantSource1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant ADD COLUMN source jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenant DROP COLUMN source`);
  }
}
