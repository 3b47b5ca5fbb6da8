import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CACHE_STORE, tenantKey, type CacheStore } from '@vitrine/cache';
import { normalizeSku, type TaxCategory } from '@vitrine/catalog';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { Outbox } from '@vitrine/outbox';
import { MAX_QUANTITY, minorFromDb } from '@vitrine/pricing';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { CartService } from './cart.service';
import { CheckoutService } from './checkout.service';
import { loadQuoteDocument } from './documents';
import { checkoutRequest, OrderDraftService, tenantToday } from './order-draft.service';
import { decodeTimeCursor, encodeTimeCursor, type OrderView } from './order-reader';
import { mail } from './order-writer.service';

export interface QuoteView {
  id: string;
  number: string;
  /** EXPIRED when an offer's validity has passed, whatever is stored. */
  status: string;
  contactEmail: string;
  note: string | null;
  currency: string;
  validUntil: Date | null;
  createdAt: Date;
  orderNumber: string | null;
  lines: Array<{ sku: string; name: string; quantity: number; offeredUnitMinor: number | null }>;
}

export interface QuoteRequest {
  lines: ReadonlyArray<{ sku: string; quantity: number }>;
  note?: string | null;
  contactEmail?: string | null;
}

const MAX_LINES = 100;
const MAX_NOTE = 2000;
/** Anonymous prospects may request this many quotes per address and hour. */
export const ANONYMOUS_QUOTES_PER_HOUR = 5;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const QUOTE_SELECT = `SELECT q.id, q.number, q.status, q.contact_email, q.note, q.currency, q.valid_until,
    q.created_at, to_char(q.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key,
    o.number AS order_number
  FROM quote q LEFT JOIN customer_order o ON o.tenant_id = q.tenant_id AND o.id = q.order_id`;

/**
 * Quotes on the storefront: a signed-in user or an anonymous prospect (on a public site, with a
 * contact e-mail) asks for prices; the seller offers them through the admin API; the company's
 * buyer accepts the offer before it expires, which places an order at the offered prices
 * (source QUOTE) through the same checkout as a cart.
 */
