import { Injectable } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { CartService, type CartView, type RejectedLine } from './cart.service';
import { decodeTimeCursor, OrderReader, type OrderView } from './order-reader';

const MAX_PAGE = 100;

/**
 * Order history within the caller's company (users with VIEW_COMPANY_ORDERS see every order of
 * the company, others their own), and reordering a past order into the cart.
 */
@Injectable()
export class OrderQueryService {
  constructor(
    private readonly db: TenantDb,
    private readonly carts: CartService,
  ) {}

  async page(
    ctx: TenantContext,
    first: number,
    after: string | null,
    status: string | null,
  ): Promise<{ views: OrderView[]; cursors: string[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
      throw VitrineError.badInput(`\`first\` must be between 1 and ${MAX_PAGE}.`, {
        argument: 'first',
      });
    const cursor = after ? decodeTimeCursor(after) : null;
    return this.db.run(ctx, (em) =>
      new OrderReader(em).page(ctx, ownOnly(ctx), first, cursor, status),
    );
  }

  async byNumber(ctx: TenantContext, number: string): Promise<OrderView | null> {
    return this.db.run(ctx, (em) => new OrderReader(em).byNumber(ctx, number.trim(), ownOnly(ctx)));
  }

  /** Adds the lines of a past order to the cart at today's prices; unavailable lines are reported. */
  async reorder(
    ctx: TenantContext,
    number: string,
  ): Promise<{ cart: CartView; rejected: RejectedLine[] }> {
    const order = await this.byNumber(ctx, number);
    if (!order)
      throw VitrineError.withMessage(
        'NOT_FOUND',
        'orders.notFound',
        { number },
        `You have no order ${number}.`,
      );
    return this.carts.add(
      ctx,
      order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    );
  }
}

function ownOnly(ctx: TenantContext): boolean {
  return !permissionsOf(ctx.user?.roles ?? []).has('VIEW_COMPANY_ORDERS');
}
