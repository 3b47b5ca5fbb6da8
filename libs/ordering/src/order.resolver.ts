import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RoleEnum } from '@vitrine/accounts';
import { Allow, Ctx, type TenantContext } from '@vitrine/tenancy';
import { ApprovalService } from './approval.service';
import { toAddLinesResult } from './cart.resolver';
import { AddLinesResultType } from './cart.types';
import { CheckoutService } from './checkout.service';
import { moneyView } from './money-view';
import { OrderQueryService } from './order-query.service';
import type { OrderView } from './order-reader';
import { OrderConnectionType, OrderStatusEnum, OrderType, PlaceOrderInput } from './order.types';

/** Checkout, approvals and order history. Thin: the rules are in the services. */
@Resolver(() => OrderType)
export class OrderResolver {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly approvals: ApprovalService,
    private readonly queries: OrderQueryService,
  ) {}

  @Allow('VIEW_ORDERS')
  @Query(() => OrderConnectionType, {
    description:
      "Newest first. Your company's orders, or only your own when your roles do not show the company's.",
  })
  async orders(
    @Ctx() ctx: TenantContext,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('status', {
      type: () => OrderStatusEnum,
      nullable: true,
      description: 'Only orders in this status, e.g. PENDING_APPROVAL for approvers.',
    })
    status: OrderStatusEnum | null,
  ): Promise<OrderConnectionType> {
    const page = await this.queries.page(ctx, first, after, status);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: toOrder(ctx, v) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    };
  }

  @Allow('VIEW_ORDERS')
  @Query(() => OrderType, { nullable: true })
  async order(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
  ): Promise<OrderType | null> {
    const view = await this.queries.byNumber(ctx, number);
    return view ? toOrder(ctx, view) : null;
  }

  @Allow('SUBMIT_ORDER')
  @Mutation(() => OrderType, {
    description:
      "Places the order, or submits it for approval when the user's spend limit or the company's rules require it. A retry with the same idempotencyKey returns the first result.",
  })
  async placeOrder(
    @Ctx() ctx: TenantContext,
    @Args('input') input: PlaceOrderInput,
    @Args('idempotencyKey') idempotencyKey: string,
  ): Promise<OrderType> {
    return toOrder(ctx, await this.checkout.placeOrder(ctx, input, idempotencyKey));
  }

  @Allow('APPROVE_ORDER')
  @Mutation(() => OrderType)
  async approveOrder(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
  ): Promise<OrderType> {
    return toOrder(ctx, await this.approvals.approve(ctx, number));
  }

  @Allow('APPROVE_ORDER')
  @Mutation(() => OrderType)
  async rejectOrder(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
    @Args('reason') reason: string,
  ): Promise<OrderType> {
    return toOrder(ctx, await this.approvals.reject(ctx, number, reason));
  }

  @Allow('MANAGE_CART')
  @Mutation(() => AddLinesResultType, {
    description:
      'Adds every line of a past order to your cart at today’s prices; lines no longer available are reported.',
  })
  async reorder(
    @Ctx() ctx: TenantContext,
    @Args('number') number: string,
  ): Promise<AddLinesResultType> {
    return toAddLinesResult(ctx, await this.queries.reorder(ctx, number));
  }
}

export function toOrder(ctx: TenantContext, v: OrderView): OrderType {
  const money = moneyView(ctx, v.currency);
  const locale = ctx.locale;
  return {
    number: v.number,
    status: v.status as OrderStatusEnum,
    poNumber: v.poNumber,
    lines: v.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitPrice: money(l.unitMinor),
      lineTotal: money(l.netMinor),
    })),
    subtotal: money(v.subtotalMinor),
    shipping: money(v.shippingMinor),
    tax: money(v.taxMinor),
    total: money(v.totalMinor),
    placedBy: {
      email: v.placedBy.email,
      name: v.placedBy.name,
      company: { name: v.placedBy.companyName },
      roles: v.placedBy.roles as unknown as RoleEnum[],
      canSeePrices: v.placedBy.canSeePrices,
    },
    createdAt: v.createdAt,
    costCentre: v.costCentre,
    note: v.note,
    requestedDeliveryDate: v.requestedDeliveryDate,
    shipTo: v.shipTo,
    vat: v.vat.rates.map((r) => ({
      rate: r.rate,
      base: money(r.netMinor),
      tax: money(r.taxMinor),
    })),
    taxNote: v.vat.note ? (v.vat.note[locale] ?? v.vat.note.en ?? null) : null,
    approvalReason: v.approvalReason,
    rejectionReason: v.rejectionReason,
    decidedBy: v.decidedBy,
    tracking: v.tracking ? { url: null, ...v.tracking } : null,
    invoiceNumber: v.invoiceNumber,
    paymentTermDays: v.paymentTerms?.method === 'on_account' ? v.paymentTerms.netDays : null,
    history: v.history.map((h) => ({
      status: h.status as OrderStatusEnum,
      at: h.at,
      note: h.note,
    })),
  };
}
