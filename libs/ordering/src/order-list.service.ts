import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { normalizeSku } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { MAX_QUANTITY } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { CartService, MAX_LINES, type CartView, type RejectedLine } from './cart.service';
import { buyerOf } from './order-draft.service';

export interface OrderListView {
  id: string;
  name: string;
  shared: boolean;
  ownerName: string;
  mine: boolean;
  updatedAt: Date;
  lines: Array<{ sku: string; name: string; quantity: number }>;
}

const MAX_LISTS = 200;

/**
 * Saved order lists ("monthly site supplies"): a user's own, or shared with the whole company.
 * Anyone in the company may use a shared list; only its owner changes or deletes it. Lines are
 * articles of the assortment and a quantity; a whole list goes into the cart in one call, with
 * the cart's rules (minimums, multiples, prices) applied and refused lines reported.
 */
@Injectable()
export class OrderListService {
  constructor(
    private readonly db: TenantDb,
    private readonly carts: CartService,
  ) {}

  async lists(ctx: TenantContext): Promise<OrderListView[]> {
    return this.db.run(ctx, (em) => this.read(em, ctx, null));
  }

  async list(ctx: TenantContext, id: string): Promise<OrderListView | null> {
    if (!isUuid(id)) return null;
    return this.db.run(ctx, async (em) => (await this.read(em, ctx, id))[0] ?? null);
  }

  async create(
    ctx: TenantContext,
    name: string,
    shared: boolean,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
  ): Promise<OrderListView> {
    const { userId, companyId } = buyerOf(ctx);
    const title = checkName(name);
    const id = await this.db.run(ctx, async (em) => {
      const [{ n }] = (await em.query(
        `SELECT count(*)::int AS n FROM order_list WHERE tenant_id = $1 AND owner_id = $2`,
        [ctx.tenantId, userId],
      )) as Array<{ n: number }>;
      if (n >= MAX_LISTS)
        throw VitrineError.badInput(`You have ${MAX_LISTS} lists already; delete one first.`);
      const [{ id }] = (await em.query(
        `INSERT INTO order_list (tenant_id, company_id, owner_id, name, shared)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [ctx.tenantId, companyId, userId, title, shared],
      )) as Array<{ id: string }>;
      await this.setLines(em, ctx, id, lines);
      return id;
    });
    return (await this.list(ctx, id)) as OrderListView;
  }

  /** The cart as a new list. */
  async fromCart(ctx: TenantContext, name: string, shared: boolean): Promise<OrderListView> {
    const { userId } = buyerOf(ctx);
    const lines = await this.db.run(ctx, (em) => this.carts.currentLines(em, ctx, userId));
    if (!lines?.length)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'lists.emptyCart',
        {},
        'Your cart is empty; nothing to save.',
      );
    return this.create(
      ctx,
      name,
      shared,
      lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    );
  }

  async update(
    ctx: TenantContext,
    id: string,
    changes: { name?: string | null; shared?: boolean | null },
  ): Promise<OrderListView> {
    await this.db.run(ctx, async (em) => {
      await this.owned(em, ctx, id);
      await em.query(
        `UPDATE order_list SET name = coalesce($3, name), shared = coalesce($4, shared), updated_at = now()
          WHERE tenant_id = $1 AND id = $2`,
        [
          ctx.tenantId,
          id,
          changes.name == null ? null : checkName(changes.name),
          changes.shared ?? null,
        ],
      );
    });
    return (await this.list(ctx, id)) as OrderListView;
  }

  /** Sets a line's quantity; 0 removes it. */
  async setLine(
    ctx: TenantContext,
    id: string,
    sku: string,
    quantity: number,
  ): Promise<OrderListView> {
    await this.db.run(ctx, async (em) => {
      await this.owned(em, ctx, id);
      await this.setLines(em, ctx, id, [{ sku, quantity }], true);
    });
    return (await this.list(ctx, id)) as OrderListView;
  }

  async remove(ctx: TenantContext, id: string): Promise<boolean> {
    return this.db.run(ctx, async (em) => {
      await this.owned(em, ctx, id);
      await em.query(`DELETE FROM order_list WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, id]);
      return true;
    });
  }

