import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import {
  buyerOf,
  checkoutRequest,
  OrderDraftService,
  tenantToday,
  type CheckoutRequest,
  type OrderDraft,
} from './order-draft.service';
import { OrderReader, type OrderView } from './order-reader';
import { checkPrior, OrderWriter, type IdempotencyClaim } from './order-writer.service';

const MAX_KEY = 200;

/** What placing the cart as an order would give now (see {@link CheckoutService.preview}). */
export interface CheckoutPreview {
  status: 'PLACED' | 'PENDING_APPROVAL';
  approvalReason: string | null;
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * Checkout: `placeOrder(input, idempotencyKey)` and the order of an accepted quote. A retry with
 * the same key returns the first result and never creates a second order; the same key with a
 * different request is refused (IDEMPOTENCY_KEY_REUSED). Prices are resolved again here — the
 * cart never carries a price into an order.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly db: TenantDb,
    private readonly drafts: OrderDraftService,
    private readonly writer: OrderWriter,
  ) {}

  async placeOrder(
    ctx: TenantContext,
    input: Parameters<typeof checkoutRequest>[0],
    idempotencyKey: string,
  ): Promise<OrderView> {
    const request = checkoutRequest(input, tenantToday(ctx));
    // Drafted in the order's own unit of work: one unit, not a read unit and a write unit.
    return this.once(ctx, 'placeOrder', { request }, idempotencyKey, {
      inUnit: (em) => this.drafts.fromCart(ctx, request, em),
    });
  }

  /**
   * What `placeOrder` would decide for the cart now, without writing anything: the totals to the
   * chosen (or default) address and whether the order would wait for approval, and why. The
   * checkout page shows it before the buyer submits. The PO number is not asked here — the
   * form asks for it and `placeOrder` enforces it — so a missing one does not hide the preview.
   * Throws what drafting throws (empty cart, SHIPPING_UNAVAILABLE, SPEND_LIMIT_EXCEEDED, …).
   */
  async preview(
    ctx: TenantContext,
    input: Parameters<typeof checkoutRequest>[0],
  ): Promise<CheckoutPreview> {
    const request = checkoutRequest(
      { ...input, poNumber: input.poNumber?.trim() || 'preview' },
      tenantToday(ctx),
    );
    const draft = await this.drafts.fromCart(ctx, request);
    return {
      status: draft.status,
      approvalReason: draft.approvalReason,
      currency: draft.currency,
      subtotalMinor: draft.subtotalMinor,
      shippingMinor: draft.shippingMinor,
      taxMinor: draft.taxMinor,
      totalMinor: draft.totalMinor,
    };
  }

  /**
   * Runs `draft` and writes its order once per (user, key). When drafting or writing fails —
   * an empty cart, a conflict — because an earlier or concurrent request with the same key has
   * placed the order, that order is the answer. `draft` runs before the order's unit of work,
   * or as `inUnit` inside it (its reads then share the order's transaction).
   */
  async once(
    ctx: TenantContext,
    operation: string,
    request: Record<string, unknown>,
    idempotencyKey: string,
    draft: (() => Promise<OrderDraft>) | { inUnit: (em: EntityManager) => Promise<OrderDraft> },
  ): Promise<OrderView> {
    const { userId } = buyerOf(ctx);
    const key = idempotencyKey.trim();
    if (!key || key.length > MAX_KEY)
      throw VitrineError.badInput(`An idempotency key has 1 to ${MAX_KEY} characters.`, {
        argument: 'idempotencyKey',
      });
    const claim: IdempotencyClaim = {
      userId,
      key,
      operation,
      requestHash: createHash('sha256').update(stableJson(request)).digest('hex'),
    };
    // No lookup first: the write claims the key, and a retry whose draft fails because the first
    // request already consumed the cart (or the quote) finds that order in the catch below.
    try {
      const source = typeof draft === 'function' ? await draft() : draft.inUnit;
      const written = await this.writer.write(ctx, source, claim);
      return written.written
        ? draftView(ctx, written.draft, written)
        : await this.read(ctx, written.id);
    } catch (err) {
      if (err instanceof VitrineError && err.code !== 'IDEMPOTENCY_KEY_REUSED') {
        const again = await this.prior(ctx, claim);
        if (again) return this.read(ctx, again);
      }
      throw err;
    }
  }

  private async prior(ctx: TenantContext, claim: IdempotencyClaim): Promise<string | null> {
    const [row] = await this.db.run(
      ctx,
      (em) =>
        em.query(
          `SELECT operation, request_hash, order_id FROM idempotency_key
            WHERE tenant_id = $1 AND user_id = $2 AND key = $3`,
          [ctx.tenantId, claim.userId, claim.key],
        ) as Promise<Array<{ operation: string; request_hash: string; order_id: string | null }>>,
    );
    return checkPrior(row, claim);
  }

  private read(ctx: TenantContext, orderId: string): Promise<OrderView> {
    return this.db.run(ctx, (em) => new OrderReader(em).byId(ctx, orderId));
  }
}

/** The order just written, as the reader would return it, without reading it back. */
function draftView(
  ctx: TenantContext,
  draft: OrderDraft,
  written: { id: string; number: string; createdAt: Date },
): OrderView {
  const user = ctx.user!;
  return {
    id: written.id,
    number: written.number,
    status: draft.status,
    poNumber: draft.request.poNumber,
    note: draft.request.note,
    costCentre: draft.request.costCentre,
    requestedDeliveryDate: draft.request.requestedDeliveryDate,
    shipTo: draft.shipTo,
    currency: draft.currency,
    lines: draft.lines.map((l) => ({
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unitMinor: l.unitMinor,
      netMinor: l.netMinor,
    })),
    subtotalMinor: draft.subtotalMinor,
    shippingMinor: draft.shippingMinor,
    taxMinor: draft.taxMinor,
    totalMinor: draft.totalMinor,
    vat: draft.vat,
    placedBy: {
      id: draft.userId,
      ...draft.parties.placedBy,
      roles: [...user.roles],
      canSeePrices: user.canSeePrices,
      companyName: draft.parties.company.name,
    },
    approvalReason: draft.approvalReason,
    rejectionReason: null,
    decidedBy: null,
    tracking: null,
    invoiceNumber: null,
    paymentTerms: draft.paymentTerms,
    createdAt: written.createdAt,
    history: [{ status: draft.status, at: written.createdAt, note: draft.approvalReason }],
  };
}

/** JSON with sorted keys, so equal requests hash equally whatever the key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export type { CheckoutRequest };
