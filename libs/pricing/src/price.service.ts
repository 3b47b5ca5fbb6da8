import { Injectable } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import {
  resolvePrice,
  tierPrices,
  type PricingData,
  type PriceRules,
  type ResolvedPrice,
  type Tier,
} from './price-resolution';

export const MAX_QUANTITY = 1_000_000;

/**
 * Prices for the storefront and, later, carts and orders: one engine, so a buyer never sees one
 * price on the product page and another in the cart. Data for many variants is loaded in one
 * statement (DataLoader batches); resolution itself is the pure `resolvePrice`.
 */
@Injectable()
export class PriceService {
  constructor(private readonly db: TenantDb) {}

  /** List price and price-list entries of the request's price context, for many variants at once. */
  async pricingData(
    ctx: TenantContext,
    variantIds: readonly number[],
  ): Promise<Map<number, PricingData>> {
    const rows = await this.db.query<{
      variant_id: number;
      list_minor: string | null;
      entries: RawEntry[];
    }>(
      // Correlated subqueries: a few index probes per variant, whatever the size of the tables.
      `SELECT v.id AS variant_id,
              (SELECT lp.amount_minor FROM list_price lp WHERE lp.variant_id = v.id AND lp.currency = $2) AS list_minor,
              (SELECT coalesce(json_agg(json_build_object('l', e.price_list_id, 'q', e.min_quantity,
                        'a', e.amount_minor::text, 'f', e.valid_from, 'u', e.valid_until)), '[]')
                 FROM price_list_entry e
                WHERE e.variant_id = v.id AND e.price_list_id = ANY($3::int[])) AS entries
       FROM unnest($1::int[]) AS v(id)`,
      [variantIds, ctx.priceContext.currency, ctx.priceContext.priceListIds],
    );
    return new Map(
      rows.map((r) => [
        r.variant_id,
        {
          listPriceMinor: r.list_minor == null ? null : toMinor(r.list_minor),
          entries: r.entries.map((e) => ({
            priceListId: e.l,
            minQuantity: e.q,
            amountMinor: toMinor(e.a),
            validFrom: e.f ? new Date(e.f) : null,
            validUntil: e.u ? new Date(e.u) : null,
          })),
        },
      ]),
    );
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

  tiers(ctx: TenantContext, data: PricingData, at = new Date()): Tier[] {
    return tierPrices(data, this.rules(ctx), at);
  }

  /**
   * Whether this viewer may see prices. Everyone may until accounts exist; then anonymous
   * visitors of login-only sites and users without the price permission get null prices.
   */
  canSeePrices(_ctx: TenantContext): boolean {
    return true;
  }
}

interface RawEntry {
  l: number;
  q: number;
  a: string;
  f: string | null;
  u: string | null;
}

function toMinor(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`Stored amount ${value} is not a safe integer`);
  return n;
}

export function checkQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw VitrineError.badInput(
      `\`quantity\` must be a whole number from 1 to ${MAX_QUANTITY}; got ${quantity}.`,
      { argument: 'quantity' },
    );
  }
}
