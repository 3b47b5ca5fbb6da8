import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@vitrine/config';

/**
 * The role the embedded database's session runs as after its migrations, and the default name
 * documented for PostgreSQL installations (docs/isolation.md).
 */
export const DEFAULT_RUNTIME_ROLE = 'vitrine_runtime';

/** The function a runtime role calls to ANALYZE a table it does not own (TenantDb.refreshStatistics). */
export const ANALYZE_FUNCTION = 'vitrine_analyze';

/** Tables the runtime may read but never write. */
const READ_ONLY_TABLES = ['migrations'];

function roleName(role: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error(
      `Not a usable role name: ${role}. Use lower-case letters, digits and underscores.`,
    );
  return role;
}

export class RuntimeRoleError extends Error {}

/**
 * Gives the runtime role exactly what the application needs, as the owner of the schema, after
 * the migrations: USAGE on the schema, SELECT/INSERT/UPDATE/DELETE on every table (SELECT only on
 * the migrations table), USAGE/SELECT on sequences, and EXECUTE on the ANALYZE function. Never
 * ownership, TRUNCATE (which ignores row-level security), REFERENCES or TRIGGER. Idempotent: it
 * runs after every migration run, so tables added by later migrations are covered.
 *
 * `create`: create the role (NOLOGIN, NOBYPASSRLS) when missing — the embedded database, whose
 * one session switches to it. On PostgreSQL the operator creates the login role (the migration
 * role rarely has CREATEROLE); a missing role is refused with instructions.
 */
export async function grantRuntimeRole(
  ds: DataSource,
  role: string,
  options: { create?: boolean } = {},
): Promise<void> {
  const r = roleName(role);
  const [exists] = (await ds.query(
    `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`,
    [r],
  )) as Array<{ rolsuper: boolean; rolbypassrls: boolean }>;
  if (!exists) {
    if (!options.create)
      throw new RuntimeRoleError(
        `The runtime role "${r}" does not exist. Create it as a database administrator ` +
          `(CREATE ROLE ${r} LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS) and migrate again; ` +
          'see docs/isolation.md.',
      );
    await ds.query(`CREATE ROLE ${r} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
  } else if (exists.rolsuper || exists.rolbypassrls) {
    throw new RuntimeRoleError(
      `The runtime role "${r}" is ${exists.rolsuper ? 'a superuser' : 'BYPASSRLS'}: row-level ` +
        `security would not apply to it. ALTER ROLE ${r} NOSUPERUSER NOBYPASSRLS, then migrate again.`,
    );
  }
  const [{ owner }] = (await ds.query(`SELECT current_user AS owner`)) as Array<{ owner: string }>;
  if (owner === r)
    throw new RuntimeRoleError(
      `Migrations ran as the runtime role "${r}", which would then own every table. Run them as ` +
        'the owner role (DATABASE_MIGRATION_URL) and the application as the runtime role (DATABASE_URL).',
    );
  await installAnalyzeFunction(ds);
  await ds.query(`
    GRANT EXECUTE ON FUNCTION ${ANALYZE_FUNCTION}(text) TO ${r};
    GRANT USAGE ON SCHEMA public TO ${r};
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE INSERT, UPDATE, DELETE ON ${READ_ONLY_TABLES.join(', ')} FROM ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
  `);
}

/**
 * ANALYZE needs ownership; the runtime refreshes statistics after bulk loads (PGlite has no
 * autovacuum) through this function, which runs as the owner and accepts only the schema's
 * tables. Created (or replaced) by the owner after every migration run.
 */
export async function installAnalyzeFunction(ds: DataSource): Promise<void> {
  await ds.query(`
    CREATE OR REPLACE FUNCTION ${ANALYZE_FUNCTION}(tbl text) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = tbl) THEN
        RAISE EXCEPTION 'Not a table of the schema: %', tbl;
      END IF;
      EXECUTE format('ANALYZE public.%I', tbl);
    END $fn$;
    REVOKE ALL ON FUNCTION ${ANALYZE_FUNCTION}(text) FROM PUBLIC;
  `);
}

/** What the connected role may do that the runtime role must not. */
export interface RoleInspection {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Tables, views and sequences of the schema it owns. */
  owned: string[];
}

/** Looks at the role this DataSource's connections run as (current_user). */
export async function inspectRole(ds: DataSource): Promise<RoleInspection> {
  const [row] = (await ds.query(
    `SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
            COALESCE((SELECT array_agg(c.relname::text ORDER BY c.relname)
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE c.relowner = r.oid AND n.nspname = 'public'
                         AND c.relkind IN ('r', 'p', 'v', 'm', 'S')), '{}') AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
  )) as Array<{ role: string; superuser: boolean; bypass: boolean; owned: string[] | string }>;
  return {
    role: row.role,
    superuser: row.superuser,
    bypassRls: row.bypass,
    owned: parseArray(row.owned),
  };
}

/** Why this role must not serve requests; empty when it is a proper runtime role. */
export function runtimeRoleProblems(r: RoleInspection): string[] {
  const problems: string[] = [];
  if (r.superuser) problems.push(`"${r.role}" is a superuser (row-level security never applies)`);
  else if (r.bypassRls) problems.push(`"${r.role}" has BYPASSRLS`);
  if (r.owned.length)
    problems.push(
      `"${r.role}" owns ${r.owned.length} relation(s) (${r.owned.slice(0, 5).join(', ')}` +
        `${r.owned.length > 5 ? ', …' : ''}); owners can switch row-level security off`,
    );
  return problems;
}

/**
 * The embedded database is one superuser session: after migrating it, the session switches to
 * the runtime role for good, so row-level security filters every later statement as it does on
 * PostgreSQL. (The process owns the data files, so this is a wall against a forgotten tenant
 * filter, not against the process itself: the session user could RESET ROLE.)
 */
export async function enterRuntimeRole(ds: DataSource, role = DEFAULT_RUNTIME_ROLE): Promise<void> {
  await grantRuntimeRole(ds, role, { create: true });
  await ds.query(`SET ROLE ${roleName(role)}`);
}

function parseArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  // PGlite may answer name[] as the text form {a,b}.
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
}

/**
 * At start: the application's own connection must not be able to see past row-level security.
 * With DATABASE_MIGRATION_URL set (two roles declared) a wrong runtime role stops the process;
 * with one role for everything (development, older installations) it is a warning.
 */
export async function checkRuntimeRole(ds: DataSource, db: DatabaseConfig): Promise<void> {
  const problems = runtimeRoleProblems(await inspectRole(ds));
  if (!problems.length) return;
  const message =
    `The application's database role is not a runtime role: ${problems.join('; ')}. ` +
    'Connect DATABASE_URL as a role that owns nothing and has no BYPASSRLS, and run migrations ' +
    'with DATABASE_MIGRATION_URL (docs/isolation.md).';
  if (db.kind === 'postgres' && db.migrationUrl) throw new RuntimeRoleError(message);
  new Logger('Database').warn(message);
}
