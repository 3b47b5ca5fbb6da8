import type { DataSource, EntityManager } from 'typeorm';

/** A role without BYPASSRLS, as the runtime role is meant to be (tests connect as a superuser). */
export const RLS_PROBE_ROLE = 'vitrine_rls_probe';

/**
 * Runs `fn` in a tenant's unit of work (app.tenant_id set) as a role that row-level security
 * filters: tests connect as a superuser, whom no policy ever filters, so an isolation test that
 * did not switch roles would prove nothing. `tables` are granted to the probe role first.
 */
export async function asTenantRuntime<T>(
  ds: DataSource,
  tenantId: string,
  tables: readonly string[],
  fn: (em: EntityManager) => Promise<T>,
): Promise<T> {
  // As the session's own user (a superuser in tests): the embedded database's session runs as
  // the runtime role after its migrations, which may neither create roles nor grant.
  await ds.transaction(async (em) => {
    const [{ user }] = (await em.query(`SELECT session_user AS user`)) as Array<{ user: string }>;
    await em.query(`SET LOCAL ROLE "${user.replace(/"/g, '""')}"`);
    await em.query(`DO $$ BEGIN CREATE ROLE ${RLS_PROBE_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await em.query(`GRANT USAGE ON SCHEMA public TO ${RLS_PROBE_ROLE}`);
    for (const table of tables) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
      await em.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${RLS_PROBE_ROLE}`);
    }
  });
  return ds.transaction(async (em) => {
    await em.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await em.query(`SET LOCAL ROLE ${RLS_PROBE_ROLE}`);
    return fn(em);
  });
}