@Injectable()
export class QuoteService {
  constructor(
    private readonly db: TenantDb,
    private readonly carts: CartService,
    private readonly drafts: OrderDraftService,
    private readonly checkout: CheckoutService,
    private readonly outbox: Outbox,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  async request(ctx: TenantContext, input: QuoteRequest, clientIp: string): Promise<QuoteView> {
    const user = ctx.user;
    if (user && !permissionsOf(user.roles).has('REQUEST_QUOTE'))
      throw new VitrineError('FORBIDDEN', 'Your account may not request quotes.');
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE)
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'checkout.noteTooLong',
        { max: MAX_NOTE },
        `A note has at most ${MAX_NOTE} characters.`,
        { argument: 'note' },
      );
    const lines = mergeLines(input.lines);
    let contactEmail = input.contactEmail?.trim().toLowerCase() || null;
    if (contactEmail && !EMAIL.test(contactEmail))
      throw VitrineError.withMessage(
        'BAD_USER_INPUT',
        'quote.badEmail',
        { email: contactEmail },
        `${contactEmail} is not an e-mail address.`,
        { argument: 'contactEmail' },
      );
    if (!user) {
      if (!contactEmail)
        throw VitrineError.withMessage(
          'BAD_USER_INPUT',
          'quote.emailMissing',
          {},
          'Give an e-mail address for the offer.',
          { argument: 'contactEmail' },
        );
      const hit = await this.cache.hit(tenantKey(ctx.tenantId, 'quote-request', clientIp), 3600);
      if (hit.count > ANONYMOUS_QUOTES_PER_HOUR)
        throw new VitrineError(
          'RATE_LIMITED',
          `Too many quote requests; try again in ${Math.ceil(hit.resetInSeconds / 60)} minutes.`,
        );
    }
    const id = await this.db.run(ctx, async (em) => {
      const articles = await this.carts.articles(
        em,
        ctx,
        lines.map((l) => l.sku),
      );
      const unknown = lines.filter((l) => !articles.has(l.sku)).map((l) => l.sku);
      if (unknown.length)
        throw VitrineError.withMessage(
          'BAD_USER_INPUT',
          'quote.unknownArticles',
          { skus: unknown.join(', ') },
          `Not articles of this shop: ${unknown.join(', ')}.`,
          { skus: unknown },
        );
      if (user && !contactEmail) {
        const [me] = (await em.query(
          `SELECT email FROM app_user WHERE tenant_id = $1 AND id = $2`,
          [ctx.tenantId, user.id],
        )) as Array<{ email: string }>;
        contactEmail = me.email;
      }
      const [{ id }] = (await em.query(
        `INSERT INTO quote (tenant_id, number, company_id, requested_by, contact_email, note, status, currency)
         VALUES ($1, 'Q' || to_char(now() AT TIME ZONE $2, 'YYYY') || '-' || lpad(nextval('quote_number_seq')::text, 6, '0'),
                 $3, $4, $5, $6, 'REQUESTED', $7)
         RETURNING id`,
        [
          ctx.tenantId,
          ctx.tenant.timeZone,
          user?.company?.id ?? null,
          user?.id ?? null,
          contactEmail,
          note,
          ctx.currency,
        ],
      )) as Array<{ id: string }>;
      await em.query(
        `INSERT INTO quote_line (tenant_id, quote_id, line_no, variant_id, sku, name, quantity)
         SELECT $1, $2, n, v, s, nm, q
           FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::int[]) AS x(n, v, s, nm, q)`,
        [
          ctx.tenantId,
          id,
          lines.map((_, i) => i + 1),
          lines.map((l) => articles.get(l.sku)!.variantId),
          lines.map((l) => l.sku),
          lines.map((l) => articles.get(l.sku)!.name),
          lines.map((l) => l.quantity),
        ],
      );
      const quote = await loadQuoteDocument(em, ctx.tenant, id);
      await this.outbox.enqueue(em, ctx.tenantId, [
        mail(`quote-requested:${id}`, 'quote-requested', [contactEmail as string], ctx, {
          quote,
        }),
      ]);
      return id;
    });
    return this.read(ctx, id);
  }

  /** The quotes of the user's company (or only their own, as with orders), newest first. */
  async page(
    ctx: TenantContext,
    first: number,
    after: string | null,
  ): Promise<{ views: QuoteView[]; cursors: string[]; hasNextPage: boolean }> {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw VitrineError.badInput('`first` must be between 1 and 100.', { argument: 'first' });
    const cursor = after ? decodeTimeCursor(after) : null;
    const { sql, params } = scope(ctx);
    return this.db.run(ctx, async (em) => {
      const rows = (await em.query(
        `${QUOTE_SELECT} WHERE ${sql}
           AND ($4::timestamptz IS NULL OR (q.created_at, q.id) < ($4::timestamptz, $5::uuid))
         ORDER BY q.created_at DESC, q.id DESC LIMIT $6`,
        [...params, cursor?.at ?? null, cursor?.id ?? null, first + 1],
      )) as QuoteRow[];
      const page = rows.slice(0, first);
      return {
        views: await views(em, ctx, page),
        cursors: page.map((r) => encodeTimeCursor({ at: r.created_key, id: r.id })),
        hasNextPage: rows.length > first,
      };
    });
  }

  async byNumber(ctx: TenantContext, number: string): Promise<QuoteView | null> {
    const { sql, params } = scope(ctx);
    return this.db.run(ctx, async (em) => {
      const rows = (await em.query(`${QUOTE_SELECT} WHERE ${sql} AND q.number = $4`, [
        ...params,
        number.trim(),
      ])) as QuoteRow[];
      return (await views(em, ctx, rows))[0] ?? null;
    });
  }

  /** Places an order of the offer at its prices, once per idempotency key. */
  async accept(
    ctx: TenantContext,
    number: string,
    idempotencyKey: string,
    input: Parameters<typeof checkoutRequest>[0] = {},
  ): Promise<OrderView> {
    const request = checkoutRequest(input, tenantToday(ctx));
    return this.checkout.once(ctx, 'acceptQuote', { number, request }, idempotencyKey, async () => {
      const quote = await this.byNumber(ctx, number);
      if (!quote || !ctx.user?.company)
        throw VitrineError.withMessage(
          'NOT_FOUND',
          'quote.notFound',
          { number },
          `You have no quote ${number}.`,
        );
      if (quote.status === 'EXPIRED')
        throw VitrineError.withMessage(
          'QUOTE_EXPIRED',
          'quote.expired',
          { number, date: quote.validUntil?.toISOString().slice(0, 10) ?? '' },
          `The offer of quote ${number} expired on ${quote.validUntil?.toISOString().slice(0, 10)}; request a new quote.`,
        );
      if (quote.status !== 'OFFERED')
        throw VitrineError.withMessage(
          'CONFLICT',
          'quote.notOffered',
          { number, status: quote.status },
          `Quote ${number} is ${quote.status.toLowerCase()}; only an offered quote can be accepted.`,
          { status: quote.status },
        );
      const lines = await this.db.run(ctx, (em) => quoteArticles(em, ctx, quote.id));
      return this.drafts.fromQuote(
        ctx,
        request,
        quote.id,
        lines,
        new Map(lines.map((l) => [l.variantId, l.offeredUnitMinor])),
      );
    });
  }

  private async read(ctx: TenantContext, id: string): Promise<QuoteView> {
    return this.db.run(ctx, async (em) => {
      const rows = (await em.query(`${QUOTE_SELECT} WHERE q.tenant_id = $1 AND q.id = $2`, [
        ctx.tenantId,
        id,
      ])) as QuoteRow[];
      return (await views(em, ctx, rows))[0];
    });
  }
}

