import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { normalizeSku, type TaxCategory } from '@vitrine/catalog';
import { prepared, TenantDb } from '@vitrine/database';
import { VitrineError, type MessageParams, type MessageRef } from '@vitrine/errors';
import {
  LinePricingService,
  MAX_QUANTITY,
  PriceService,
  type LineToPrice,
  type PricedLines,
} from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { OrderTotalsService, type OrderTotals } from './order-totals.service';

/** An article as the cart needs it: identity, ordering rules, and what pricing needs. */
export interface CartArticle {
  variantId: number;
  sku: string;
  name: string;
  orderMultiple: number;
  minOrderQuantity: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  stockOnHand: number;
  categoryPath: string[];
  taxCategory: TaxCategory;
  weightGrams: number | null;
  volumeMl: number | null;
}

export interface CartLineView extends CartArticle {
  quantity: number;
}

export interface CartView {
  lines: CartLineView[];
  priced: PricedLines;
  /** Shipping and totals to the default ship-to address; null when unknown (no address, no rate). */
  estimate: OrderTotals | null;
}

export interface RejectedLine {
  sku: string;
  /** In English, as the API reports it. */
  reason: string;
  /** The reason by key and parameters, for pages in another language. */
  key: string;
  params: MessageParams;
}

/** Quick order accepts at most this many lines at once. */
export const MAX_LINES = 500;

/**
 * The user's one active cart. Lines are variants of the tenant's assortment with a quantity that
 * respects the article's minimum and order multiple; prices are never stored, they come from the
 * pricing engine each time the cart is shown (and again at checkout). Adding many lines at once
 * (quick order) reports every refused line with its reason and adds the rest, in one unit of work.
 */
@Injectable()
export class CartService {
  constructor(
    private readonly db: TenantDb,
    private readonly prices: PriceService,
    private readonly lines: LinePricingService,
    private readonly totals: OrderTotalsService,
  ) {}

  async view(ctx: TenantContext): Promise<CartView | null> {
    const userId = userOf(ctx);
    const read = await this.db.run(ctx, async (em) => ({
      lines: await this.currentLines(em, ctx, userId),
      country: await this.shipToCountry(em, ctx),
    }));
    return read.lines === null ? null : this.price(ctx, read.lines, read.country);
  }

