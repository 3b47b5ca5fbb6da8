import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { checkPageSize, decodeCreatedCursor, encodeCreatedCursor, type SellerPage } from './cursor';
import { loadSellerQuotes, type SellerQuote } from './seller-quote';
import type { QuoteStatusName } from './statuses';

export interface SellerQuoteFilter {
  status?: QuoteStatusName | null;
  /** Only these tenants (ids) — an account manager's; no restriction when absent. */
  tenantIds?: readonly string[] | null;
  first: number;
  after?: string | null;
}

/**
 * The seller's view of quotes: every tenant's, newest first, paged by keyset. Read in a
 * maintenance unit of work (the list spans tenants); the admin API is its only caller.
 */
@Injectable()
export class AdminQuoteQueryService {
  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(filter: SellerQuoteFilter): Promise<SellerPage<SellerQuote>> {
    const first = checkPageSize(filter.first, this.config.graphql.maxFirst);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`q.status = $${params.length}`);
    }
    if (filter.tenantIds) {
      params.push([...filter.tenantIds]);
      where.push(`q.tenant_id = ANY($${params.length}::uuid[])`);
    }
    if (filter.after) {
      const key = decodeCreatedCursor(filter.after);
      params.push(key.createdAt, key.id);
      where.push(
        `(q.created_at, q.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`,
      );
    }
    params.push(first + 1);
    const quotes = await this.db.maintenance(async (em) => {
      const ids = (await em.query(
        `SELECT q.id FROM quote q ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY q.created_at DESC, q.id DESC LIMIT $${params.length}`,
        params,
      )) as Array<{ id: string }>;
      return loadSellerQuotes(
        em,
        ids.map((r) => r.id),
      );
    });
    const page = quotes.slice(0, first);
    const items = page.map((node) => ({
      node,
      cursor: encodeCreatedCursor({ createdAt: node.createdKey, id: node.id }),
    }));
    return {
      items,
      hasNextPage: quotes.length > first,
      endCursor: items.length ? items[items.length - 1].cursor : null,
    };
  }
}
