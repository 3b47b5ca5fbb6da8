import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports as jobs through the admin API (issue #8):
 * - import_job.kind admits 'prices' (the price import as a job, beside catalog and customer SKUs);
 * - requested_by / requested_by_name: the admin account that uploaded the file (null for a
 *   bootstrap token or the CLI; the name keeps the token's subject or the account's e-mail);
 * - size_bytes: the uploaded file's size;
 * - heartbeat_at: written by the process running the job (at start and every few seconds). A job
 *   QUEUED or RUNNING whose heartbeat is older than the limit belongs to a process that died; it
 *   is marked FAILED at startup and whenever jobs are read. Existing rows get their last known
 *   time so that old unfinished jobs are swept at once.
 * Indexes: the newest-first listing (optionally of one kind) and the sweep of unfinished jobs.
 */
export class ImportJobs1765000000000 implements MigrationInterface {
  name = 'ImportJobs1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE import_job DROP CONSTRAINT import_job_kind_check;
      ALTER TABLE import_job ADD CONSTRAINT import_job_kind_check
        CHECK (kind IN ('catalog', 'customer-skus', 'prices'));
      ALTER TABLE import_job
        ADD COLUMN requested_by uuid REFERENCES admin_user (id) ON DELETE SET NULL,
        ADD COLUMN requested_by_name text,
        ADD COLUMN size_bytes bigint CHECK (size_bytes >= 0),
        ADD COLUMN heartbeat_at timestamptz;
      UPDATE import_job SET heartbeat_at = coalesce(started_at, created_at);
      ALTER TABLE import_job ALTER COLUMN heartbeat_at SET DEFAULT now();
      ALTER TABLE import_job ALTER COLUMN heartbeat_at SET NOT NULL;
      CREATE INDEX import_job_created_idx ON import_job (created_at DESC, id DESC);
      CREATE INDEX import_job_kind_created_idx ON import_job (kind, created_at DESC, id DESC);
      CREATE INDEX import_job_unfinished_idx ON import_job (heartbeat_at)
        WHERE status IN ('QUEUED', 'RUNNING');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX import_job_unfinished_idx, import_job_kind_created_idx, import_job_created_idx;
      DELETE FROM import_job WHERE kind = 'prices';
      ALTER TABLE import_job
        DROP COLUMN heartbeat_at, DROP COLUMN size_bytes,
        DROP COLUMN requested_by_name, DROP COLUMN requested_by;
      ALTER TABLE import_job DROP CONSTRAINT import_job_kind_check;
      ALTER TABLE import_job ADD CONSTRAINT import_job_kind_check
        CHECK (kind IN ('catalog', 'customer-skus'));
    `);
  }
}