/** Lines of a request: SKUs normalized, the same SKU merged, quantities checked. */
function mergeLines(lines: QuoteRequest['lines']): Array<{ sku: string; quantity: number }> {
  if (lines.length === 0 || lines.length > MAX_LINES)
    throw VitrineError.withMessage(
      'BAD_USER_INPUT',
      'quote.lineCount',
      { max: MAX_LINES },
      `A quote request has 1 to ${MAX_LINES} lines.`,
      { argument: 'lines' },
    );
  const merged = new Map<string, number>();
  for (const line of lines) {
    const sku = normalizeSku(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY)
      throw VitrineError.badInput(
        `The quantity of ${sku || '(empty)'} must be a whole number from 1 to ${MAX_QUANTITY}; got ${line.quantity}.`,
        { sku },
      );
    merged.set(sku, (merged.get(sku) ?? 0) + line.quantity);
  }
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

function scope(ctx: TenantContext): { sql: string; params: unknown[] } {
  const user = ctx.user;
  if (!user?.company)
    throw new VitrineError('FORBIDDEN', 'Quotes belong to a company; your account has none.');
  const own = !permissionsOf(user.roles).has('VIEW_COMPANY_ORDERS');
  return {
    sql: `q.tenant_id = $1 AND q.company_id = $2 AND ($3::uuid IS NULL OR q.requested_by = $3)`,
    params: [ctx.tenantId, user.company.id, own ? user.id : null],
  };
}

async function views(
  em: EntityManager,
  ctx: TenantContext,
  rows: QuoteRow[],
): Promise<QuoteView[]> {
  if (rows.length === 0) return [];
  const lines = (await em.query(
    `SELECT quote_id, sku, name, quantity, offered_unit_minor FROM quote_line
      WHERE tenant_id = $1 AND quote_id = ANY($2::uuid[]) ORDER BY quote_id, line_no`,
    [ctx.tenantId, rows.map((r) => r.id)],
  )) as Array<{
    quote_id: string;
    sku: string;
    name: string;
    quantity: number;
    offered_unit_minor: string | null;
  }>;
  const now = Date.now();
  return rows.map((r) => {
    const validUntil = r.valid_until ? new Date(r.valid_until) : null;
    return {
      id: r.id,
      number: r.number,
      status:
        r.status === 'OFFERED' && validUntil && validUntil.getTime() <= now ? 'EXPIRED' : r.status,
      contactEmail: r.contact_email,
      note: r.note,
      currency: r.currency.trim(),
      validUntil,
      createdAt: new Date(r.created_at),
      orderNumber: r.order_number,
      lines: lines
        .filter((l) => l.quote_id === r.id)
        .map((l) => ({
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          offeredUnitMinor:
            l.offered_unit_minor === null ? null : minorFromDb(l.offered_unit_minor),
        })),
    };
  });
}

/** The quote's lines with what checkout needs of their articles and the offered unit prices. */
async function quoteArticles(em: EntityManager, ctx: TenantContext, quoteId: string) {
  const rows = (await em.query(
    `SELECT v.id AS variant_id, ql.sku, ql.name, ql.quantity, ql.offered_unit_minor, v.tax_category,
            c.path AS category_path, v.weight_grams, v.volume_ml
       FROM quote_line ql
       JOIN variant v ON v.id = ql.variant_id
       JOIN product p ON p.id = v.product_id
       LEFT JOIN category c ON c.id = p.category_id
      WHERE ql.tenant_id = $1 AND ql.quote_id = $2 ORDER BY ql.line_no`,
    [ctx.tenantId, quoteId],
  )) as Array<{
    variant_id: number;
    sku: string;
    name: string;
    quantity: number;
    offered_unit_minor: string | null;
    tax_category: TaxCategory;
    category_path: string | null;
    weight_grams: number | null;
    volume_ml: number | null;
  }>;
  if (rows.some((r) => r.offered_unit_minor === null))
    throw VitrineError.withMessage(
      'CONFLICT',
      'quote.unpricedLines',
      {},
      'The offer has lines without a price; ask the seller.',
    );
  return rows.map((r) => ({
    variantId: r.variant_id,
    sku: r.sku,
    name: r.name,
    quantity: r.quantity,
    categoryPath: r.category_path ? r.category_path.split('/') : [],
    taxCategory: r.tax_category,
    weightGrams: r.weight_grams,
    volumeMl: r.volume_ml,
    offeredUnitMinor: minorFromDb(r.offered_unit_minor as string),
  }));
}

interface QuoteRow {
  id: string;
  number: string;
  status: string;
  contact_email: string;
  note: string | null;
  currency: string;
  valid_until: Date | string | null;
  created_at: Date | string;
  created_key: string;
  order_number: string | null;
}
