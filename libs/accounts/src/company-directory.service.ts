import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { TenantDb } from '@vitrine/database';
import type { CompanySnapshot, TenantSnapshot } from '@vitrine/tenancy';

/**
 * Companies as requests need them (pricing, VAT), from process memory. Entries are keyed by
 * the tenant's version: provisioning a company change bumps it (tenant sync), so every
 * instance reads the new company on its next request, as for tenants themselves.
 */
@Injectable()
export class CompanyDirectory {
  private readonly local = new LRUCache<string, { company: CompanySnapshot | null }>({
    max: 20_000,
    ttl: 60_000,
  });

  constructor(private readonly db: TenantDb) {}

  async get(tenant: TenantSnapshot, companyId: string): Promise<CompanySnapshot | null> {
    const key = `${tenant.id}:${tenant.version}:${companyId}`;
    const hit = this.local.get(key);
    if (hit) return hit.company;
    const rows = (await this.db.run({ tenantId: tenant.id }, (em) =>
      em.query(
        `SELECT id, code, name, country, vat_id FROM company WHERE tenant_id = $1 AND id = $2::uuid`,
        [tenant.id, companyId],
      ),
    )) as Array<{ id: string; code: string; name: string; country: string; vat_id: string | null }>;
    const row = rows[0];
    const company = row
      ? Object.freeze({
          id: row.id,
          code: row.code,
          name: row.name,
          country: row.country.trim(),
          vatId: row.vat_id,
        })
      : null;
    this.local.set(key, { company });
    return company;
  }
}
