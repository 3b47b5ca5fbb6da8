import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * Orders, quotes, order lists and the outbox.
 *
 * - `customer_order` ("order" is a keyword): what was bought, at which prices, shipped where —
 *   a snapshot, so later changes to prices, addresses or users never rewrite a placed order.
 *   Numbers are unique per tenant and come from `tenant_sequence` (one counter row per tenant
 *   and series, incremented in the order's transaction: gap-free unless a transaction aborts).
 * - `idempotency_key`: the first result of a (user, key); a retry returns it, a different
 *   request with the same key is refused. Written in the same transaction as the order.
 * - Stock is reserved by decrementing `variant.stock_on_hand` with a conditional update, credit
 *   by incrementing `company.credit_used_minor` the same way; both are released when an order
 *   is rejected or cancelled. The order lines are the record of the reservation.
 * - `outbox_event`: one row per delivery (an e-mail, an ERP webhook, an ERP file), written in
 *   the transaction of the change it reports, delivered at least once by the worker; `dedupe_key`
 *   lets consumers recognise a redelivery.
 *
 * Quote numbers come from one installation-wide sequence (Q2026-000042): the admin API names a
 * quote by its number alone.
 *
 * Every table is tenant-owned with row-level security FORCEd, as elsewhere.
 */
export class Orders1764600000000 implements MigrationInterface {
  name = 'Orders1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE company
        ADD COLUMN po_number_required boolean NOT NULL DEFAULT false,
        ADD COLUMN credit_used_minor bigint NOT NULL DEFAULT 0 CHECK (credit_used_minor >= 0);

      CREATE TABLE tenant_sequence (
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        name text NOT NULL,
        value bigint NOT NULL,
        PRIMARY KEY (tenant_id, name)
      );

      CREATE TABLE customer_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        number text NOT NULL,
        company_id uuid NOT NULL,
        placed_by uuid NOT NULL,
        status text NOT NULL CHECK (status IN
          ('PENDING_APPROVAL','PLACED','REJECTED','CONFIRMED','SHIPPED','INVOICED','CANCELLED')),
        po_number text,
        note text,
        cost_centre text,
        requested_delivery_date date,
        ship_to jsonb NOT NULL,
        currency char(3) NOT NULL,
        subtotal_minor bigint NOT NULL,
        shipping_minor bigint NOT NULL,
        tax_minor bigint NOT NULL,
        total_minor bigint NOT NULL,
        vat jsonb NOT NULL,
        weight_grams bigint NOT NULL DEFAULT 0,
        payment_terms jsonb,
        credit_reserved_minor bigint NOT NULL DEFAULT 0,
        quote_id uuid,
        approval_reason text,
        decided_by uuid,
        decided_at timestamptz,
        rejection_reason text,
        tracking jsonb,
        invoice_number text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, number),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id),
        FOREIGN KEY (tenant_id, placed_by) REFERENCES app_user (tenant_id, id)
      );
      CREATE INDEX customer_order_company_idx ON customer_order (tenant_id, company_id, created_at DESC, id);
      CREATE INDEX customer_order_pending_idx ON customer_order (tenant_id, company_id)
        WHERE status = 'PENDING_APPROVAL';

      CREATE TABLE order_line (
        tenant_id uuid NOT NULL,
        order_id uuid NOT NULL,
        line_no integer NOT NULL,
        variant_id integer REFERENCES variant(id) ON DELETE SET NULL,
        sku text NOT NULL,
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        unit_minor bigint NOT NULL CHECK (unit_minor >= 0),
        price_source text NOT NULL,
        net_minor bigint NOT NULL,
        tax_rate numeric(6,4) NOT NULL,
        tax_minor bigint NOT NULL,
        weight_grams integer,
        PRIMARY KEY (tenant_id, order_id, line_no),
        FOREIGN KEY (tenant_id, order_id) REFERENCES customer_order (tenant_id, id) ON DELETE CASCADE
      );

      CREATE TABLE order_status_change (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        order_id uuid NOT NULL,
        status text NOT NULL,
        note text,
        changed_by text,
        changed_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, order_id) REFERENCES customer_order (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX order_status_change_order_idx ON order_status_change (tenant_id, order_id, id);

      CREATE TABLE idempotency_key (
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        operation text NOT NULL,
        request_hash text NOT NULL,
        order_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id, key),
        FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );

      CREATE TABLE order_list (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        company_id uuid NOT NULL,
        owner_id uuid NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
        shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE,
        FOREIGN KEY (tenant_id, owner_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX order_list_company_idx ON order_list (tenant_id, company_id);
      CREATE TABLE order_list_line (
        tenant_id uuid NOT NULL,
        list_id uuid NOT NULL,
        variant_id integer NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
        quantity integer NOT NULL CHECK (quantity > 0),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, list_id, variant_id),
        FOREIGN KEY (tenant_id, list_id) REFERENCES order_list (tenant_id, id) ON DELETE CASCADE
      );

      -- Quote numbers are unique in the whole installation: the seller answers them through the
      -- admin API by number alone (offerQuote(number, ...)).
      CREATE SEQUENCE quote_number_seq;
      CREATE TABLE quote (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        number text NOT NULL,
        company_id uuid,
        requested_by uuid,
        contact_email text NOT NULL,
        note text,
        status text NOT NULL CHECK (status IN ('REQUESTED','OFFERED','ACCEPTED','DECLINED','EXPIRED')),
        currency char(3) NOT NULL,
        valid_until timestamptz,
        offered_at timestamptz,
        order_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (number),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id),
        FOREIGN KEY (tenant_id, requested_by) REFERENCES app_user (tenant_id, id)
      );
      CREATE INDEX quote_company_idx ON quote (tenant_id, company_id, created_at DESC);
      CREATE INDEX quote_status_idx ON quote (status, created_at);
      CREATE TABLE quote_line (
        tenant_id uuid NOT NULL,
        quote_id uuid NOT NULL,
        line_no integer NOT NULL,
        variant_id integer REFERENCES variant(id) ON DELETE SET NULL,
        sku text NOT NULL,
        name text NOT NULL,
        quantity integer NOT NULL CHECK (quantity > 0),
        offered_unit_minor bigint CHECK (offered_unit_minor >= 0),
        PRIMARY KEY (tenant_id, quote_id, line_no),
        FOREIGN KEY (tenant_id, quote_id) REFERENCES quote (tenant_id, id) ON DELETE CASCADE
      );

      CREATE TABLE outbox_event (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
        topic text NOT NULL,
        dedupe_key text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DELIVERED','FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (tenant_id, topic, dedupe_key)
      );
      CREATE INDEX outbox_event_due_idx ON outbox_event (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX outbox_event_failed_idx ON outbox_event (tenant_id, created_at) WHERE status = 'FAILED';
    `);
    for (const table of [
      'tenant_sequence',
      'customer_order',
      'order_line',
      'order_status_change',
      'idempotency_key',
      'order_list',
      'order_list_line',
      'quote',
      'quote_line',
      'outbox_event',
    ])
      await q.query(tenantIsolationSql(table));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE outbox_event, quote_line, quote, order_list_line, order_list, idempotency_key,
        order_status_change, order_line, customer_order, tenant_sequence;
      DROP SEQUENCE quote_number_seq;
      ALTER TABLE company DROP COLUMN po_number_required, DROP COLUMN credit_used_minor;
    `);
  }
}