  async addToCart(
    ctx: TenantContext,
    id: string,
  ): Promise<{ cart: CartView; rejected: RejectedLine[] }> {
    const list = await this.list(ctx, id);
    if (!list) throw VitrineError.notFound(`You have no order list ${id}.`);
    if (list.lines.length === 0)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'lists.empty',
        { name: list.name },
        `The list "${list.name}" is empty.`,
      );
    return this.carts.add(
      ctx,
      list.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    );
  }

  /** The lists the user may see: own, and shared ones of the company. */
  private async read(
    em: EntityManager,
    ctx: TenantContext,
    id: string | null,
  ): Promise<OrderListView[]> {
    const { userId, companyId } = buyerOf(ctx);
    const lists = (await em.query(
      `SELECT l.id, l.name, l.shared, l.owner_id, l.updated_at, u.name AS owner_name
         FROM order_list l JOIN app_user u ON u.tenant_id = l.tenant_id AND u.id = l.owner_id
        WHERE l.tenant_id = $1 AND l.company_id = $2 AND (l.owner_id = $3 OR l.shared)
          AND ($4::uuid IS NULL OR l.id = $4)
        ORDER BY lower(l.name), l.id`,
      [ctx.tenantId, companyId, userId, id],
    )) as Array<{
      id: string;
      name: string;
      shared: boolean;
      owner_id: string;
      updated_at: Date;
      owner_name: string;
    }>;
    if (lists.length === 0) return [];
    const lines = (await em.query(
      `SELECT ll.list_id, v.sku, coalesce(v.names->>$3, v.names->>'nl', v.names->>'en', v.sku) AS name, ll.quantity
         FROM order_list_line ll JOIN variant v ON v.id = ll.variant_id
        WHERE ll.tenant_id = $1 AND ll.list_id = ANY($2::uuid[])
        ORDER BY ll.added_at, v.sku`,
      [ctx.tenantId, lists.map((l) => l.id), ctx.locale],
    )) as Array<{ list_id: string; sku: string; name: string; quantity: number }>;
    return lists.map((l) => ({
      id: l.id,
      name: l.name,
      shared: l.shared,
      ownerName: l.owner_name,
      mine: l.owner_id === userId,
      updatedAt: new Date(l.updated_at),
      lines: lines
        .filter((x) => x.list_id === l.id)
        .map((x) => ({ sku: x.sku, name: x.name, quantity: x.quantity })),
    }));
  }

  /** The list, locked, when the user owns it; NOT_FOUND or FORBIDDEN otherwise. */
  private async owned(em: EntityManager, ctx: TenantContext, id: string): Promise<void> {
    const { userId, companyId } = buyerOf(ctx);
    const [list] = isUuid(id)
      ? ((await em.query(
          `SELECT owner_id, shared FROM order_list
            WHERE tenant_id = $1 AND company_id = $2 AND id = $3 FOR UPDATE`,
          [ctx.tenantId, companyId, id],
        )) as Array<{ owner_id: string; shared: boolean }>)
      : [];
    if (!list || (list.owner_id !== userId && !list.shared))
      throw VitrineError.notFound(`You have no order list ${id}.`);
    if (list.owner_id !== userId)
      throw new VitrineError('FORBIDDEN', 'Only the owner of a shared list may change it.');
  }

  /** Writes lines (adding to or, with `replace`, setting quantities); unknown SKUs are refused. */
  private async setLines(
    em: EntityManager,
    ctx: TenantContext,
    listId: string,
    lines: ReadonlyArray<{ sku: string; quantity: number }>,
    replace = false,
  ): Promise<void> {
    if (lines.length > MAX_LINES)
      throw VitrineError.badInput(`A list has at most ${MAX_LINES} lines.`);
    const skus = lines.map((l) => normalizeSku(l.sku));
    const articles = await this.carts.articles(em, ctx, skus);
    const unknown = skus.filter((s) => !articles.has(s));
    if (unknown.length)
      throw VitrineError.badInput(`Not articles of this shop: ${unknown.join(', ')}.`, {
        skus: unknown,
      });
    const wanted = new Map<number, number>();
    for (const [i, line] of lines.entries()) {
      const min = replace ? 0 : 1;
      if (!Number.isInteger(line.quantity) || line.quantity < min || line.quantity > MAX_QUANTITY)
        throw VitrineError.badInput(
          `The quantity of ${skus[i]} must be a whole number from ${min} to ${MAX_QUANTITY}; got ${line.quantity}.`,
          { sku: skus[i] },
        );
      const v = articles.get(skus[i])!.variantId;
      wanted.set(v, (replace ? 0 : (wanted.get(v) ?? 0)) + line.quantity);
    }
    const remove = [...wanted].filter(([, q]) => q === 0).map(([v]) => v);
    const keep = [...wanted].filter(([, q]) => q > 0);
    if (remove.length)
      await em.query(
        `DELETE FROM order_list_line WHERE tenant_id = $1 AND list_id = $2 AND variant_id = ANY($3::int[])`,
        [ctx.tenantId, listId, remove],
      );
    if (keep.length)
      await em.query(
        `INSERT INTO order_list_line (tenant_id, list_id, variant_id, quantity)
         SELECT $1, $2, v, q FROM unnest($3::int[], $4::int[]) AS x(v, q)
         ON CONFLICT (tenant_id, list_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity`,
        [ctx.tenantId, listId, keep.map(([v]) => v), keep.map(([, q]) => q)],
      );
    await em.query(`UPDATE order_list SET updated_at = now() WHERE tenant_id = $1 AND id = $2`, [
      ctx.tenantId,
      listId,
    ]);
  }
}

function checkName(name: string): string {
  const title = name.trim();
  if (!title || title.length > 120)
    throw VitrineError.badInput('A list needs a name of 1 to 120 characters.', {
      argument: 'name',
    });
  return title;
}

function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
