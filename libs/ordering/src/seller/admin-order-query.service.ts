import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { TenantDirectory, type TenantSnapshot } from '@vitrine/tenancy';
import { checkPageSize, decodeCreatedCursor, encodeCreatedCursor, type SellerPage } from './cursor';
import { loadSellerOrders, type SellerOrder } from './seller-order';
import type { OrderStatusName } from './statuses';

export interface SellerOrderFilter {
  /** A tenant's slug; all tenants when absent. */
  tenant?: string | null;
  status?: OrderStatusName | null;
  /** Only these tenants (ids) — an account manager's; no restriction when absent. */
  tenantIds?: readonly string[] | null;
  first: number;
  after?: string | null;
}

/**
 * The seller's view of orders: one tenant's or every tenant's, newest first, paged by keyset.
 * A tenant's orders are read in its own unit of work; the list across tenants in a maintenance
 * one. Order numbers are unique per tenant only, so a single order is addressed by
 * (tenant slug, number).
 */
@Injectable()
export class AdminOrderQueryService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(filter: SellerOrderFilter): Promise<SellerPage<SellerOrder>> {
    const first = checkPageSize(filter.first, this.config.graphql.maxFirst);
    const cursor = filter.after ? decodeCreatedCursor(filter.after) : null;
    const where: string[] = [];
    const params: unknown[] = [];
    const tenant = filter.tenant ? await this.tenant(filter.tenant) : null;
    if (tenant) {
      params.push(tenant.id);
      where.push(`o.tenant_id = $${params.length}`);
    }
    if (filter.status) {
      params.push(filter.status);
      where.push(`o.status = $${params.length}`);
    }
    if (filter.tenantIds) {
      params.push([...filter.tenantIds]);
      where.push(`o.tenant_id = ANY($${params.length}::uuid[])`);
    }
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(
        `(o.created_at, o.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(first + 1);
    const read = async (em: EntityManager) => {
      const ids = (await em.query(
        `SELECT o.id FROM customer_order o ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY o.created_at DESC, o.id DESC LIMIT $${params.length}`,
        params,
      )) as Array<{ id: string }>;
      return loadSellerOrders(
        em,
        ids.map((r) => r.id),
      );
    };
    const orders = tenant
      ? await this.db.run({ tenantId: tenant.id }, read)
      : await this.db.maintenance(read);
    const items = orders.slice(0, first).map((node) => ({
      node,
      cursor: encodeCreatedCursor({ createdAt: node.createdKey, id: node.id }),
    }));
    return {
      items,
      hasNextPage: orders.length > first,
      endCursor: items.length ? items[items.length - 1].cursor : null,
    };
  }

  /** One order of a tenant, or null; an unknown tenant is NOT_FOUND. */
  async get(tenantSlug: string, number: string): Promise<SellerOrder | null> {
    const tenant = await this.tenant(tenantSlug);
    return this.db.run({ tenantId: tenant.id }, async (em) => {
      const [row] = (await em.query(
        `SELECT id FROM customer_order WHERE tenant_id = $1 AND number = $2`,
        [tenant.id, number.trim()],
      )) as Array<{ id: string }>;
      if (!row) return null;
      const [order] = await loadSellerOrders(em, [row.id]);
      return order ?? null;
    });
  }

  /** The tenant of a slug (outside any unit of work: the directory reads on its own). */
  async tenant(slug: string): Promise<TenantSnapshot> {
    const tenant = await this.tenants.findBySlug(slug.trim().toLowerCase());
    if (!tenant) throw VitrineError.notFound(`There is no tenant "${slug}".`);
    return tenant;
  }
}
