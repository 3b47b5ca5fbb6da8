import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seller's admin accounts and the audit log. None of these tables is tenant-owned (they
 * belong to the selling organisation), so none gets tenant isolation: an admin is read before
 * any tenant is known, and a SUPER_ADMIN reads the audit log of every tenant. `tenant_id` in
 * `admin_tenant` and `audit_log` says which tenant an assignment or a change concerns.
 *
 * - `admin_user`: e-mail unique and stored lowercased; password as an argon2id hash (the accounts
 *   lib's PasswordService); roles ⊆ {SUPER_ADMIN, ACCOUNT_MANAGER, CATALOG_MANAGER}.
 * - `admin_tenant`: the tenants an ACCOUNT_MANAGER looks after — read per request, so a changed
 *   assignment counts at once.
 * - `audit_log`: append-only; who (`actor`: admin id or token subject), what (`action`, `target`),
 *   when, before/after as JSON, and whether it was APPLIED or REFUSED (with the reason). No
 *   foreign key on `tenant_id`: the log outlives whatever it describes.
 */
export class AdminAccounts1764800000000 implements MigrationInterface {
  name = 'AdminAccounts1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE admin_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        password_hash text NOT NULL,
        roles text[] NOT NULL CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['SUPER_ADMIN','ACCOUNT_MANAGER','CATALOG_MANAGER']
        ),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DEACTIVATED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE admin_tenant (
        admin_id uuid NOT NULL REFERENCES admin_user (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        PRIMARY KEY (admin_id, tenant_id)
      );
      CREATE INDEX admin_tenant_tenant_idx ON admin_tenant (tenant_id);

      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        action text NOT NULL,
        tenant_id uuid,
        target text,
        before jsonb,
        after jsonb,
        outcome text NOT NULL CHECK (outcome IN ('APPLIED', 'REFUSED')),
        reason text
      );
      CREATE INDEX audit_log_tenant_at_idx ON audit_log (tenant_id, at);
      CREATE INDEX audit_log_at_idx ON audit_log (at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log; DROP TABLE admin_tenant; DROP TABLE admin_user;`);
  }
}
