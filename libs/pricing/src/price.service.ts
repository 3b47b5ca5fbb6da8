import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { CACHE_STORE, tenantKey, type CacheStore } from '@vitrine/cache';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { prepared, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TaxCategory } from '@vitrine/catalog';
import type { TenantContext } from '@vitrine/tenancy';
import { minorFromDb } from './money';
import { taxFor, type TaxDecision } from './tax';
import {
  EMPTY_PRICING,
  resolvePrice,
  tierPrices,
  type ListPriceEntry,
  type PriceEntry,
  type PricingData,
  type PriceRules,
  type ResolvedPrice,
  type Tier,
} from './price-resolution';

export const MAX_QUANTITY = 1_000_000;
/** Entries are unreachable after a version bump anyway; the TTL only bounds memory. */
const SHARED_TTL_S = 3600;
/** In-process safety net should an invalidation message ever be missed (as for tenants). */
const LOCAL_TTL_MS = 60_000;

/**
 * Prices for the storefront, carts and orders: one engine, so a buyer never sees one price on
 * the product page and another in the cart.
 *
 * Effective pricing data per (price context, variant) — list price, the context's price-list
 * tiers, the company's contract tiers, all with their validity — is cached in process memory
 * and in the shared cache under `PriceContext.key`, which holds the tenant's version: every
 * price change bumps it (PriceChangeService), so the next request everywhere reads fresh data
 * and stale entries are never looked at again. Resolution (quantity, date) runs per request
 * on the cached data, so a validity period that begins at midnight needs no invalidation.
 * A warm catalog page therefore costs no SQL statement for its prices; a cold one costs one.
 */
@Injectable()
export class PriceService implements OnModuleInit {
  private readonly local = new LRUCache<string, PricingData>({ max: 50_000, ttl: LOCAL_TTL_MS });

