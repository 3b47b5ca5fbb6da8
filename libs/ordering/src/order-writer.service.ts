import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { prepared, returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import type { OutboxMessage } from '@vitrine/outbox';
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
  constructor(private readonly db: TenantDb) {}

  /**
   * Writes the order, or finds the order a concurrent request with the same key wrote
   * (`written: false`). `source` is the draft, or drafts it in the unit (its reads first). Then
   * the key claimed and the cart consumed (one statement), the stock reserved (one), and the
   * order — its lines, first status and links, its number and the credit it uses, the outbox
   * messages that announce it — in one statement sent together with the COMMIT (see
   * {@link OrderWriter.insertOrder}). The
   * rows every order of a tenant or company needs — the order counter and the company's credit
   * — are locked late in that statement and held until its commit, not across a round trip.
   */
  async write(
    ctx: TenantContext,
    source: OrderDraft | ((em: EntityManager) => Promise<OrderDraft>),
    claim: IdempotencyClaim,
  ): Promise<{ id: string; number: string; createdAt: Date; written: boolean; draft: OrderDraft }> {
    const id = randomUUID();
    const createdAt = new Date();
    let drafted: OrderDraft | null = typeof source === 'function' ? null : source;
    try {
      return await this.db.run(ctx, async (em) => {
        const draft = (drafted ??= await (source as (em: EntityManager) => Promise<OrderDraft>)(
          em,
        ));
        const prior = await this.claimAndConsume(em, ctx, draft, claim);
        if (prior) return { id: prior, number: '', createdAt, written: false, draft };
        await reserveStock(em, draft);
        const number = await this.insertOrder(em, ctx, draft, claim, { id, createdAt });
        return { id, number, createdAt, written: true, draft };
      });
    } catch (err) {
      if (drafted && isCreditRefusal(err)) await this.creditRefused(ctx, drafted);
      throw err;
    }
  }

  /**
   * Claims the key, then consumes the order's source; null when the key is new, else the order
   * of the earlier request with it. For a cart both happen in one statement: its lines are
   * removed only if the key was claimed.
   */
  private async claimAndConsume(
    em: EntityManager,
    ctx: TenantContext,
    draft: OrderDraft,
    claim: IdempotencyClaim,
  ): Promise<string | null> {
    if (draft.source.kind === 'quote') {
      const prior = await claimKey(em, ctx, claim);
      if (prior === null) await this.acceptQuote(em, ctx, draft.source.quoteId);
      return prior;
    }
    // The cart's lines, exactly as they were priced: a cart changed meanwhile (another tab, a
    // concurrent order with another key) must not turn into an order nobody saw.
    const [row] = (await em.query(
      prepared(`WITH claimed AS (
         INSERT INTO idempotency_key (tenant_id, user_id, key, operation, request_hash)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key),
       removed AS (
         DELETE FROM cart_line cl USING cart c
          WHERE EXISTS (SELECT 1 FROM claimed)
            AND cl.tenant_id = $1 AND c.tenant_id = $1 AND c.id = cl.cart_id AND c.user_id = $6
          RETURNING cl.variant_id, cl.quantity)
       SELECT (SELECT count(*) FROM claimed)::int AS claimed,
              (SELECT coalesce(json_agg(json_build_array(variant_id, quantity)), '[]')
                 FROM removed) AS removed`),
      [ctx.tenantId, claim.userId, claim.key, claim.operation, claim.requestHash, draft.userId],
    )) as Array<{ claimed: number; removed: Array<[number, number]> }>;
    if (row.claimed === 0) return priorOrder(em, ctx, claim);
    const expected = draft.source.quantities;
    const same =
      row.removed.length === expected.size &&
      row.removed.every(([variantId, quantity]) => expected.get(variantId) === quantity);
    if (!same)
      throw VitrineError.withMessage(
        'CONFLICT',
        'checkout.cartChanged',
        {},
        'Your cart changed while the order was being placed; check it and order again.',
      );
    return null;
  }

  /**
   * The order, its lines, its first status, its idempotency record and quote link, its number,
   * the credit it uses and its outbox messages: one statement. The number is the tenant's next
   * (`2026-00042`, per tenant and year, from the tenant's counter row); credit is taken only
   * within the limit. The counter and the company row are locked by every order of the tenant
   * or company, so they come last: the target list is evaluated left to right and each subquery
   * runs its data-modifying CTE when first read, so lines, status and links are written before
   * either lock is taken (foreign keys are checked at the end of the statement). The messages
   * carry the order document; its number is set in SQL (jsonb_set).
   *
   * A company without a credit limit cannot be refused credit: the statement is sent with the
   * COMMIT (TenantDb.commitWith), so both locks are held for the statement and the commit only.
   * Should a limit have been set since the draft, the order's company is taken from the credit
   * update's row, NULL when refused, and the statement fails (NOT NULL, {@link isCreditRefusal}).
   * A company with a limit commits after the check, as usual.
   */
  private async insertOrder(
    em: EntityManager,
    ctx: TenantContext,
    draft: OrderDraft,
    claim: IdempotencyClaim,
    order: { id: string; createdAt: Date },
  ): Promise<string> {
    const l = draft.lines;
    const year = localDate(order.createdAt, ctx.tenant.timeZone).slice(0, 4);
    const messages = announcements(
      ctx,
      { id: order.id, number: '', createdAt: order.createdAt },
      draft,
    );
    const unlimited = draft.creditLimitMinor === null;
    const sql = `WITH lines AS (
         INSERT INTO order_line (tenant_id, order_id, line_no, variant_id, sku, name, quantity,
           unit_minor, price_source, net_minor, tax_rate, tax_minor, weight_grams)
         SELECT $2, $1, n, v, s, nm, q, u, src, net, r::numeric, t, w
           FROM unnest($23::int[], $24::int[], $25::text[], $26::text[], $27::int[], $28::bigint[],
                       $29::text[], $30::bigint[], $31::text[], $32::bigint[], $33::int[])
             AS x(n, v, s, nm, q, u, src, net, r, t, w)
         RETURNING line_no),
       history AS (
         INSERT INTO order_status_change (tenant_id, order_id, status, note, changed_by, changed_at)
         VALUES ($2, $1, $5, $21, $4::uuid, $22)
         RETURNING id),
       claimed AS (
         UPDATE idempotency_key SET order_id = $1
          WHERE tenant_id = $2 AND user_id = $34 AND key = $35
         RETURNING key),
       quoted AS (
         UPDATE quote SET order_id = $1 WHERE tenant_id = $2 AND id = $20
         RETURNING id),
       seq AS (
         INSERT INTO tenant_sequence (tenant_id, name, value) VALUES ($2, 'order-' || $36, 1)
         ON CONFLICT (tenant_id, name) DO UPDATE SET value = tenant_sequence.value + 1
         RETURNING $36 || '-' || lpad(value::text, greatest(5, length(value::text)), '0') AS number),
       credit AS (
         UPDATE company SET credit_used_minor = credit_used_minor + $19, updated_at = now()
          WHERE tenant_id = $2 AND id = $3 AND $19::bigint > 0
            AND (credit_limit_minor IS NULL OR credit_used_minor + $19 <= credit_limit_minor)
         RETURNING id),
       o AS (
         INSERT INTO customer_order (id, tenant_id, number, company_id, placed_by, status, po_number,
           note, cost_centre, requested_delivery_date, ship_to, currency, subtotal_minor,
           shipping_minor, tax_minor, total_minor, vat, weight_grams, payment_terms,
           credit_reserved_minor, quote_id, approval_reason, created_at, updated_at)
         SELECT $1, $2, seq.number,
           CASE WHEN $19::bigint > 0 AND $41::boolean THEN (SELECT id FROM credit) ELSE $3::uuid END,
           $4, $5, $6, $7, $8, $9::date, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
           $21, $22, $22
           FROM seq
         RETURNING number),
       announced AS (
         INSERT INTO outbox_event (tenant_id, topic, dedupe_key, payload)
         SELECT $2, m.t, m.k, jsonb_set(m.p, m.path::text[], to_jsonb(o.number))
           FROM o, unnest($37::text[], $38::text[], $39::jsonb[], $40::text[]) AS m(t, k, p, path)
         ON CONFLICT (tenant_id, topic, dedupe_key) DO NOTHING
         RETURNING id)
       SELECT (SELECT count(*) FROM lines) AS lines, (SELECT count(*) FROM history) AS history,
              (SELECT count(*) FROM claimed) AS claimed, (SELECT count(*) FROM quoted) AS quoted,
              (SELECT number FROM o) AS number, (SELECT count(*) FROM announced) AS announced,
              (SELECT count(*) FROM credit)::int AS credited`;
    const params = [
      order.id,
      ctx.tenantId,
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
      year,
      messages.map((m) => m.topic),
      messages.map((m) => m.dedupeKey),
      messages.map((m) => JSON.stringify(m.payload)),
      messages.map((m) => (m.payload.kind === 'mail' ? '{data,order,number}' : '{order,number}')),
      unlimited,
    ];
    type Row = { number: string; credited: number };
    if (unlimited) {
      const [row] = await this.db.commitWith<Row>(em, prepared(sql), params);
      return row.number;
    }
    const [row] = (await em.query(prepared(sql), params)) as Row[];
    if (draft.creditMinor > 0 && row.credited === 0) await this.creditRefused(ctx, draft, em);
    return row.number;
  }

  /** Accepts the quote the order is made of; refused when it is no longer on offer. */
  private async acceptQuote(em: EntityManager, ctx: TenantContext, quoteId: string) {
    const accepted = returnedRows(
      await em.query(
        `UPDATE quote SET status = 'ACCEPTED', updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND status = 'OFFERED' AND valid_until > now()
          RETURNING id`,
        [ctx.tenantId, quoteId],
      ),
    );
    if (accepted.length === 0)
      throw VitrineError.withMessage(
        'QUOTE_EXPIRED',
        'quote.noLongerAcceptable',
        {},
        'This offer can no longer be accepted (it expired or was answered meanwhile).',
      );
  }

  /**
   * CREDIT_LIMIT_EXCEEDED with the credit available now: read in the refused order's unit of
   * work, or after it when its statement failed.
   */
  private async creditRefused(
    ctx: TenantContext,
    draft: OrderDraft,
    em?: EntityManager,
  ): Promise<never> {
    const read = (m: EntityManager) =>
      m.query(
        `SELECT greatest(credit_limit_minor - credit_used_minor, 0) AS available FROM company
          WHERE tenant_id = $1 AND id = $2`,
        [ctx.tenantId, draft.companyId],
      ) as Promise<Array<{ available: string }>>;
    const [row] = em ? await read(em) : await this.db.run(ctx, read);
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
}

/** E-mails and the ERP export of a new order. */
function announcements(
  ctx: TenantContext,
  written: { id: string; number: string; createdAt: Date },
  draft: OrderDraft,
): OutboxMessage[] {
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
  return messages;
}

/**
 * The order's statement failed because the credit update refused the order: company_id, taken
 * from that update's row, was NULL (see OrderWriter.insertOrder).
 */
function isCreditRefusal(err: unknown): boolean {
  const e = err as { code?: string; table?: string; column?: string };
  return e.code === '23502' && e.table === 'customer_order' && e.column === 'company_id';
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
  return priorOrder(em, ctx, claim);
}

/** The order of the earlier request that claimed the key (see {@link checkPrior}). */
async function priorOrder(
  em: EntityManager,
  ctx: TenantContext,
  claim: IdempotencyClaim,
): Promise<string | null> {
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
 * Reserves stock for every line in one statement: the rows are locked in variant-id order (so
 * two orders over the same articles cannot deadlock) and decremented only if all are there and
 * none is short; a line short of stock aborts the order with the SKUs and what is left.
 */
async function reserveStock(em: EntityManager, draft: OrderDraft): Promise<void> {
  const wanted = new Map<number, number>();
  for (const l of draft.lines) wanted.set(l.variantId, (wanted.get(l.variantId) ?? 0) + l.quantity);
  const ids = [...wanted.keys()].sort((a, b) => a - b);
  const [row] = (await em.query(
    prepared(`WITH want AS (SELECT * FROM unnest($1::int[], $2::int[]) AS x(id, q)),
     locked AS (
       SELECT v.id, v.sku, v.stock_on_hand FROM variant v
        WHERE v.id = ANY($1::int[]) ORDER BY v.id FOR UPDATE),
     short AS (
       SELECT l.id, l.sku, l.stock_on_hand FROM locked l JOIN want w ON w.id = l.id
        WHERE l.stock_on_hand < w.q),
     taken AS (
       UPDATE variant v SET stock_on_hand = v.stock_on_hand - w.q
         FROM want w
        WHERE v.id = w.id
          AND (SELECT count(*) FROM locked) = $3 AND NOT EXISTS (SELECT 1 FROM short)
       RETURNING v.id)
     SELECT (SELECT count(*) FROM taken)::int AS taken,
            (SELECT coalesce(json_agg(json_build_array(sku, stock_on_hand) ORDER BY id), '[]')
               FROM short) AS short`),
    [ids, ids.map((id) => wanted.get(id)), ids.length],
  )) as Array<{ taken: number; short: Array<[string, number]> }>;
  if (row.taken !== ids.length)
    throw VitrineError.withMessage(
      'OUT_OF_STOCK',
      row.short.length ? 'checkout.outOfStock' : 'checkout.noLongerSold',
      // SKU=available pairs; the page writes them out in its language.
      { shortStock: row.short.map(([sku, left]) => `${sku}=${left}`).join(';') },
      `Not enough stock: ${row.short.map(([sku, left]) => `${sku} (${left} available)`).join(', ') || 'an article is no longer sold'}. Adjust the quantities and order again.`,
      { skus: row.short.map(([sku]) => sku) },
    );
}
