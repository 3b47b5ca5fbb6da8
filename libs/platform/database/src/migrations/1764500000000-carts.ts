import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * Carts: one per user, server-side and tenant-owned. Lines hold a variant and a quantity only;
 * prices are never stored in a cart — they are resolved by the pricing engine whenever the cart
 * is shown, and again at checkout, so a cart can never carry a stale price into an order.
 */
export class Carts1764500000000 implements MigrationInterface {
  name = 'Carts1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cart (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, user_id),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );
      CREATE TABLE cart_line (
        tenant_id uuid NOT NULL,
        cart_id uuid NOT NULL,
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        quantity integer NOT NULL CHECK (quantity > 0),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, cart_id, variant_id),
        FOREIGN KEY (tenant_id, cart_id) REFERENCES cart (tenant_id, id) ON DELETE CASCADE
      );
    `);
    for (const table of ['cart', 'cart_line']) await q.query(tenantIsolationSql(table));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cart_line, cart`);
  }
}