  constructor(
    private readonly db: TenantDb,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A seller country whose VAT cannot be decided stops the start, not every price later. */
  onModuleInit(): void {
    const country = this.config.seller.country;
    try {
      taxFor({
        sellerCountry: country,
        shipToCountry: country,
        category: 'standard',
        at: new Date(),
      });
    } catch (err) {
      throw new Error(`VITRINE_SELLER_COUNTRY=${country}: ${(err as Error).message}`);
    }
  }

  /**
   * Pricing data of many variants in the request's price context: memory, shared cache, one
   * statement. Inside a unit of work, pass its manager: a miss is then read there instead of in
   * a unit of its own (which would be refused as nested).
   */
  async pricingData(
    ctx: TenantContext,
    variantIds: readonly number[],
    em?: EntityManager,
  ): Promise<Map<number, PricingData>> {
    const pc = ctx.priceContext;
    const keyOf = (id: number) => tenantKey(ctx.tenantId, 'px', pc.key, pc.currency, id);
    const found = new Map<number, PricingData>();
    let missing: number[] = [];
    for (const id of new Set(variantIds)) {
      const hit = this.local.get(keyOf(id));
      if (hit) found.set(id, hit);
      else missing.push(id);
    }
    if (missing.length && this.cache.kind !== 'memory') {
      const shared = await this.cache.getMany(missing.map(keyOf));
      const still: number[] = [];
      missing.forEach((id, i) => {
        const raw = shared[i];
        if (raw === null) return still.push(id);
        const data = JSON.parse(raw) as PricingData;
        this.local.set(keyOf(id), data);
        found.set(id, data);
      });
      missing = still;
    }
    if (missing.length) {
      const loaded = await this.load(ctx, missing, em);
      const writes: Array<[string, string]> = [];
      for (const id of missing) {
        const data = loaded.get(id) ?? EMPTY_PRICING;
        this.local.set(keyOf(id), data);
        found.set(id, data);
        if (this.cache.kind !== 'memory') writes.push([keyOf(id), JSON.stringify(data)]);
      }
      await this.cache.setMany(writes, SHARED_TTL_S);
    }
    return found;
  }

  rules(ctx: TenantContext): PriceRules {
    return { priceListIds: ctx.priceContext.priceListIds, discount: ctx.priceContext.discount };
  }

  resolve(
    ctx: TenantContext,
    data: PricingData,
    quantity: number,
    categoryPath: readonly string[],
    at = new Date(),
  ): ResolvedPrice | null {
    checkQuantity(quantity);
    return resolvePrice(data, this.rules(ctx), quantity, categoryPath, at);
  }

  tiers(
    ctx: TenantContext,
    data: PricingData,
    categoryPath: readonly string[],
    at = new Date(),
  ): Tier[] {
    return tierPrices(data, this.rules(ctx), categoryPath, at);
  }

  /**
   * The VAT that applies beside a price (prices are excluding VAT), for delivery to the
   * company's country (the seller's for anonymous visitors): rate, rule and legal note.
   */
  tax(
    ctx: TenantContext,
    category: TaxCategory,
    at = new Date(),
    shipToCountry?: string,
  ): TaxDecision {
    const company = ctx.user?.company ?? null;
    return taxFor({
      sellerCountry: this.config.seller.country,
      shipToCountry: shipToCountry ?? company?.country ?? this.config.seller.country,
      category,
      buyerVatId: company?.vatId ?? null,
      at,
    });
  }

  /**
   * Whether this viewer may see prices: signed-in users unless their company admin hid prices
   * from them; anonymous visitors only on a public (prospect) site. Orders price correctly
   * either way — this only decides what is shown.
   */
  canSeePrices(ctx: TenantContext): boolean {
    return ctx.user ? ctx.user.canSeePrices : ctx.tenant.publicBrowsing;
  }

  /**
   * One statement for any number of variants; correlated subqueries make it a few index probes
   * per variant whatever the size of the price tables (a company with 50,000 contract prices
   * costs the same as one with none). Contract prices are tenant-owned: read in the tenant's
   * unit of work, so row-level security applies as well as the explicit filter.
   */
  private async load(
    ctx: TenantContext,
    variantIds: number[],
    em?: EntityManager,
  ): Promise<Map<number, PricingData>> {
    const pc = ctx.priceContext;
    const sql = prepared(`SELECT v.id AS variant_id,
        (SELECT lp.amount_minor::text FROM list_price lp WHERE lp.variant_id = v.id AND lp.currency = $2) AS list_minor,
        (SELECT coalesce(json_agg(json_build_object('l', e.price_list_id, 'q', e.min_quantity, 'a', e.amount_minor::text,
                  'f', ${epochMs('greatest(e.valid_from, pl.valid_from)')}, 'u', ${epochMs('least(e.valid_until, pl.valid_until)')})), '[]')
           FROM price_list_entry e JOIN price_list pl ON pl.id = e.price_list_id
          WHERE e.variant_id = v.id AND e.price_list_id = ANY($3::int[]) AND pl.currency = $2) AS entries,
        ${
          pc.companyId
            ? `(SELECT coalesce(json_agg(json_build_object('q', c.min_quantity, 'a', c.amount_minor::text,
                  'f', ${epochMs('c.valid_from')}, 'u', ${epochMs('c.valid_until')})), '[]')
                 FROM contract_price c
                WHERE c.tenant_id = $4 AND c.company_id = $5 AND c.variant_id = v.id AND c.currency = $2)`
            : `'[]'::json`
        } AS contract
      FROM unnest($1::int[]) AS v(id)`);
    const params: unknown[] = [variantIds, pc.currency, pc.priceListIds];
    let rows: RawRow[];
    if (pc.companyId) params.push(ctx.tenantId, pc.companyId);
    if (em) {
      rows = (await em.query(sql, params)) as RawRow[];
    } else if (pc.companyId) {
      rows = (await this.db.run(ctx, (m) => m.query(sql, params))) as RawRow[];
    } else {
      rows = await this.db.query<RawRow>(sql, params);
    }
    return new Map(
      rows.map((r) => [
        r.variant_id,
        {
          listPriceMinor: r.list_minor == null ? null : minorFromDb(r.list_minor),
          contract: r.contract.map(toEntry),
          entries: r.entries.map((e): ListPriceEntry => ({ priceListId: e.l, ...toEntry(e) })),
        },
      ]),
    );
  }
}

/** A timestamptz as epoch milliseconds in JSON, null for ±infinity (an open end). */
function epochMs(column: string): string {
  return `CASE WHEN isfinite(${column}) THEN (extract(epoch FROM ${column}) * 1000)::bigint END`;
}

interface RawEntry {
  l: number;
  q: number;
  a: string;
  f: number | null;
  u: number | null;
}

interface RawRow {
  variant_id: number;
  list_minor: string | null;
  entries: RawEntry[];
  contract: RawEntry[];
}

function toEntry(e: RawEntry): PriceEntry {
  return { minQuantity: e.q, amountMinor: minorFromDb(e.a), validFrom: e.f, validUntil: e.u };
}

export function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw VitrineError.badInput(
      `\`quantity\` must be a whole number from 1 to ${MAX_QUANTITY}; got ${quantity}.`,
      { argument: 'quantity' },
    );
  }
}
