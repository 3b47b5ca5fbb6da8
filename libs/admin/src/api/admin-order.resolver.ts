import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOrderQueryService, OrderStatusService, type SellerOrder } from '@vitrine/ordering';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { AuditedChanges } from '../audit/audited-change.service';
import { AdminOnly, CurrentAdmin } from './admin-access';
import { toAdminOrder, toConnection } from './admin.mapping';
import {
  AdminOrderConnectionType,
  AdminOrderType,
  OrderStatusEnum,
  TrackingInput,
} from './admin.types';

/** What the audit log keeps of an order before and after a status change. */
function orderState(o: SellerOrder) {
  return { status: o.status, tracking: o.tracking, invoiceNumber: o.invoiceNumber };
}

/** Orders across tenants (an account manager's tenants only), and their fulfilment status. */
@Resolver()
export class AdminOrderResolver {
  constructor(
    private readonly orderQueries: AdminOrderQueryService,
    private readonly statuses: OrderStatusService,
    private readonly gate: AdminGate,
    private readonly changes: AuditedChanges,
  ) {}

  @AdminOnly()
  @Query(() => AdminOrderConnectionType, {
    description:
      "One tenant's orders (by slug) or every tenant's (an account manager's tenants' only), newest first.",
  })
  async orders(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant', { type: () => String, nullable: true }) tenant: string | null,
    @Args('status', { type: () => OrderStatusEnum, nullable: true }) status: OrderStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminOrderConnectionType> {
    const tenantIds = this.gate.listScope(admin, 'ORDERS');
    if (tenant) await this.gate.tenant(admin, 'ORDERS', tenant, 'order.list');
    return toConnection(
      await this.orderQueries.list({ tenant, status, tenantIds, first: first ?? 50, after }),
      toAdminOrder,
    );
  }

  @AdminOnly()
  @Query(() => AdminOrderType, {
    nullable: true,
    description:
      'An order by tenant slug and number (numbers are unique per tenant); null if none.',
  })
  async order(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('number') number: string,
  ): Promise<AdminOrderType | null> {
    await this.gate.tenant(admin, 'ORDERS', tenant, 'order.read', number);
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
    const spec = {
      admin,
      area: 'ORDERS' as const,
      action: 'order.status',
      target: `${tenant}/${number}`,
      summarize: orderState,
    };
    const input = { status, tracking, invoiceNumber, note };
    return toAdminOrder(
      await this.changes.run(spec, (hooks) =>
        this.statuses.setStatus(admin.subject, tenant, number, input, hooks),
      ),
    );
  }
}
