import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * Accounts: the people who buy for a company, and what they may do.
 *
 * - `company` gets payment terms and a credit limit; `company_address` (billing, ship-to) and
 *   `cost_centre` belong to it.
 * - `app_user`: one company, one tenant. The same e-mail on two tenants is two rows with two
 *   passwords — unique per (tenant, lower(email)), never one identity across sites. A user
 *   without a password hash has been invited and has not set one yet.
 * - `refresh_token`: only the SHA-256 of a token is stored; tokens rotate, and all tokens
 *   descending from one login share a family, so reuse of a rotated token revokes the family.
 * - `user_token`: single-use, expiring invitation and password-reset tokens (hash only).
 *
 * Every table is tenant-owned with row-level security FORCEd, as elsewhere.
 */
export class Accounts1764400000000 implements MigrationInterface {
  name = 'Accounts1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE company
        ADD COLUMN payment_terms jsonb,
        ADD COLUMN credit_limit_minor bigint CHECK (credit_limit_minor >= 0),
        ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'BLOCKED'));

      CREATE TABLE company_address (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        company_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('BILLING', 'SHIPPING')),
        label text,
        name text NOT NULL,
        street text NOT NULL,
        postal_code text NOT NULL,
        city text NOT NULL,
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX company_address_company_idx ON company_address (tenant_id, company_id);

      CREATE TABLE cost_centre (
        tenant_id uuid NOT NULL,
        company_id uuid NOT NULL,
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
        name text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        PRIMARY KEY (tenant_id, company_id, code),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE
      );

      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        company_id uuid NOT NULL,
        email text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
        name text NOT NULL,
        password_hash text,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['VIEWER','REQUISITIONER','BUYER','APPROVER','COMPANY_ADMIN']),
        spend_limit_minor bigint CHECK (spend_limit_minor >= 0),
        can_see_prices boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'INVITED' CHECK (status IN ('INVITED', 'ACTIVE', 'DEACTIVATED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, email),
        UNIQUE (tenant_id, id),
        FOREIGN KEY (tenant_id, company_id) REFERENCES company (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX app_user_company_idx ON app_user (tenant_id, company_id);

      CREATE TABLE refresh_token (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX refresh_token_family_idx ON refresh_token (tenant_id, family_id);
      CREATE INDEX refresh_token_user_idx ON refresh_token (tenant_id, user_id);

      CREATE TABLE user_token (
        token_hash text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('INVITATION', 'PASSWORD_RESET')),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );
    `);
    for (const table of [
      'company_address',
      'cost_centre',
      'app_user',
      'refresh_token',
      'user_token',
    ]) {
      await q.query(tenantIsolationSql(table));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE user_token, refresh_token, app_user, cost_centre, company_address;
      ALTER TABLE company DROP COLUMN payment_terms, DROP COLUMN credit_limit_minor, DROP COLUMN status;
    `);
  }
}
