import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox, type OutboxMessage } from '@vitrine/outbox';
import { formatDecimal, localDate, minorFromDb } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';
import { draftDocument, type loadOrderDocument } from './documents';
import type { OrderDraft } from './order-draft.service';

/** The idempotency record of a request: who, which key, what was asked. */
export interface IdempotencyClaim {
  userId: string;
  key: string;
  operation: string;
  requestHash: string;
}

/**
 * Writes an order in ONE unit of work: the idempotency record, the consumption of its source
 * (the cart's lines, or the accepted quote), the stock reservation and the credit usage — both
 * conditional updates, so concurrent orders can neither oversell nor overspend — the order with
 * its lines and first status, and the outbox messages that announce it. Either all of it
 * commits or none of it does.
 */
@Injectable()
export class OrderWriter {
  constructor(
    private readonly db: TenantDb,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Writes the order, or finds the order a concurrent request with the same key wrote
   * (`written: false`). Statement order keeps contended locks short: the rows every order of a
   * tenant or company needs — the order counter and the company's credit — are taken by one
   * statement near the end, followed only by the inserts and the commit.
   */
  async write(
    ctx: TenantContext,
    draft: OrderDraft,
    claim: IdempotencyClaim,
  ): Promise<{ id: string; number: string; createdAt: Date; written: boolean }> {
    const id = randomUUID();
    const createdAt = new Date();
    return this.db.run(ctx, async (em) => {
      const prior = await claimKey(em, ctx, claim);
      if (prior) return { id: prior, number: '', createdAt, written: false };
      await this.consumeSource(em, ctx, draft);
      await reserveStock(em, draft);
      const number = await this.numberAndCredit(em, ctx, draft, createdAt);
      await insertOrder(em, ctx, draft, claim, { id, number, createdAt });
      await this.announce(em, ctx, { id, number, createdAt }, draft);
      return { id, number, createdAt, written: true };
    });
  }

  /**
   * The next order number of the tenant and the credit the order uses, in one statement: `2026-00042`
   * per tenant and year from the tenant's counter row; credit only within the limit.
   */
  private async numberAndCredit(
    em: EntityManager,
    ctx: TenantContext,
    draft: OrderDraft,
    at: Date,
  ): Promise<string> {
    const year = localDate(at, ctx.tenant.timeZone).slice(0, 4);
    const [row] = (await em.query(
      `WITH seq AS (
         INSERT INTO tenant_sequence (tenant_id, name, value) VALUES ($1, $2, 1)
         ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_sequence.value + 1
         RETURNING value),
       credit AS (
         UPDATE company SET credit_used_minor = credit_used_minor + $4, updated_at = now()
          WHERE tenant_id = $1 AND id = $3 AND $4::bigint > 0
            AND (credit_limit_minor IS NULL OR credit_used_minor + $4 <= credit_limit_minor)
          RETURNING greatest(credit_limit_minor - credit_used_minor, 0) AS left)
       SELECT (SELECT value FROM seq) AS value, (SELECT count(*) FROM credit)::int AS credited`,
      [ctx.tenantId, `order-${year}`, draft.companyId, draft.creditMinor],
    )) as Array<{ value: string; credited: number }>;
    if (draft.creditMinor > 0 && row.credited === 0) await this.creditRefused(em, ctx, draft);
    return `${year}-${String(row.value).padStart(5, '0')}`;
  }

  private async consumeSource(em: EntityManager, ctx: TenantContext, draft: OrderDraft) {
    if (draft.source.kind === 'quote') {
      const accepted = returnedRows(
        await em.query(
          `UPDATE quote SET status = 'ACCEPTED', updated_at = now()
            WHERE tenant_id = $1 AND id = $2 AND status = 'OFFERED' AND valid_until > now()
            RETURNING id`,
          [ctx.tenantId, draft.source.quoteId],
        ),
      );
      if (accepted.length === 0)
        throw VitrineError.withMessage(
          'QUOTE_EXPIRED',
          'quote.noLongerAcceptable',
          {},
          'This offer can no longer be accepted (it expired or was answered meanwhile).',
        );
      return;
    }
    // The cart's lines, exactly as they were priced: a cart changed meanwhile (another tab, a
    // concurrent order with another key) must not turn into an order nobody saw.
    const removed = (await em.query(
      `DELETE FROM cart_line cl USING cart c
        WHERE cl.tenant_id = $1 AND c.tenant_id = $1 AND c.id = cl.cart_id AND c.user_id = $2
        RETURNING cl.variant_id, cl.quantity`,
      [ctx.tenantId, draft.userId],
    )) as Array<{ variant_id: number; quantity: number }>;
    const rows = returnedRows<{ variant_id: number; quantity: number }>(removed);
    const expected = draft.source.quantities;
    const same =
      rows.length === expected.size && rows.every((r) => expected.get(r.variant_id) === r.quantity);
    if (!same)
      throw VitrineError.withMessage(
        'CONFLICT',
        'checkout.cartChanged',
        {},
        'Your cart changed while the order was being placed; check it and order again.',
      );
  }

  private async creditRefused(
    em: EntityManager,
    ctx: TenantContext,
    draft: OrderDraft,
  ): Promise<never> {
    const [row] = (await em.query(
      `SELECT greatest(credit_limit_minor - credit_used_minor, 0) AS available FROM company
        WHERE tenant_id = $1 AND id = $2`,
      [ctx.tenantId, draft.companyId],
    )) as Array<{ available: string }>;
    const available = minorFromDb(row.available);
    const money = (m: number) => `${formatDecimal(m, draft.currency)} ${draft.currency}`;
    throw VitrineError.withMessage(
      'CREDIT_LIMIT_EXCEEDED',
      'checkout.creditLimit',
      {
        orderMinor: draft.creditMinor,
        availableMinor: available,
        currency: draft.currency,
      },
      `This order (${money(draft.creditMinor)} incl. VAT) exceeds your company's available credit of ${money(available)}. Reduce the order or contact your account manager.`,
      { availableCredit: formatDecimal(available, draft.currency) },
    );
  }

  /** E-mails and the ERP export of a new order, in its unit of work. */
  private async announce(
    em: EntityManager,
    ctx: TenantContext,
    written: { id: string; number: string; createdAt: Date },
    draft: OrderDraft,
  ) {
    const order = draftDocument(ctx.tenant, draft, written, ctx.locale);
    const orderId = written.id;
    const pending = draft.status === 'PENDING_APPROVAL';
    const template = pending ? 'order-submitted' : 'order-confirmation';
    const messages: OutboxMessage[] = [
      mail(`${template}:${orderId}`, template, [order.placedBy.email], ctx, { order }),
    ];
    if (pending)
      messages.push(
        mail(`approval-requested:${orderId}`, 'approval-requested', draft.approverEmails, ctx, {
          order,
        }),
      );
    else messages.push(...erpMessages(ctx, orderId, order));
    await this.outbox.enqueue(em, ctx.tenantId, messages);
  }
}

/** An e-mail message of the outbox. */
export function mail(
  dedupeKey: string,
  template: Extract<OutboxMessage['payload'], { kind: 'mail' }>['template'],
  to: string[],
  ctx: TenantContext,
  data: Record<string, unknown>,
): OutboxMessage {
  return {
    topic: 'mail',
    dedupeKey,
    payload: { kind: 'mail', template, to, locale: ctx.locale, data },
  };
}

/** The ERP export of a placed order: a drop-folder file, and the webhook when one is configured. */
export function erpMessages(
  ctx: TenantContext,
  orderId: string,
  order: Awaited<ReturnType<typeof loadOrderDocument>>,
): OutboxMessage[] {
  const payload = { kind: 'erp-order' as const, event: 'order.placed' as const, order };
  const erp = (ctx.tenant.settings as { erp?: { webhookUrl?: string; dropFolder?: boolean } }).erp;
  const messages: OutboxMessage[] = [];
  if (erp?.dropFolder !== false)
    messages.push({ topic: 'erp-file', dedupeKey: `order.placed:${orderId}`, payload });
  if (erp?.webhookUrl)
    messages.push({ topic: 'erp-webhook', dedupeKey: `order.placed:${orderId}`, payload });
  return messages;
}

/**
 * Records the key, or finds the order of an earlier request with it. Concurrent requests with one
 * key queue on the key's row: the first writes, the others see its order once it committed (or
 * write themselves if it rolled back).
 */
async function claimKey(
  em: EntityManager,
  ctx: TenantContext,
  claim: IdempotencyClaim,
): Promise<string | null> {
  const inserted = (await em.query(
    `INSERT INTO idempotency_key (tenant_id, user_id, key, operation, request_hash)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key`,
    [ctx.tenantId, claim.userId, claim.key, claim.operation, claim.requestHash],
  )) as unknown[];
  if (returnedRows(inserted).length) return null;
  const [row] = (await em.query(
    `SELECT operation, request_hash, order_id FROM idempotency_key
      WHERE tenant_id = $1 AND user_id = $2 AND key = $3`,
    [ctx.tenantId, claim.userId, claim.key],
  )) as Array<{ operation: string; request_hash: string; order_id: string | null }>;
  return checkPrior(row, claim);
}

/** The order of an earlier request with the same key, or IDEMPOTENCY_KEY_REUSED. */
export function checkPrior(
  row: { operation: string; request_hash: string; order_id: string | null } | undefined,
  claim: IdempotencyClaim,
): string | null {
  if (!row) return null;
  if (row.operation !== claim.operation || row.request_hash !== claim.requestHash)
    throw new VitrineError(
      'IDEMPOTENCY_KEY_REUSED',
      'This idempotency key was used for a different request; use a new key for a new order.',
    );
  return row.order_id;
}

/**
 * Reserves stock for every line with conditional updates. Rows are locked in variant-id order so
 * two orders over the same articles cannot deadlock; a line short of stock aborts the order with
 * the SKUs and what is left.
 */
async function reserveStock(em: EntityManager, draft: OrderDraft): Promise<void> {
  const wanted = new Map<number, number>();
  for (const l of draft.lines) wanted.set(l.variantId, (wanted.get(l.variantId) ?? 0) + l.quantity);
  const ids = [...wanted.keys()].sort((a, b) => a - b);
  const rows = (await em.query(
    `SELECT id, sku, stock_on_hand FROM variant WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
    [ids],
  )) as Array<{ id: number; sku: string; stock_on_hand: number }>;
  const short = rows.filter((r) => r.stock_on_hand < (wanted.get(r.id) ?? 0));
  if (short.length || rows.length !== ids.length)
    throw VitrineError.withMessage(
      'OUT_OF_STOCK',
      short.length ? 'checkout.outOfStock' : 'checkout.noLongerSold',
      // SKU=available pairs; the page writes them out in its language.
      { shortStock: short.map((r) => `${r.sku}=${r.stock_on_hand}`).join(';') },
      `Not enough stock: ${short.map((r) => `${r.sku} (${r.stock_on_hand} available)`).join(', ') || 'an article is no longer sold'}. Adjust the quantities and order again.`,
      { skus: short.map((r) => r.sku) },
    );
  await em.query(
    `UPDATE variant v SET stock_on_hand = v.stock_on_hand - x.q
       FROM unnest($1::int[], $2::int[]) AS x(id, q)
      WHERE v.id = x.id`,
    [ids, ids.map((id) => wanted.get(id))],
  );
}

/** The order, its lines, its first status, its idempotency record and quote link: one statement. */
async function insertOrder(
  em: EntityManager,
  ctx: TenantContext,
  draft: OrderDraft,
  claim: IdempotencyClaim,
  order: { id: string; number: string; createdAt: Date },
): Promise<void> {
  const l = draft.lines;
  await em.query(
    `WITH o AS (
       INSERT INTO customer_order (id, tenant_id, number, company_id, placed_by, status, po_number,
         note, cost_centre, requested_delivery_date, ship_to, currency, subtotal_minor,
         shipping_minor, tax_minor, total_minor, vat, weight_grams, payment_terms,
         credit_reserved_minor, quote_id, approval_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11, $12, $13, $14, $15, $16, $17,
         $18, $19, $20, $21, $22, $23, $23)
       RETURNING id),
     lines AS (
       INSERT INTO order_line (tenant_id, order_id, line_no, variant_id, sku, name, quantity,
         unit_minor, price_source, net_minor, tax_rate, tax_minor, weight_grams)
       SELECT $2, o.id, n, v, s, nm, q, u, src, net, r::numeric, t, w
         FROM o, unnest($24::int[], $25::int[], $26::text[], $27::text[], $28::int[], $29::bigint[],
                        $30::text[], $31::bigint[], $32::text[], $33::bigint[], $34::int[])
           AS x(n, v, s, nm, q, u, src, net, r, t, w)),
     history AS (
       INSERT INTO order_status_change (tenant_id, order_id, status, note, changed_by, changed_at)
       SELECT $2, o.id, $6, $22, $5, $23 FROM o),
     claimed AS (
       UPDATE idempotency_key SET order_id = (SELECT id FROM o)
        WHERE tenant_id = $2 AND user_id = $35 AND key = $36)
     UPDATE quote SET order_id = (SELECT id FROM o) WHERE tenant_id = $2 AND id = $21`,
    [
      order.id,
      ctx.tenantId,
      order.number,
      draft.companyId,
      draft.userId,
      draft.status,
      draft.request.poNumber,
      draft.request.note,
      draft.request.costCentre,
      draft.request.requestedDeliveryDate,
      JSON.stringify(draft.shipTo),
      draft.currency,
      draft.subtotalMinor,
      draft.shippingMinor,
      draft.taxMinor,
      draft.totalMinor,
      JSON.stringify(draft.vat),
      draft.weightGrams,
      draft.paymentTerms ? JSON.stringify(draft.paymentTerms) : null,
      draft.creditMinor,
      draft.source.kind === 'quote' ? draft.source.quoteId : null,
      draft.approvalReason,
      order.createdAt,
      l.map((_, i) => i + 1),
      l.map((x) => x.variantId),
      l.map((x) => x.sku),
      l.map((x) => x.name),
      l.map((x) => x.quantity),
      l.map((x) => x.unitMinor),
      l.map((x) => x.source),
      l.map((x) => x.netMinor),
      l.map((x) => x.taxRate),
      l.map((x) => x.taxMinor),
      l.map((x) => x.weightGrams),
      claim.userId,
      claim.key,
    ],
  );
}
