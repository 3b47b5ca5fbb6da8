import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * The pricing engine's model (ARCHITECTURE.md, "Prices"):
 *
 * - `company`: the buying organisation of a key account, owned by a tenant. Accounts, addresses
 *   and credit come with the accounts issue; pricing needs its identity, country and VAT id.
 * - `contract_price`: a company's own prices per variant, with quantity tiers and validity.
 *   Tenant-owned (row-level security) and keyed for upserts by
 *   (tenant, company, variant, tier, valid_from).
 * - Validity is a half-open interval [valid_from, valid_until) of instants. An open end is
 *   stored as ±infinity rather than NULL so that it can be part of a key and compared without
 *   special cases; price-list entries are converted to the same convention.
 * - `price_list` gets a validity of its own (the whole list), `variant` a tax category, and
 *   `tenant` the time zone in which dates such as "valid from 2027-01-01" begin at midnight.
 */
export class Pricing1764300000000 implements MigrationInterface {
  name = 'Pricing1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The key that signs access tokens when AUTH_TOKEN_SECRET is not configured: random per
      -- installation, shared by every instance on this database (two v4 UUIDs: 244 random bits).
      ALTER TABLE installation ADD COLUMN token_secret text NOT NULL
        DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
      ALTER TABLE tenant ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Amsterdam';
      ALTER TABLE variant ADD COLUMN tax_category text NOT NULL DEFAULT 'standard'
        CHECK (tax_category IN ('standard', 'reduced', 'zero'));

      ALTER TABLE price_list
        ADD COLUMN valid_from timestamptz NOT NULL DEFAULT '-infinity',
        ADD COLUMN valid_until timestamptz NOT NULL DEFAULT 'infinity',
        ADD CONSTRAINT price_list_validity CHECK (valid_until > valid_from);

      UPDATE price_list_entry SET valid_from = '-infinity' WHERE valid_from IS NULL;
      UPDATE price_list_entry SET valid_until = 'infinity' WHERE valid_until IS NULL;
      ALTER TABLE price_list_entry
        ALTER COLUMN valid_from SET DEFAULT '-infinity', ALTER COLUMN valid_from SET NOT NULL,
        ALTER COLUMN valid_until SET DEFAULT 'infinity', ALTER COLUMN valid_until SET NOT NULL,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
      DROP INDEX price_list_entry_lookup_idx;
      CREATE UNIQUE INDEX price_list_entry_key ON price_list_entry (price_list_id, variant_id, min_quantity, valid_from);

      CREATE TABLE company (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
        name text NOT NULL,
        vat_id text CHECK (vat_id ~ '^[A-Z]{2}[0-9A-Z+*.]{2,12}$'),
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, code),
        UNIQUE (tenant_id, id)
      );

      CREATE TABLE contract_price (
        tenant_id uuid NOT NULL,
        company_id uuid NOT NULL,
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
        valid_from timestamptz NOT NULL DEFAULT '-infinity',
        valid_until timestamptz NOT NULL DEFAULT 'infinity',
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, company_id, variant_id, min_quantity, valid_from),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE,
        CHECK (valid_until > valid_from)
      );
      CREATE INDEX contract_price_variant_idx ON contract_price (variant_id);
    `);
    // tenant_price_list now also admits maintenance: a price-list change must find the tenants
    // that use the list to bump their versions.
    await q.query(`DROP POLICY tenant_isolation ON tenant_price_list`);
    for (const table of ['company', 'contract_price', 'tenant_price_list']) {
      await q.query(tenantIsolationSql(table));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP POLICY tenant_isolation ON tenant_price_list;
      CREATE POLICY tenant_isolation ON tenant_price_list
        USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
        WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
      DROP TABLE contract_price, company;
      DROP INDEX price_list_entry_key;
      ALTER TABLE price_list_entry DROP COLUMN updated_at,
        ALTER COLUMN valid_from DROP NOT NULL, ALTER COLUMN valid_from DROP DEFAULT,
        ALTER COLUMN valid_until DROP NOT NULL, ALTER COLUMN valid_until DROP DEFAULT;
      UPDATE price_list_entry SET valid_from = NULL WHERE valid_from = '-infinity';
      UPDATE price_list_entry SET valid_until = NULL WHERE valid_until = 'infinity';
      CREATE INDEX price_list_entry_lookup_idx ON price_list_entry (price_list_id, variant_id, min_quantity);
      ALTER TABLE price_list DROP COLUMN valid_from, DROP COLUMN valid_until;
      ALTER TABLE variant DROP COLUMN tax_category;
      ALTER TABLE tenant DROP COLUMN time_zone;
      ALTER TABLE installation DROP COLUMN token_secret;
    `);
  }
}
