import { Injectable } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import { CartService, QuoteService, type QuoteView, type OrderView } from '@vitrine/ordering';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { label } from '../site/messages';
import { dateFormatter, moneyFormatter } from './page-input';

/** Quotes per page of the quote list. */
export const QUOTES_PAGE_SIZE = 20;

/**
 * The quote pages, from QuoteService — the same scope, rate limit and rules as the API's
 * `quotes`, `quote`, `requestQuote` and `acceptQuote`. A request from the cart turns the cart's
 * lines into a quote request; the cart itself stays as it is.
 */
@Injectable()
export class QuotePagesService {
  constructor(
    private readonly quotes: QuoteService,
    private readonly carts: CartService,
  ) {}

  async list(ctx: TenantContext, after: string | null): Promise<Record<string, unknown>> {
    const page = await this.quotes.page(ctx, QUOTES_PAGE_SIZE, after);
    const date = dateFormatter(ctx);
    return {
      quotes: page.views.map((q) => ({
        number: q.number,
        href: `/quotes/${encodeURIComponent(q.number)}`,
        date: date(q.createdAt),
        statusLabel: label(ctx.locale, `status.${q.status}`),
        status: q.status,
        validUntil: q.validUntil ? date(q.validUntil) : null,
        lineCount: q.lines.length,
      })),
      firstHref: after ? '/quotes' : null,
      nextHref: page.hasNextPage
        ? `/quotes?after=${encodeURIComponent(page.cursors[page.cursors.length - 1])}`
        : null,
    };
  }

  /** A quote of the caller's scope; another company's or tenant's is NOT_FOUND. */
  async get(ctx: TenantContext, number: string): Promise<QuoteView> {
    const quote = await this.quotes.byNumber(ctx, number);
    if (!quote)
      throw VitrineError.withMessage(
        'NOT_FOUND',
        'quote.notFound',
        { number },
        `You have no quote ${number}.`,
      );
    return quote;
  }

  model(ctx: TenantContext, q: QuoteView): Record<string, unknown> {
    const money = moneyFormatter(ctx, q.currency);
    const date = dateFormatter(ctx);
    const show = !!ctx.user?.canSeePrices;
    const offered = q.lines.every((l) => l.offeredUnitMinor !== null);
    const total = offered
      ? q.lines.reduce((sum, l) => sum + (l.offeredUnitMinor ?? 0) * l.quantity, 0)
      : null;
    return {
      number: q.number,
      status: q.status,
      statusLabel: label(ctx.locale, `status.${q.status}`),
      date: date(q.createdAt),
      validUntil: q.validUntil ? date(q.validUntil) : null,
      note: q.note,
      contactEmail: q.contactEmail,
      orderNumber: q.orderNumber,
      orderHref: q.orderNumber ? `/orders/${encodeURIComponent(q.orderNumber)}` : null,
      expired: q.status === 'EXPIRED',
      showPrices: show,
      lines: q.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        offered: show && l.offeredUnitMinor !== null ? money(l.offeredUnitMinor) : null,
        lineTotal:
          show && l.offeredUnitMinor !== null ? money(l.offeredUnitMinor * l.quantity) : null,
      })),
      total: show && total !== null ? money(total) : null,
      canAccept: q.status === 'OFFERED' && permissionsOf(ctx.user?.roles ?? []).has('SUBMIT_ORDER'),
    };
  }

  /**
   * A quote request of the cart's lines (signed-in users), or of the lines a prospect typed
   * (anonymous visitors of a public site, with their e-mail address).
   */
  async request(
    ctx: TenantContext,
    input: {
      lines?: ReadonlyArray<{ sku: string; quantity: number }>;
      note: string;
      contactEmail: string;
    },
    clientIp: string,
  ): Promise<QuoteView> {
    let lines = input.lines ?? [];
    if (ctx.user && lines.length === 0) {
      const cart = await this.carts.view(ctx);
      lines = (cart?.lines ?? []).map((l) => ({ sku: l.sku, quantity: l.quantity }));
    }
    return this.quotes.request(
      ctx,
      { lines, note: input.note || null, contactEmail: input.contactEmail || null },
      clientIp,
    );
  }

  /** The cart's lines as `SKU;quantity` text, to start a signed-in user's request form with. */
  async cartLinesText(ctx: TenantContext): Promise<string> {
    if (!ctx.user) return '';
    const cart = await this.carts.view(ctx);
    return (cart?.lines ?? []).map((l) => `${l.sku};${l.quantity}`).join('\n');
  }

  accept(
    ctx: TenantContext,
    number: string,
    idempotencyKey: string,
    input: Parameters<QuoteService['accept']>[3],
  ): Promise<OrderView> {
    return this.quotes.accept(ctx, number, idempotencyKey, input);
  }
}
