import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  Allow,
  Ctx,
  RequestContext,
  type GraphQLRequestContext,
  type TenantContext,
} from '@vitrine/tenancy';
import { moneyView } from './money-view';
import { PlaceOrderInput, OrderType } from './order.types';
import { toOrder } from './order.resolver';
import { QuoteService, type QuoteView } from './quote.service';
import { QuoteConnectionType, QuoteRequestInput, QuoteType } from './quote.types';
import { QuoteStatusEnum } from './seller/statuses';

/** Quotes on the storefront. Thin: the rules are in QuoteService. */
@Resolver(() => QuoteType)
export class QuoteResolver {
  constructor(private readonly service: QuoteService) {}

  @Allow('VIEW_ORDERS')
  @Query(() => QuoteConnectionType, { description: "Your company's quotes, newest first." })
  async quotes(
    @Ctx() ctx: TenantContext,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<QuoteConnectionType> {
    const page = await this.service.page(ctx, first, after);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: toQuote(ctx, v) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    };
  }

  @Allow('VIEW_ORDERS')
  @Query(() => QuoteType, { nullable: true })
  async quote(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
  ): Promise<QuoteType | null> {
    const view = await this.service.byNumber(ctx, number);
    return view ? toQuote(ctx, view) : null;
  }

  @Allow('BROWSE')
  @Mutation(() => QuoteType, {
    description:
      'Asks the seller for prices. Signed-in users with REQUEST_QUOTE, or anonymous prospects on a public site (contactEmail required; a few per hour).',
  })
  async requestQuote(
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
    @Args('input') input: QuoteRequestInput,
  ): Promise<QuoteType> {
    return toQuote(ctx, await this.service.request(ctx, input, gql.clientIp));
  }

  @Allow('SUBMIT_ORDER')
  @Mutation(() => OrderType, {
    description:
      'Orders the lines of an offered quote at the offered prices (source QUOTE) until it expires. A retry with the same idempotencyKey returns the first result.',
  })
  async acceptQuote(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
    @Args('idempotencyKey') idempotencyKey: string,
    @Args('input', {
      type: () => PlaceOrderInput,
      nullable: true,
      description: 'PO number, ship-to address, … as for placeOrder.',
    })
    input: PlaceOrderInput | null,
  ): Promise<OrderType> {
    return toOrder(ctx, await this.service.accept(ctx, number, idempotencyKey, input ?? {}));
  }
}

function toQuote(ctx: TenantContext, v: QuoteView): QuoteType {
  const money = moneyView(ctx, v.currency);
  return {
    number: v.number,
    status: v.status as QuoteStatusEnum,
    lines: v.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      offeredUnitPrice: l.offeredUnitMinor === null ? null : money(l.offeredUnitMinor),
    })),
    validUntil: v.validUntil,
    note: v.note,
    contactEmail: v.contactEmail,
    createdAt: v.createdAt,
    orderNumber: v.orderNumber,
  };
}
