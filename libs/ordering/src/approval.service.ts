import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox, type OutboxMessage } from '@vitrine/outbox';
import { formatDecimal, minorFromDb } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { loadOrderDocument } from './documents';
import { buyerOf } from './order-draft.service';
import { OrderReader, type OrderView } from './order-reader';
import { erpMessages, mail } from './order-writer.service';

const MAX_REASON = 1000;

interface PendingRow {
  id: string;
  status: string;
  placed_by: string;
  company_id: string;
  subtotal_minor: string;
  shipping_minor: string;
  credit_reserved_minor: string;
  currency: string;
  requester_email: string;
}

/**
 * Approvers decide on orders waiting for approval in their own company: approving places the
 * order (it goes to the seller's ERP); rejecting releases its stock and credit. The requester is
 * told either way. One's own order is never approved by oneself, and an approver's own spend
 * limit bounds what they may approve.
 */
@Injectable()
export class ApprovalService {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: Outbox,
  ) {}

  async approve(ctx: TenantContext, number: string): Promise<OrderView> {
    return this.decide(ctx, number, async (em, order) => {
      const [me] = (await em.query(
        `SELECT spend_limit_minor FROM app_user WHERE tenant_id = $1 AND id = $2`,
        [ctx.tenantId, buyerOf(ctx).userId],
      )) as Array<{ spend_limit_minor: string | null }>;
      const net = minorFromDb(order.subtotal_minor) + minorFromDb(order.shipping_minor);
      if (me?.spend_limit_minor != null && net > minorFromDb(me.spend_limit_minor))
        throw VitrineError.withMessage(
          'SPEND_LIMIT_EXCEEDED',
          'approval.aboveOwnLimit',
          {
            number,
            orderMinor: net,
            limitMinor: minorFromDb(me.spend_limit_minor),
            currency: order.currency,
          },
          `Order ${number} (${formatDecimal(net, order.currency)} ${order.currency} excl. VAT) is above your own limit of ${formatDecimal(minorFromDb(me.spend_limit_minor), order.currency)}; another approver must decide.`,
        );
      await this.setStatus(em, ctx, order.id, 'PLACED', null);
      const doc = await loadOrderDocument(em, ctx.tenant, order.id, ctx.locale);
      return [
        mail(`order-approved:${order.id}`, 'order-approved', [order.requester_email], ctx, {
          order: doc,
        }),
        ...erpMessages(ctx, order.id, doc),
      ];
    });
  }

  async reject(ctx: TenantContext, number: string, reasonText: string): Promise<OrderView> {
    const reason = reasonText.trim();
    if (!reason || reason.length > MAX_REASON)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'approval.reasonMissing',
        { max: MAX_REASON },
        `Give the requester a reason (1 to ${MAX_REASON} characters).`,
        { argument: 'reason' },
      );
    return this.decide(ctx, number, async (em, order) => {
      await releaseReservation(em, ctx.tenantId, order.id);
      await this.setStatus(em, ctx, order.id, 'REJECTED', reason);
      const doc = await loadOrderDocument(em, ctx.tenant, order.id, ctx.locale);
      return [
        mail(`order-rejected:${order.id}`, 'order-rejected', [order.requester_email], ctx, {
          order: doc,
          reason,
        }),
      ];
    });
  }

  /** Locks the pending order of the approver's company, checks who decides, applies `apply`. */
  private async decide(
    ctx: TenantContext,
    number: string,
    apply: (em: EntityManager, order: PendingRow) => Promise<OutboxMessage[]>,
  ): Promise<OrderView> {
    const { userId, companyId } = buyerOf(ctx);
    return this.db.run(ctx, async (em) => {
      const [order] = (await em.query(
        `SELECT o.id, o.status, o.placed_by, o.company_id, o.subtotal_minor, o.shipping_minor,
                o.credit_reserved_minor, o.currency, u.email AS requester_email
           FROM customer_order o JOIN app_user u ON u.tenant_id = o.tenant_id AND u.id = o.placed_by
          WHERE o.tenant_id = $1 AND o.company_id = $2 AND o.number = $3
          FOR UPDATE OF o`,
        [ctx.tenantId, companyId, number.trim()],
      )) as PendingRow[];
      if (!order)
        throw VitrineError.withMessage(
          'NOT_FOUND',
          'approval.noOrder',
          { number },
          `Your company has no order ${number}.`,
        );
      if (order.placed_by === userId)
        throw VitrineError.withMessage(
          'FORBIDDEN',
          'approval.ownOrder',
          {},
          'You cannot decide on your own order; another approver of your company must.',
        );
      if (order.status !== 'PENDING_APPROVAL')
        throw VitrineError.withMessage(
          'CONFLICT',
          'approval.decided',
          { number, status: order.status },
          `Order ${number} is ${order.status.toLowerCase().replace('_', ' ')}, not waiting for approval.`,
          { status: order.status },
        );
      const messages = await apply(em, { ...order, currency: order.currency.trim() });
      await this.outbox.enqueue(em, ctx.tenantId, messages);
      return new OrderReader(em).byId(ctx, order.id);
    });
  }

  private async setStatus(
    em: EntityManager,
    ctx: TenantContext,
    orderId: string,
    status: string,
    reason: string | null,
  ): Promise<void> {
    const userId = buyerOf(ctx).userId;
    await em.query(
      `UPDATE customer_order SET status = $3, decided_by = $4, decided_at = now(),
              rejection_reason = $5, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [ctx.tenantId, orderId, status, userId, reason],
    );
    await em.query(
      `INSERT INTO order_status_change (tenant_id, order_id, status, note, changed_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [ctx.tenantId, orderId, status, reason, userId],
    );
  }
}

/**
 * Gives an order's stock and credit back (rejection, cancellation), exactly once: the order's
 * `credit_reserved_minor` is zeroed in the same statement that reads it.
 */
export async function releaseReservation(
  em: EntityManager,
  tenantId: string,
  orderId: string,
): Promise<void> {
  await em.query(
    `UPDATE variant v SET stock_on_hand = v.stock_on_hand + l.quantity
       FROM (SELECT variant_id, sum(quantity)::int AS quantity FROM order_line
              WHERE tenant_id = $1 AND order_id = $2 AND variant_id IS NOT NULL
              GROUP BY variant_id) l
      WHERE v.id = l.variant_id`,
    [tenantId, orderId],
  );
  await em.query(
    `WITH o AS (
       SELECT id, company_id, credit_reserved_minor AS credit FROM customer_order
        WHERE tenant_id = $1 AND id = $2 FOR UPDATE),
     released AS (
       UPDATE customer_order SET credit_reserved_minor = 0
        WHERE tenant_id = $1 AND id = $2 RETURNING id)
     UPDATE company c SET credit_used_minor = greatest(c.credit_used_minor - o.credit, 0)
       FROM o, released WHERE c.tenant_id = $1 AND c.id = o.company_id AND o.credit > 0`,
    [tenantId, orderId],
  );
}
