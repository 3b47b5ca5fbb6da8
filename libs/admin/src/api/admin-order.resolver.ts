import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOrderQueryService, OrderStatusService } from '@vitrine/ordering';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminOnly, CurrentAdmin } from './admin-access';
import { toAdminOrder, toConnection } from './admin.mapping';
import {
  AdminOrderConnectionType,
  AdminOrderType,
  OrderStatusEnum,
  TrackingInput,
} from './admin.types';

/** Orders across tenants, and their fulfilment status. */
@Resolver()
export class AdminOrderResolver {
  constructor(
    private readonly orderQueries: AdminOrderQueryService,
    private readonly statuses: OrderStatusService,
  ) {}

  @AdminOnly()
  @Query(() => AdminOrderConnectionType, {
    description: "One tenant's orders (by slug) or every tenant's, newest first.",
  })
  async orders(
    @Args('tenant', { type: () => String, nullable: true }) tenant: string | null,
    @Args('status', { type: () => OrderStatusEnum, nullable: true }) status: OrderStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminOrderConnectionType> {
    return toConnection(await this.orderQueries.list({ tenant, status, first: first ?? 50, after }), toAdminOrder);
  }

  @AdminOnly()
  @Query(() => AdminOrderType, {
    nullable: true,
    description:
      'An order by tenant slug and number (numbers are unique per tenant); null if none.',
  })
  async order(
    @Args('tenant') tenant: string,
    @Args('number') number: string,
  ): Promise<AdminOrderType | null> {
    const order = await this.orderQueries.get(tenant, number);
    return order ? toAdminOrder(order) : null;
  }

  @AdminOnly()
  @Mutation(() => AdminOrderType, {
    description:
      'PLACED → CONFIRMED → SHIPPED (with tracking) → INVOICED (with invoiceNumber), or CANCELLED before shipping (releases stock and credit); e-mails the buyer.',
  })
  async setOrderStatus(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('number') number: string,
    @Args('status', { type: () => OrderStatusEnum }) status: OrderStatusEnum,
    @Args('tracking', { type: () => TrackingInput, nullable: true }) tracking: TrackingInput | null,
    @Args('invoiceNumber', { type: () => String, nullable: true }) invoiceNumber: string | null,
    @Args('note', { type: () => String, nullable: true }) note: string | null,
  ): Promise<AdminOrderType> {
    return toAdminOrder(
      await this.statuses.setStatus(admin.subject, tenant, number, {
        status,
        tracking,
        invoiceNumber,
        note,
      }),
    );
  }
}
