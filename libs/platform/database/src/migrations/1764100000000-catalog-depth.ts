import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * Catalog depth for a technical wholesaler (issue #3):
 * - variant: unit of measure, order multiple, minimum order quantity, volume, successor of a
 *   discontinued article, typed attribute values (jsonb, validated against `attribute`), and a
 *   content hash that makes re-imports of unchanged rows no-ops;
 * - product: media and document links;
 * - attribute: definitions of typed attributes (TEXT, NUMBER with unit, ENUM);
 * - variant_stock: optional stock per warehouse;
 * - product_search: one full-text document per product and locale, in that language's
 *   configuration, plus plain text for trigram similarity (pg_trgm when available);
 * - customer_sku: a key account's own article numbers for the seller's variants (tenant-owned);
 * - tenant_assortment: each tenant's assortment rules as data, so that the assortment of any
 *   set of variants can be re-materialized for all tenants in one statement;
 * - import_job: catalog and customer-SKU imports, pollable.
 *
 * Maintenance across tenants (materializing assortments after an import) runs with
 * app.maintenance = 'on' in its transaction: the tenant policies admit it explicitly, so a
 * runtime role without BYPASSRLS can still do it, and ordinary reads never can.
 */
export class CatalogDepth1764100000000 implements MigrationInterface {
  name = 'CatalogDepth1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ available }] = (await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS available`,
    )) as Array<{ available: boolean }>;
    if (available) await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      ALTER TABLE variant
        ADD COLUMN unit text NOT NULL DEFAULT 'PCE' CHECK (unit ~ '^[A-Z0-9]{1,3}$'),
        ADD COLUMN order_multiple integer NOT NULL DEFAULT 1 CHECK (order_multiple >= 1),
        ADD COLUMN min_order_quantity integer NOT NULL DEFAULT 1 CHECK (min_order_quantity >= 1),
        ADD COLUMN volume_ml integer CHECK (volume_ml >= 0),
        ADD COLUMN successor_sku text,
        ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
        ADD COLUMN content_hash text,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
        ADD CONSTRAINT variant_successor_not_self CHECK (successor_sku IS NULL OR successor_sku <> sku);
      CREATE INDEX variant_attributes_idx ON variant USING gin (attributes jsonb_path_ops);

      ALTER TABLE product
        ADD COLUMN media jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(media) = 'array'),
        ADD COLUMN content_hash text;

      CREATE TABLE attribute (
        code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,62}$'),
        type text NOT NULL CHECK (type IN ('TEXT', 'NUMBER', 'ENUM')),
        unit text,
        names jsonb NOT NULL DEFAULT '{}',
        enum_values jsonb CHECK (enum_values IS NULL OR jsonb_typeof(enum_values) = 'array'),
        facet boolean NOT NULL DEFAULT true,
        position integer NOT NULL DEFAULT 0,
        CHECK ((type = 'ENUM') = (enum_values IS NOT NULL))
      );

      CREATE TABLE variant_stock (
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        warehouse text NOT NULL,
        on_hand integer NOT NULL CHECK (on_hand >= 0),
        PRIMARY KEY (variant_id, warehouse)
      );

      -- Locale → text search configuration. IMMUTABLE so it can be used in indexes.
      CREATE FUNCTION vitrine_ts_config(locale text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
          SELECT CASE split_part(locale, '-', 1)
            WHEN 'nl' THEN 'dutch' WHEN 'en' THEN 'english' WHEN 'de' THEN 'german'
            WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish' WHEN 'it' THEN 'italian'
            WHEN 'da' THEN 'danish' WHEN 'sv' THEN 'swedish' WHEN 'pt' THEN 'portuguese'
            ELSE 'simple' END::regconfig
        $fn$;

      CREATE TABLE product_search (
        product_id integer NOT NULL REFERENCES product(id) ON DELETE CASCADE,
        locale text NOT NULL,
        document tsvector NOT NULL,
        text text NOT NULL,
        PRIMARY KEY (product_id, locale)
      );
      CREATE INDEX product_search_document_idx ON product_search USING gin (document);

      -- Rebuilds the search documents of the given products for every locale they have text in.
      -- Name (A), manufacturer and variant names (B), description (C).
      CREATE FUNCTION vitrine_refresh_product_search(ids integer[]) RETURNS void
        LANGUAGE sql AS $fn$
          DELETE FROM product_search WHERE product_id = ANY(ids);
          INSERT INTO product_search (product_id, locale, document, text)
          SELECT p.id, n.key,
                 setweight(to_tsvector(vitrine_ts_config(n.key), n.value), 'A')
                 || setweight(to_tsvector(vitrine_ts_config(n.key),
                      coalesce(p.manufacturer, '') || ' ' || coalesce(vn.names, '')), 'B')
                 || setweight(to_tsvector(vitrine_ts_config(n.key), coalesce(p.descriptions->>n.key, '')), 'C'),
                 n.value || coalesce(' ' || p.manufacturer, '')
          FROM product p
          CROSS JOIN LATERAL jsonb_each_text(p.names) n
          LEFT JOIN LATERAL (
            SELECT string_agg(v.names->>n.key, ' ') AS names FROM variant v WHERE v.product_id = p.id
          ) vn ON true
          WHERE p.id = ANY(ids);
        $fn$;

      CREATE TABLE customer_sku (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        customer_sku text NOT NULL CHECK (customer_sku = upper(btrim(customer_sku)) AND customer_sku <> ''),
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        content_hash text,
        PRIMARY KEY (tenant_id, customer_sku)
      );
      CREATE UNIQUE INDEX customer_sku_variant_idx ON customer_sku (tenant_id, variant_id);
      CREATE INDEX customer_sku_prefix_idx ON customer_sku (tenant_id, customer_sku text_pattern_ops);

      CREATE TABLE tenant_assortment (
        tenant_id uuid PRIMARY KEY REFERENCES tenant(id) ON DELETE CASCADE,
        include_categories text[] NOT NULL DEFAULT '{}',
        include_skus text[] NOT NULL DEFAULT '{}',
        exclude_skus text[] NOT NULL DEFAULT '{}',
        -- [{"attribute": "material", "in": ["RVS"]}, {"attribute": "length", "min": 10, "max": 50}]
        attribute_filters jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attribute_filters) = 'array'),
        -- hide | untilSoldOut | show
        discontinued text NOT NULL DEFAULT 'untilSoldOut'
          CHECK (discontinued IN ('hide', 'untilSoldOut', 'show'))
      );

      CREATE TABLE import_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('catalog', 'customer-skus')),
        tenant_id uuid REFERENCES tenant(id) ON DELETE CASCADE,
        source text NOT NULL,
        format text NOT NULL CHECK (format IN ('csv', 'ndjson')),
        status text NOT NULL DEFAULT 'QUEUED'
          CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
        rows_read integer NOT NULL DEFAULT 0,
        rows_created integer NOT NULL DEFAULT 0,
        rows_updated integer NOT NULL DEFAULT 0,
        rows_unchanged integer NOT NULL DEFAULT 0,
        rows_rejected integer NOT NULL DEFAULT 0,
        reject_file text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      );
    `);
    if (available) {
      await q.query(
        `CREATE INDEX product_search_text_trgm_idx ON product_search USING gin (text gin_trgm_ops)`,
      );
    }

    // Tenant-owned: customer_sku and tenant_assortment get the same forced policy as the other
    // tenant tables. The materialized assortment also admits explicit maintenance.
    for (const table of ['customer_sku', 'tenant_assortment']) {
      await q.query(tenantIsolationSql(table));
    }
    for (const table of ['tenant_product', 'tenant_variant']) {
      await q.query(`
        DROP POLICY tenant_isolation ON ${table};
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                 OR current_setting('app.maintenance', true) = 'on')
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
                 OR current_setting('app.maintenance', true) = 'on');
      `);
    }

    // Existing data: search documents for every product.
    await q.query(`SELECT vitrine_refresh_product_search(array_agg(id)) FROM product`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['tenant_product', 'tenant_variant']) {
      await q.query(`
        DROP POLICY tenant_isolation ON ${table};
        CREATE POLICY tenant_isolation ON ${table}
          USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
          WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
      `);
    }
    await q.query(`
      DROP TABLE import_job, tenant_assortment, customer_sku, product_search, variant_stock, attribute;
      DROP FUNCTION vitrine_refresh_product_search(integer[]);
      DROP FUNCTION vitrine_ts_config(text);
      ALTER TABLE product DROP COLUMN media, DROP COLUMN content_hash;
      ALTER TABLE variant DROP CONSTRAINT variant_successor_not_self,
        DROP COLUMN unit, DROP COLUMN order_multiple, DROP COLUMN min_order_quantity,
        DROP COLUMN volume_ml, DROP COLUMN successor_sku, DROP COLUMN attributes,
        DROP COLUMN content_hash, DROP COLUMN updated_at;
    `);
  }
}
