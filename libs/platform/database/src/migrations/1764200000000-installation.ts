import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity of this installation (one database). The cache namespaces every key and channel
 * with it, so two installations that share a Redis by mistake — staging and production, two
 * developers, two benchmarks — can never serve each other's cached tenants.
 */
export class Installation1764200000000 implements MigrationInterface {
  name = 'Installation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE installation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO installation DEFAULT VALUES;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE installation`);
  }
}
