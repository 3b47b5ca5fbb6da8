import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: tenancy, the seller's master catalog, the materialized per-tenant
 * assortment, and list prices / price lists.
 *
 * Tenant-owned tables (tenant_product, tenant_variant, tenant_price_list) carry tenant_id
 * first in every key and have row-level security FORCEd, filtered on the per-transaction
 * setting app.tenant_id: a query that forgets its tenant filter sees nothing. The seller's
 * master data (category, product, variant, list_price, price_list) belongs to no tenant.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'SUSPENDED', 'ARCHIVED')),
        locales text[] NOT NULL CHECK (cardinality(locales) > 0),
        currency char(3) NOT NULL,
        public_browsing boolean NOT NULL DEFAULT false,
        show_list_prices boolean NOT NULL DEFAULT true,
        theme jsonb NOT NULL DEFAULT '{}',
        settings jsonb NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE tenant_domain (
        domain text PRIMARY KEY CHECK (domain = lower(domain)),
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        is_primary boolean NOT NULL DEFAULT false
      );
      CREATE INDEX tenant_domain_tenant_idx ON tenant_domain (tenant_id);

      CREATE TABLE category (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        parent_id integer REFERENCES category(id),
        path text NOT NULL,
        names jsonb NOT NULL,
        position integer NOT NULL DEFAULT 0
      );
      CREATE INDEX category_parent_idx ON category (parent_id);

      CREATE TABLE product (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        category_id integer REFERENCES category(id),
        manufacturer text,
        names jsonb NOT NULL,
        descriptions jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX product_category_idx ON product (category_id);

      CREATE TABLE variant (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        product_id integer NOT NULL REFERENCES product(id) ON DELETE CASCADE,
        sku text NOT NULL UNIQUE,
        gtin text CHECK (gtin ~ '^[0-9]{8,14}$'),
        mpn text,
        names jsonb NOT NULL,
        weight_grams integer CHECK (weight_grams >= 0),
        length_mm integer CHECK (length_mm >= 0),
        width_mm integer CHECK (width_mm >= 0),
        height_mm integer CHECK (height_mm >= 0),
        stock_on_hand integer NOT NULL DEFAULT 0 CHECK (stock_on_hand >= 0),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISCONTINUED')),
        position integer NOT NULL DEFAULT 0
      );
      CREATE INDEX variant_product_idx ON variant (product_id, position, id);
      CREATE INDEX variant_sku_prefix_idx ON variant (sku text_pattern_ops);
      CREATE INDEX variant_gtin_idx ON variant (gtin text_pattern_ops);
      CREATE INDEX variant_mpn_idx ON variant (upper(mpn) text_pattern_ops);

      CREATE TABLE tenant_product (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        product_id integer NOT NULL REFERENCES product(id) ON DELETE CASCADE,
        slug text NOT NULL,
        category_id integer,
        PRIMARY KEY (tenant_id, product_id)
      );
      CREATE UNIQUE INDEX tenant_product_slug_idx ON tenant_product (tenant_id, slug);
      CREATE INDEX tenant_product_category_idx ON tenant_product (tenant_id, category_id, slug);

      CREATE TABLE tenant_variant (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        product_id integer NOT NULL,
        PRIMARY KEY (tenant_id, variant_id)
      );
      CREATE INDEX tenant_variant_product_idx ON tenant_variant (tenant_id, product_id);

      CREATE TABLE list_price (
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        currency char(3) NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        PRIMARY KEY (variant_id, currency)
      );

      CREATE TABLE price_list (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        currency char(3) NOT NULL
      );

      CREATE TABLE price_list_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        price_list_id integer NOT NULL REFERENCES price_list(id) ON DELETE CASCADE,
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        min_quantity integer NOT NULL DEFAULT 1 CHECK (min_quantity >= 1),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        valid_from timestamptz,
        valid_until timestamptz,
        CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
      );
      CREATE INDEX price_list_entry_lookup_idx ON price_list_entry (price_list_id, variant_id, min_quantity);

      CREATE TABLE tenant_price_list (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        price_list_id integer NOT NULL REFERENCES price_list(id),
        priority integer NOT NULL,
        PRIMARY KEY (tenant_id, price_list_id)
      );
    `);
    for (const table of ['tenant_product', 'tenant_variant', 'tenant_price_list']) {
      await q.query(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
      `);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE tenant_price_list, price_list_entry, price_list, list_price, tenant_variant,
        tenant_product, variant, product, category, tenant_domain, tenant;
    `);
  }
}
