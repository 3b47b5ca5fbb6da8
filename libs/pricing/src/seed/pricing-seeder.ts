import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { COMPANY_ID_SQL } from '../company-id';
import { PriceChangeService } from '../price-change.service';
import { DEMO_PRICE_LISTS, demoEntries } from './demo-price-lists';

export interface PricedArticle {
  variantId: number;
  /** 1-based article number in the generated catalog (SKU-000123 → 123). */
  index: number;
  categoryPath: readonly string[];
  listPriceMinor: number;
}

/**
 * Demo prices: EUR list prices for every generated article and the demo price lists the demo
 * tenants reference. Idempotent: list prices are upserted, a batch's entries replaced.
 */
@Injectable()
export class PricingSeeder {
  constructor(
    private readonly db: TenantDb,
    private readonly changes: PriceChangeService,
  ) {}

  /** Creates (or updates) the demo price lists; returns code → id. */
  async ensurePriceLists(em?: EntityManager): Promise<Map<string, number>> {
    const run = async (m: EntityManager) => {
      const ids = new Map<string, number>();
      for (const list of DEMO_PRICE_LISTS) {
        const [row] = (await m.query(
          `INSERT INTO price_list (code, name, currency) VALUES ($1, $2, $3)
           ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
          [list.code, list.name, list.currency],
        )) as Array<{ id: number }>;
        ids.set(list.code, row.id);
      }
      return ids;
    };
    return em ? run(em) : this.db.global(run);
  }

  /**
   * Demo contract prices for every company of the given tenants: every fifth article of the
   * tenant's assortment at 15 % below list, and 20 % below from 25 pieces. Run after the
   * tenants are synced (companies and assortments exist); bumps the tenants' versions.
   */
  async seedContracts(tenantIds: readonly string[]): Promise<number> {
    if (tenantIds.length === 0) return 0;
    const { count, changed } = await this.db.maintenance(async (em) => {
      const rows = (await em.query(
        `INSERT INTO contract_price (tenant_id, company_id, variant_id, min_quantity, amount_minor, currency)
         SELECT c.tenant_id, c.id, tv.variant_id, q.min_quantity, round(lp.amount_minor * q.factor)::bigint, t.currency
         FROM company c
         JOIN tenant t ON t.id = c.tenant_id
         JOIN tenant_variant tv ON tv.tenant_id = c.tenant_id
         JOIN list_price lp ON lp.variant_id = tv.variant_id AND lp.currency = t.currency
         CROSS JOIN (VALUES (1, 0.85), (25, 0.80)) AS q(min_quantity, factor)
         WHERE c.tenant_id = ANY($1::uuid[]) AND tv.variant_id % 5 = 0
         ON CONFLICT (tenant_id, company_id, variant_id, min_quantity, valid_from)
           DO UPDATE SET amount_minor = EXCLUDED.amount_minor, updated_at = now()
         RETURNING 1`,
        [tenantIds],
      )) as unknown[];
      return { count: rows.length, changed: await this.changes.record(em, { tenantIds }) };
    });
    await this.changes.publish(changed);
    return count;
  }

  /**
   * The benchmark's pricing fixture on one tenant: company `bench-contract` with contract
   * prices for the first `variants` articles of the tenant's assortment in two tiers (1 and
   * 25 pieces, so 2 × `variants` contract prices), and company `bench-none` with none. The
   * bench compares the catalog page of the two.
   */
  async seedBenchContracts(tenantId: string, variants = 25_000): Promise<number> {
    const { count, changed } = await this.db.maintenance(async (em) => {
      for (const [code, name] of [
        ['bench-contract', 'Bench company with contract prices'],
        ['bench-none', 'Bench company without contract prices'],
      ])
        await em.query(
          `INSERT INTO company (id, tenant_id, code, name, country) VALUES (${COMPANY_ID_SQL}, $1, $2, $3, 'NL')
           ON CONFLICT (tenant_id, code) DO NOTHING`,
          [tenantId, code, name],
        );
      const rows = (await em.query(
        `INSERT INTO contract_price (tenant_id, company_id, variant_id, min_quantity, amount_minor, currency)
         SELECT $1::uuid, c.id, v.variant_id, q.min_quantity, round(lp.amount_minor * q.factor)::bigint, t.currency
         FROM (SELECT variant_id FROM tenant_variant WHERE tenant_id = $1 ORDER BY variant_id LIMIT $2) v
         JOIN tenant t ON t.id = $1
         JOIN company c ON c.tenant_id = $1 AND c.code = 'bench-contract'
         JOIN list_price lp ON lp.variant_id = v.variant_id AND lp.currency = t.currency
         CROSS JOIN (VALUES (1, 0.90), (25, 0.86)) AS q(min_quantity, factor)
         ON CONFLICT (tenant_id, company_id, variant_id, min_quantity, valid_from)
           DO UPDATE SET amount_minor = EXCLUDED.amount_minor
         RETURNING 1`,
        [tenantId, variants],
      )) as unknown[];
      return {
        count: rows.length,
        changed: await this.changes.record(em, { tenantIds: [tenantId] }),
      };
    });
    await this.changes.publish(changed);
    return count;
  }

  async seedBatch(
    em: EntityManager,
    listIds: Map<string, number>,
    articles: PricedArticle[],
  ): Promise<void> {
    const variantIds = articles.map((a) => a.variantId);
    await em.query(
      `INSERT INTO list_price (variant_id, currency, amount_minor)
       SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[])
       ON CONFLICT (variant_id, currency) DO UPDATE SET amount_minor = EXCLUDED.amount_minor`,
      [variantIds, articles.map(() => 'EUR'), articles.map((a) => a.listPriceMinor)],
    );
    await em.query(
      `DELETE FROM price_list_entry WHERE variant_id = ANY($1::int[]) AND price_list_id = ANY($2::int[])`,
      [variantIds, [...listIds.values()]],
    );
    const rows: {
      list: number[];
      variant: number[];
      qty: number[];
      amount: number[];
      from: Array<string | null>;
    } = { list: [], variant: [], qty: [], amount: [], from: [] };
    for (const list of DEMO_PRICE_LISTS) {
      const listId = listIds.get(list.code) as number;
      for (const a of articles) {
        for (const e of demoEntries(list, a.index, a.categoryPath, a.listPriceMinor)) {
          rows.list.push(listId);
          rows.variant.push(a.variantId);
          rows.qty.push(e.minQuantity);
          rows.amount.push(e.amountMinor);
          rows.from.push(list.validFrom);
        }
      }
    }
    if (rows.list.length) {
      await em.query(
        `INSERT INTO price_list_entry (price_list_id, variant_id, min_quantity, amount_minor, valid_from)
         SELECT l, v, q, a, coalesce(f, '-infinity')
         FROM unnest($1::int[], $2::int[], $3::int[], $4::bigint[], $5::timestamptz[]) AS x(l, v, q, a, f)`,
        [rows.list, rows.variant, rows.qty, rows.amount, rows.from],
      );
    }
  }
}
