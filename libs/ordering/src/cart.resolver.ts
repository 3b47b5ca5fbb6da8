import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { VitrineError } from '@vitrine/errors';
import { Allow, Ctx, type TenantContext } from '@vitrine/tenancy';
import { CartService, type CartView, type RejectedLine } from './cart.service';
import { AddLinesResultType, CartLineInput, CartType } from './cart.types';
import { moneyView } from './money-view';

/** The cart operations of the storefront contract. Thin: the rules are in CartService. */
@Resolver(() => CartType)
export class CartResolver {
  constructor(private readonly carts: CartService) {}

  @Allow('MANAGE_CART')
  @Query(() => CartType, { nullable: true, description: 'Your cart; null before the first line.' })
  async cart(@Ctx() ctx: TenantContext): Promise<CartType | null> {
    const view = await this.carts.view(ctx);
    return view ? toCart(ctx, view) : null;
  }

  @Allow('MANAGE_CART')
  @Mutation(() => CartType)
  async addToCart(
    @Ctx() ctx: TenantContext,
    @Args('sku') sku: string,
    @Args('quantity', { type: () => Int }) quantity: number,
  ): Promise<CartType> {
    const { cart, rejected } = await this.carts.add(ctx, [{ sku, quantity }]);
    if (rejected.length) throw VitrineError.badInput(rejected[0].reason, { sku: rejected[0].sku });
    return toCart(ctx, cart);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => AddLinesResultType, {
    description:
      'Quick order: many lines at once; unknown or unavailable SKUs are reported per line, the rest are added.',
  })
  async addLinesToCart(
    @Ctx() ctx: TenantContext,
    @Args('lines', { type: () => [CartLineInput] }) lines: CartLineInput[],
  ): Promise<AddLinesResultType> {
    return toAddLinesResult(ctx, await this.carts.add(ctx, lines));
  }

  @Allow('MANAGE_CART')
  @Mutation(() => CartType, { description: 'Sets the quantity of a line; 0 removes it.' })
  async updateCartLine(
    @Ctx() ctx: TenantContext,
    @Args('sku') sku: string,
    @Args('quantity', { type: () => Int }) quantity: number,
  ): Promise<CartType> {
    return toCart(ctx, await this.carts.update(ctx, sku, quantity));
  }
}

export function toAddLinesResult(
  ctx: TenantContext,
  result: { cart: CartView; rejected: RejectedLine[] },
): AddLinesResultType {
  return { cart: toCart(ctx, result.cart), rejected: result.rejected };
}

/** The API view of a cart; money fields follow {@link moneyView}. */
function toCart(ctx: TenantContext, view: CartView): CartType {
  const money = moneyView(ctx, view.priced.currency);
  const totals = view.estimate?.totals ?? view.priced.totals;
  return {
    lines: view.lines.map((l, i) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(view.priced.lines[i].unitMinor),
      lineTotal: money(view.priced.lines[i].netMinor),
    })),
    subtotal: money(view.priced.totals.netMinor),
    shipping: view.estimate ? money(view.estimate.shippingMinor) : null,
    tax: money(totals.taxMinor),
    total: money(totals.grossMinor),
  };
}
