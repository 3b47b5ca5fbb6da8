/**
 * Row-level security for a tenant-owned table: FORCEd (owners too), rows visible and writable
 * only when `app.tenant_id` names their tenant, or in an explicit maintenance unit of work
 * (`app.maintenance = 'on'`, see TenantDb.maintenance). The table name is ours, never input.
 */
export function tenantIsolationSql(table: string): string {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
  return `
    ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
    ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON ${table}
      USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.maintenance', true) = 'on')
      WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
             OR current_setting('app.maintenance', true) = 'on');
  `;
}