  /** Adds quantities to the cart (to what is there already); refused lines are reported. */
  async add(
    ctx: TenantContext,
    input: ReadonlyArray<{ sku: string; quantity: number }>,
  ): Promise<{ cart: CartView; rejected: RejectedLine[] }> {
    if (input.length === 0)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'cart.noLines',
        {},
        'Add at least one line.',
      );
    if (input.length > MAX_LINES)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'cart.tooManyLines',
        { max: MAX_LINES },
        `At most ${MAX_LINES} lines at once; split the list.`,
      );
    const userId = userOf(ctx);
    const skus = input.map((l) => normalizeSku(l.sku));
    // One unit of work, five round trips: the cart row first (it serializes this user's cart
    // changes: what is read next is what the write builds on), then the articles asked for, the
    // cart's lines and the ship-to country in one statement, prices (from the cache; a miss is
    // read in this unit), and the write that answers with the cart as it now is.
    const result = await this.db.run(ctx, async (em) => {
      const cartId = await this.cartId(em, ctx, userId);
      const state = await this.state(em, ctx, cartId, skus);
      const pricing = await this.prices.pricingData(
        ctx,
        [...state.articles.values()].map((a) => a.variantId),
        em,
      );
      const current = new Map(state.lines.map((l) => [l.variantId, l.quantity]));
      const rejected: RejectedLine[] = [];
      const wanted = new Map<number, number>();
      input.forEach((line, i) => {
        const sku = skus[i];
        const article = state.articles.get(sku);
        const data = article ? pricing.get(article.variantId) : undefined;
        const total = article
          ? (wanted.get(article.variantId) ?? current.get(article.variantId) ?? 0) + line.quantity
          : 0;
        const problem: LineProblem | null = !article
          ? {
              key: 'cart.problem.unknown',
              params: { sku: sku || '(empty)' },
              text: `${sku || '(empty)'} is not an article of this shop.`,
            }
          : (quantityProblemOf(article, total, line.quantity) ??
            (!data || !this.prices.resolve(ctx, data, total, article.categoryPath)
              ? {
                  key: 'cart.problem.noPrice',
                  params: { sku },
                  text: `${sku} has no price for you; ask for a quote.`,
                }
              : null));
        if (problem || !article) {
          const { key, params, text } = problem as LineProblem;
          rejected.push({ sku: line.sku, reason: text, key, params });
          return;
        }
        wanted.set(article.variantId, total);
      });
      const lines = wanted.size ? await this.writeLines(em, ctx, cartId, wanted) : state.lines;
      return { lines, country: state.country, rejected };
    });
    return {
      cart: await this.price(ctx, result.lines, result.country),
      rejected: result.rejected,
    };
  }

  /**
   * The articles of `skus` in the assortment, the cart's lines (oldest first) and the country of
   * the company's default ship-to address: one statement.
   */
  private async state(
    em: EntityManager,
    ctx: TenantContext,
    cartId: string,
    skus: string[],
  ): Promise<{
    articles: Map<string, CartArticle>;
    lines: CartLineView[];
    country: string | null;
  }> {
    const rows = (await em.query(
      prepared(`${ARTICLE_SELECT}, NULL::int AS quantity, 0 AS part, NULL::timestamptz AS added_at,
              ${SHIP_TO_COUNTRY} AS country
         FROM variant v
         JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
         ${ARTICLE_JOINS}
        WHERE v.sku = ANY($3::text[])
       UNION ALL
       ${ARTICLE_SELECT}, cl.quantity, 1, cl.added_at, ${SHIP_TO_COUNTRY}
         FROM cart_line cl
         JOIN tenant_variant tv ON tv.tenant_id = cl.tenant_id AND tv.variant_id = cl.variant_id
         JOIN variant v ON v.id = tv.variant_id
         ${ARTICLE_JOINS}
        WHERE cl.tenant_id = $1 AND cl.cart_id = $4
       ORDER BY part, added_at, sku`),
      [ctx.tenantId, ctx.locale, [...new Set(skus)], cartId, ctx.user?.company?.id ?? null],
    )) as Array<ArticleRow & { quantity: number | null; part: number; country: string | null }>;
    const articles = new Map<string, CartArticle>();
    const lines: CartLineView[] = [];
    for (const r of rows) {
      if (r.part === 0) articles.set(r.sku, toArticle(r));
      else lines.push({ ...toArticle(r), quantity: r.quantity as number });
    }
    return { articles, lines, country: rows[0]?.country?.trim() ?? null };
  }

  /**
   * Writes the quantities of `wanted` (variant id → the line's new quantity) and answers with
   * the cart's lines as they now are, oldest first, in the same statement: the written rows as
   * the insert returns them, the others as they were (this unit holds the cart's row lock).
   * The unit's last statement: sent with its COMMIT.
   */
  private async writeLines(
    em: EntityManager,
    ctx: TenantContext,
    cartId: string,
    wanted: ReadonlyMap<number, number>,
  ): Promise<CartLineView[]> {
    const rows = await this.db.commitWith<ArticleRow & { quantity: number }>(
      em,
      prepared(`WITH written AS (
         INSERT INTO cart_line (tenant_id, cart_id, variant_id, quantity)
         SELECT $1, $3, v, q FROM unnest($4::int[], $5::int[]) AS x(v, q)
         ON CONFLICT (tenant_id, cart_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity
         RETURNING variant_id, quantity, added_at),
       cl AS (
         SELECT variant_id, quantity, added_at FROM written
         UNION ALL
         SELECT variant_id, quantity, added_at FROM cart_line
          WHERE tenant_id = $1 AND cart_id = $3 AND variant_id <> ALL($4::int[]))
       ${ARTICLE_SELECT}, cl.quantity
         FROM cl
         JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = cl.variant_id
         JOIN variant v ON v.id = tv.variant_id
         ${ARTICLE_JOINS}
        ORDER BY cl.added_at, v.sku`),
      [ctx.tenantId, ctx.locale, cartId, [...wanted.keys()], [...wanted.values()]],
    );
    return rows.map((r) => ({ ...toArticle(r), quantity: r.quantity }));
  }

  /** Sets a line's quantity; 0 removes it. */
  async update(ctx: TenantContext, skuText: string, quantity: number): Promise<CartView> {
    const userId = userOf(ctx);
    const sku = normalizeSku(skuText);
    const lines = await this.db.run(ctx, async (em) => {
      const cartId = await this.cartId(em, ctx, userId);
      const article = (await this.articles(em, ctx, [sku])).get(sku);
      if (!article)
        throw VitrineError.withMessage(
          'NOT_FOUND',
          'cart.problem.unknown',
          { sku: sku || '(empty)' },
          `${sku || '(empty)'} is not an article of this shop.`,
        );
      if (quantity === 0) {
        await em.query(
          `DELETE FROM cart_line WHERE tenant_id = $1 AND cart_id = $2 AND variant_id = $3`,
          [ctx.tenantId, cartId, article.variantId],
        );
      } else {
        const problem = quantityProblemOf(article, quantity, quantity);
        if (problem)
          throw VitrineError.withMessage(
            'BAD_USER_INPUT',
            problem.key,
            problem.params,
            problem.text,
            {
              sku,
              argument: 'quantity',
            },
          );
        await em.query(
          `INSERT INTO cart_line (tenant_id, cart_id, variant_id, quantity) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, cart_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
          [ctx.tenantId, cartId, article.variantId, quantity],
        );
      }
      return {
        lines: (await this.currentLines(em, ctx, userId)) ?? [],
        country: await this.shipToCountry(em, ctx),
      };
    });
    return this.price(ctx, lines.lines, lines.country);
  }

  private async price(
    ctx: TenantContext,
    lines: CartLineView[],
    country: string | null,
  ): Promise<CartView> {
    const priced = await this.lines.price(ctx, lines.map(lineToPrice), {
      shipToCountry: country ?? undefined,
    });
    let estimate: OrderTotals | null = null;
    if (country && lines.length)
      try {
        estimate = this.totals.compute(ctx, lines, priced, country);
      } catch (err) {
        // No rate covers the cart: checkout says why; the cart shows shipping as unknown.
        if (!(err instanceof VitrineError && err.code === 'SHIPPING_UNAVAILABLE')) throw err;
      }
    return { lines, priced, estimate };
  }

  /** Country of the company's default ship-to address, or null (no company, no address). */
  private async shipToCountry(em: EntityManager, ctx: TenantContext): Promise<string | null> {
    const companyId = ctx.user?.company?.id;
    if (!companyId) return null;
    const [row] = (await em.query(
      `SELECT country FROM company_address
        WHERE tenant_id = $1 AND company_id = $2 AND kind = 'SHIPPING'
        ORDER BY is_default DESC, created_at LIMIT 1`,
      [ctx.tenantId, companyId],
    )) as Array<{ country: string }>;
    return row ? row.country.trim() : null;
  }

  private async cartId(em: EntityManager, ctx: TenantContext, userId: string): Promise<string> {
    const rows = (await em.query(
      prepared(`INSERT INTO cart (tenant_id, user_id) VALUES ($1, $2)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET updated_at = now() RETURNING id`),
      [ctx.tenantId, userId],
    )) as Array<{ id: string }>;
    return rows[0].id;
  }

  /** The cart's lines still in the assortment, oldest first; null when the user has no cart. */
  async currentLines(
    em: EntityManager,
    ctx: TenantContext,
    userId: string,
  ): Promise<CartLineView[] | null> {
    // One statement: the cart, and its lines if any (a cart without lines is one row of NULLs).
    const rows = (await em.query(
      prepared(`SELECT l.*
         FROM cart ct
         LEFT JOIN LATERAL (
           ${ARTICLE_SELECT}, cl.quantity, cl.added_at
             FROM cart_line cl
             JOIN tenant_variant tv ON tv.tenant_id = cl.tenant_id AND tv.variant_id = cl.variant_id
             JOIN variant v ON v.id = tv.variant_id
             ${ARTICLE_JOINS}
            WHERE cl.tenant_id = ct.tenant_id AND cl.cart_id = ct.id) l ON true
        WHERE ct.tenant_id = $1 AND ct.user_id = $3
        ORDER BY l.added_at, l.sku`),
      [ctx.tenantId, ctx.locale, userId],
    )) as Array<ArticleRow & { quantity: number }>;
    if (rows.length === 0) return null;
    return rows
      .filter((r) => r.variant_id !== null)
      .map((r) => ({ ...toArticle(r), quantity: r.quantity }));
  }

  /** Articles of the tenant's assortment by SKU. */
  async articles(
    em: EntityManager,
    ctx: TenantContext,
    skus: string[],
  ): Promise<Map<string, CartArticle>> {
    const rows = (await em.query(
      `${ARTICLE_SELECT}
       FROM variant v
       JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
       ${ARTICLE_JOINS}
       WHERE v.sku = ANY($3::text[])`,
      [ctx.tenantId, ctx.locale, [...new Set(skus)]],
    )) as ArticleRow[];
    return new Map(rows.map((r) => [r.sku, toArticle(r)]));
  }
}

const ARTICLE_SELECT = `SELECT v.id AS variant_id, v.sku, coalesce(v.names->>$2, v.names->>'nl', v.names->>'en', v.sku) AS name,
  v.order_multiple, v.min_order_quantity, v.status, v.stock_on_hand, v.tax_category, c.path AS category_path,
  v.weight_grams, v.volume_ml`;
/** Country of the default ship-to address of the company `$5` (NULL: none, or no company). */
const SHIP_TO_COUNTRY = `(SELECT a.country FROM company_address a
   WHERE a.tenant_id = $1 AND a.company_id = $5::uuid AND a.kind = 'SHIPPING'
   ORDER BY a.is_default DESC, a.created_at LIMIT 1)`;
/** Product and category of `v` (for the category path discount rules match on). */
const ARTICLE_JOINS = `JOIN product p ON p.id = v.product_id
  LEFT JOIN category c ON c.id = p.category_id`;

interface ArticleRow {
  variant_id: number;
  sku: string;
  name: string;
  order_multiple: number;
  min_order_quantity: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  stock_on_hand: number;
  tax_category: TaxCategory;
  category_path: string | null;
  weight_grams: number | null;
  volume_ml: number | null;
}

function toArticle(r: ArticleRow): CartArticle {
  return {
    variantId: r.variant_id,
    sku: r.sku,
    name: r.name,
    orderMultiple: r.order_multiple,
    minOrderQuantity: r.min_order_quantity,
    status: r.status,
    stockOnHand: r.stock_on_hand,
    categoryPath: r.category_path ? r.category_path.split('/') : [],
    taxCategory: r.tax_category,
    weightGrams: r.weight_grams,
    volumeMl: r.volume_ml,
  };
}

/** What the pricing engine needs of a line. */
export function lineToPrice(
  l: Pick<CartLineView, 'variantId' | 'sku' | 'categoryPath' | 'taxCategory' | 'quantity'>,
): LineToPrice {
  return {
    variant: {
      id: l.variantId,
      sku: l.sku,
      categoryPath: l.categoryPath,
      taxCategory: l.taxCategory,
    },
    quantity: l.quantity,
  };
}

/** Why a line is refused: the English text and the same by key, for localized pages. */
export interface LineProblem extends MessageRef {
  text: string;
}

/**
 * Why a quantity cannot be in the cart, or null. `added` is what this request asked for. With
 * `checkStock` false, stock is left to checkout, which reserves it under a lock (OUT_OF_STOCK).
 */
export function quantityProblem(
  article: CartArticle,
  total: number,
  added: number,
  checkStock = true,
): string | null {
  return quantityProblemOf(article, total, added, checkStock)?.text ?? null;
}

/** {@link quantityProblem} with its message key and parameters. */
export function quantityProblemOf(
  article: CartArticle,
  total: number,
  added: number,
  checkStock = true,
): LineProblem | null {
  const sku = article.sku;
  if (!Number.isInteger(added) || added < 1 || total > MAX_QUANTITY)
    return problem(
      'cart.problem.quantity',
      { sku, max: MAX_QUANTITY, added },
      `The quantity of ${sku} must be a whole number from 1 to ${MAX_QUANTITY}; got ${added}.`,
    );
  if (checkStock && article.status === 'DISCONTINUED' && article.stockOnHand < total)
    return problem(
      'cart.problem.discontinued',
      { sku, left: article.stockOnHand },
      `${sku} is discontinued; ${article.stockOnHand} left.`,
    );
  // Orders reserve stock and backorders are not taken: refuse what checkout would refuse.
  if (checkStock && article.stockOnHand < total)
    return article.stockOnHand === 0
      ? problem('cart.problem.outOfStock', { sku }, `${sku} is out of stock.`)
      : problem(
          'cart.problem.lowStock',
          { sku, stock: article.stockOnHand, total },
          `${sku}: only ${article.stockOnHand} in stock; the cart would hold ${total}.`,
        );
  if (total < article.minOrderQuantity)
    return problem(
      'cart.problem.minimum',
      { sku, minimum: article.minOrderQuantity, total },
      `${sku} is sold from ${article.minOrderQuantity} pieces; the cart would hold ${total}.`,
    );
  if (total % article.orderMultiple !== 0)
    return problem(
      'cart.problem.multiple',
      { sku, multiple: article.orderMultiple, total },
      `${sku} is sold in multiples of ${article.orderMultiple}; the cart would hold ${total}.`,
    );
  return null;
}

function problem(key: string, params: MessageParams, text: string): LineProblem {
  return { key, params, text };
}

function userOf(ctx: TenantContext): string {
  if (!ctx.user) throw new VitrineError('UNAUTHENTICATED', 'Please sign in to use a cart.');
  return ctx.user.id;
}
