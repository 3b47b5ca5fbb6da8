import { MigrationInterface, QueryRunner } from 'typeorm';
import { tenantIsolationSql } from './tenant-isolation';

/**
 * Server-side sessions of the microsite (cookie `vitrine_session`). The cookie holds a random
 * 32-byte token; the row's id is its SHA-256, so a copy of the table signs nobody in. A
 * session belongs to one tenant and one user and is looked up by (tenant, id) — a cookie of
 * site A means nothing on site B, and row-level security (FORCEd) stands behind that filter.
 * `csrf_secret` is the token the session's forms carry. A session ends at `expires_at`
 * (absolute) or after idle time measured from `last_seen_at`; deleting the user ends it too.
 */
export class WebSessions1764700000000 implements MigrationInterface {
  name = 'WebSessions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_session (
        id text NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        csrf_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, id),
        FOREIGN KEY (tenant_id, user_id) REFERENCES app_user (tenant_id, id) ON DELETE CASCADE
      );
      CREATE INDEX web_session_user_idx ON web_session (tenant_id, user_id);
      CREATE INDEX web_session_expiry_idx ON web_session (expires_at);
    `);
    await q.query(tenantIsolationSql('web_session'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_session`);
  }
}
