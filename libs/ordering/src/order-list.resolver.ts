import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, type TenantContext } from '@vitrine/tenancy';
import { toAddLinesResult } from './cart.resolver';
import { AddLinesResultType, CartLineInput } from './cart.types';
import { OrderListService } from './order-list.service';
import { OrderListType } from './order-list.types';

/** Saved order lists. Thin: the rules are in OrderListService. */
@Resolver(() => OrderListType)
export class OrderListResolver {
  constructor(private readonly service: OrderListService) {}

  @Allow('MANAGE_CART')
  @Query(() => [OrderListType], { description: 'Your lists and the lists shared in your company.' })
  orderLists(@Ctx() ctx: TenantContext): Promise<OrderListType[]> {
    return this.service.lists(ctx);
  }

  @Allow('MANAGE_CART')
  @Query(() => OrderListType, { nullable: true })
  orderList(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<OrderListType | null> {
    return this.service.list(ctx, id);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => OrderListType)
  createOrderList(
    @Ctx() ctx: TenantContext,
    @Args('name') name: string,
    @Args('shared', { defaultValue: false }) shared: boolean,
    @Args('lines', { type: () => [CartLineInput], defaultValue: [] }) lines: CartLineInput[],
  ): Promise<OrderListType> {
    return this.service.create(ctx, name, shared, lines);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => OrderListType, { description: 'Saves the cart as a new list.' })
  saveCartAsOrderList(
    @Ctx() ctx: TenantContext,
    @Args('name') name: string,
    @Args('shared', { defaultValue: false }) shared: boolean,
  ): Promise<OrderListType> {
    return this.service.fromCart(ctx, name, shared);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => OrderListType)
  updateOrderList(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('name', { type: () => String, nullable: true }) name: string | null,
    @Args('shared', { type: () => Boolean, nullable: true }) shared: boolean | null,
  ): Promise<OrderListType> {
    return this.service.update(ctx, id, { name, shared });
  }

  @Allow('MANAGE_CART')
  @Mutation(() => OrderListType, { description: 'Sets the quantity of a line; 0 removes it.' })
  setOrderListLine(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('sku') sku: string,
    @Args('quantity', { type: () => Int }) quantity: number,
  ): Promise<OrderListType> {
    return this.service.setLine(ctx, id, sku, quantity);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => Boolean)
  deleteOrderList(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    return this.service.remove(ctx, id);
  }

  @Allow('MANAGE_CART')
  @Mutation(() => AddLinesResultType, {
    description: 'Adds every line of the list to your cart; unavailable lines are reported.',
  })
  async addOrderListToCart(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AddLinesResultType> {
    return toAddLinesResult(ctx, await this.service.addToCart(ctx, id));
  }
}
