import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox } from '@vitrine/outbox';
import type { TenantSnapshot } from '@vitrine/tenancy';
import { releaseReservation } from '../approval.service';
import { loadOrderDocument } from '../documents';
import { AdminOrderQueryService } from './admin-order-query.service';
import type { SellerChangeHooks } from './change-hooks';
import { loadSellerOrders, type OrderTracking, type SellerOrder } from './seller-order';
import { SELLER_ORDER_TRANSITIONS, type OrderStatusName } from './statuses';

/** What the seller says when moving an order on. */
export interface OrderStatusChangeInput {
  status: OrderStatusName;
  /** Required for SHIPPED, refused otherwise. */
  tracking?: { carrier: string; code: string; url?: string | null } | null;
  /** Required for INVOICED, refused otherwise. */
  invoiceNumber?: string | null;
  note?: string | null;
}

const MAX_TEXT = 200;
const MAX_NOTE = 2000;

/**
 * The seller moves orders through fulfilment (PLACED → CONFIRMED → SHIPPED → INVOICED) or
 * cancels them before they ship (see SELLER_ORDER_TRANSITIONS). One unit of work per change:
 * the order row (locked), its status log entry, on cancellation the release of its stock and
 * credit, and the `order-status` e-mail to the buyer who placed it — all or nothing. The row
 * lock and the transition check make every change happen once: a second cancellation finds
 * the order CANCELLED and is refused, so stock and credit are released exactly once.
 */
@Injectable()
export class OrderStatusService {
  constructor(
    private readonly db: TenantDb,
    private readonly orders: AdminOrderQueryService,
    private readonly outbox: Outbox,
  ) {}

  /**
   * `changedBy`: the admin's subject, written to the status log. `hooks` (the admin API's
   * authorization and audit log) see the tenant first and the order before and after.
   */
  async setStatus(
    changedBy: string,
    tenantSlug: string,
    number: string,
    input: OrderStatusChangeInput,
    hooks: SellerChangeHooks<SellerOrder> = {},
  ): Promise<SellerOrder> {
    const tenant = await this.orders.tenant(tenantSlug);
    await hooks.authorize?.(tenant.id);
    const change = checkInput(input);
    return this.db.run({ tenantId: tenant.id }, async (em) => {
      const [order] = (await em.query(
        `SELECT id, status FROM customer_order
          WHERE tenant_id = $1 AND number = $2 FOR UPDATE`,
        [tenant.id, number.trim()],
      )) as Array<{ id: string; status: OrderStatusName }>;
      if (!order) throw VitrineError.notFound(`Tenant "${tenant.slug}" has no order "${number}".`);
      const before = hooks.applied ? (await loadSellerOrders(em, [order.id]))[0] : null;
      const allowed = SELLER_ORDER_TRANSITIONS[order.status] ?? [];
      if (!allowed.includes(change.status))
        throw new VitrineError(
          'CONFLICT',
          `Order ${number} is ${order.status}; ` +
            (allowed.length
              ? `it can go to ${allowed.join(' or ')} only, not ${change.status}.`
              : `that is final, it cannot go to ${change.status}.`),
          { currentStatus: order.status, allowedStatuses: [...allowed] },
        );
      // The buyer side's release (rejection) is the same: stock and credit back, once.
      if (change.status === 'CANCELLED') await releaseReservation(em, tenant.id, order.id);
      await em.query(
        `UPDATE customer_order
            SET status = $3, updated_at = now(),
                tracking = COALESCE($4::jsonb, tracking),
                invoice_number = COALESCE($5, invoice_number)
          WHERE tenant_id = $1 AND id = $2`,
        [
          tenant.id,
          order.id,
          change.status,
          change.tracking ? JSON.stringify(change.tracking) : null,
          change.invoiceNumber,
        ],
      );
      await em.query(
        `INSERT INTO order_status_change (tenant_id, order_id, status, note, changed_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [tenant.id, order.id, change.status, change.note, changedBy],
      );
      await this.notify(em, tenant, order.id, change);
      const [changed] = await loadSellerOrders(em, [order.id]);
      if (before) await hooks.applied?.(em, { tenantId: tenant.id, before, after: changed });
      return changed;
    });
  }

  /** The `order-status` e-mail to the buyer who placed the order, in the tenant's language. */
  private async notify(
    em: EntityManager,
    tenant: TenantSnapshot,
    orderId: string,
    change: CheckedChange,
  ): Promise<void> {
    const locale = tenant.locales[0] ?? 'en';
    const order = await loadOrderDocument(em, tenant, orderId, locale);
    await this.outbox.enqueue(em, tenant.id, [
      {
        topic: 'mail',
        // Each status is reached at most once per order (the transitions have no cycles).
        dedupeKey: `order-status:${orderId}:${change.status}`,
        payload: {
          kind: 'mail',
          template: 'order-status',
          to: [order.placedBy.email],
          locale,
          data: {
            order,
            tracking: change.tracking,
            invoiceNumber: change.invoiceNumber,
            note: change.note,
          },
        },
      },
    ]);
  }
}

interface CheckedChange {
  status: OrderStatusName;
  tracking: OrderTracking | null;
  invoiceNumber: string | null;
  note: string | null;
}

/** The change, trimmed and complete for its status; BAD_USER_INPUT naming what is wrong. */
function checkInput(input: OrderStatusChangeInput): CheckedChange {
  const note = optionalText(input.note, 'note', MAX_NOTE);
  const invoiceNumber = optionalText(input.invoiceNumber, 'invoiceNumber', MAX_TEXT);
  let tracking: OrderTracking | null = null;
  if (input.tracking) {
    const carrier = optionalText(input.tracking.carrier, 'tracking.carrier', MAX_TEXT);
    const code = optionalText(input.tracking.code, 'tracking.code', MAX_TEXT);
    if (!carrier || !code)
      throw VitrineError.badInput('Tracking needs a carrier and a tracking code.');
    const url = optionalText(input.tracking.url, 'tracking.url', 2000);
    if (url && !isHttpUrl(url))
      throw VitrineError.badInput(`tracking.url must be an http(s) URL; got "${url}".`);
    tracking = { carrier, code, url };
  }
  if (input.status === 'SHIPPED' && !tracking)
    throw VitrineError.badInput(
      'An order is SHIPPED with tracking: give tracking { carrier, code }.',
    );
  if (input.status !== 'SHIPPED' && tracking)
    throw VitrineError.badInput(`Tracking belongs to SHIPPED, not ${input.status}.`);
  if (input.status === 'INVOICED' && !invoiceNumber)
    throw VitrineError.badInput(
      'An order is INVOICED with its invoice number: give invoiceNumber.',
    );
  if (input.status !== 'INVOICED' && invoiceNumber)
    throw VitrineError.badInput(`An invoice number belongs to INVOICED, not ${input.status}.`);
  return { status: input.status, tracking, invoiceNumber, note };
}

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length > max) throw VitrineError.badInput(`${field} is longer than ${max} characters.`);
  return text || null;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
