import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
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
    return this.once(ctx, 'placeOrder', { request }, idempotencyKey, () =>
      this.drafts.fromCart(ctx, request),
    );
  }

  /**
   * Runs `draft` and writes its order once per (user, key). When drafting or writing fails —
   * an empty cart, a conflict — because a concurrent request with the same key has just placed
   * the order, that order is the answer.
   */
  async once(
    ctx: TenantContext,
    operation: string,
    request: Record<string, unknown>,
    idempotencyKey: string,
    draft: () => Promise<OrderDraft>,
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
    const prior = await this.prior(ctx, claim);
    if (prior) return this.read(ctx, prior);
    try {
      const orderId = await this.writer.write(ctx, await draft(), claim);
      return await this.read(ctx, orderId);
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
