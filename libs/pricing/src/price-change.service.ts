import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows } from '@vitrine/database';
import { TenantDirectory } from '@vitrine/tenancy';

/** What changed: list prices or price lists (master data, many tenants) or one tenant's contracts. */
export interface PriceChange {
  /** List prices changed: every tenant may show them. */
  listPrices?: boolean;
  /** Entries or validity of these price lists changed: the tenants that use them. */
  priceListIds?: readonly number[];
  /** Contract prices or companies of these tenants changed. */
  tenantIds?: readonly string[];
}

/**
 * Makes a price change visible on the next request of every instance. Effective prices are
 * cached under the tenant's version (`PriceContext.key`); `record` bumps that version in the
 * writer's own transaction, so the new version and the new prices commit together, and
 * `publish` (after the commit) tells every instance to reload the tenants it changed.
 */
@Injectable()
export class PriceChangeService {
  constructor(private readonly directory: TenantDirectory) {}

  /** Bumps the version of every tenant the change affects; returns their ids. Run inside the writing transaction. */
  async record(em: EntityManager, change: PriceChange): Promise<string[]> {
    if (!change.listPrices && !change.priceListIds?.length && !change.tenantIds?.length) return [];
    const rows = returnedRows<{ id: string }>(
      await em.query(
        `UPDATE tenant SET version = version + 1, updated_at = now()
       WHERE $1::boolean
          OR id = ANY($2::uuid[])
          OR id IN (SELECT tenant_id FROM tenant_price_list WHERE price_list_id = ANY($3::int[]))
       RETURNING id`,
        [!!change.listPrices, change.tenantIds ?? [], change.priceListIds ?? []],
      ),
    ) as Array<{ id: string }> | [Array<{ id: string }>, number];
    // TypeORM returns [rows, count] for UPDATE … RETURNING on PostgreSQL.
    const list = Array.isArray(rows[0])
      ? (rows[0] as Array<{ id: string }>)
      : (rows as Array<{ id: string }>);
    return list.map((r) => r.id);
  }

  /** After the commit: every instance drops what it cached for these tenants. */
  async publish(tenantIds: readonly string[]): Promise<void> {
    if (tenantIds.length) await this.directory.invalidate([...tenantIds]);
  }
}
