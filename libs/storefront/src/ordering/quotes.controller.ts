import { Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { one } from '../home.controller';
import { CsrfGuard, RequireUser, setNotice } from '../session';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { CheckoutPageService, EMPTY_CHECKOUT_FORM } from './checkout-page.service';
import { checkoutForm } from './checkout.controller';
import { field, formOf } from './page-input';
import { parseQuickOrder } from './quick-order-lines';
import { QuotePagesService } from './quote-pages.service';
import './ordering-messages';

/**
 * Quotes: the company's list and one quote with its offer; accepting an offer is a
 * checkout-like form (PO, ship-to, …) that places the order at the offered prices through
 * QuoteService.accept. A quote request is made from the cart (its lines) or, by anonymous
 * prospects of a public site, by typing lines and an e-mail address.
 */
@Controller()
export class QuotesController {
  constructor(
    private readonly quotes: QuotePagesService,
    private readonly checkout: CheckoutPageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/quotes')
  @RequireUser({ permission: 'VIEW_ORDERS' })
  async list(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('after') after?: string | string[],
  ): Promise<FastifyReply> {
    return this.pages.send(reply, ctx, req, 'quotes', await this.quotes.list(ctx, one(after)), {
      title: label(ctx.locale, 'quotes.title'),
      canonicalPath: '/quotes',
    });
  }

  @Get('/quotes/request')
  // Signed-in users with REQUEST_QUOTE; anonymous prospects only on a public site.
  @RequireUser({ whenLoginOnly: true, permission: 'REQUEST_QUOTE' })
  async requestForm(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const lines = await this.quotes.cartLinesText(ctx);
    return this.renderRequest(ctx, req, reply, { form: { lines } }, 200);
  }

  @Post('/quotes/request')
  @UseGuards(CsrfGuard)
  @RequireUser({ whenLoginOnly: true, permission: 'REQUEST_QUOTE' })
  async request(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const form = {
      lines: field(body, 'lines'),
      note: field(body, 'note'),
      contactEmail: field(body, 'contactEmail'),
    };
    try {
      // Typed lines (the request form); none from the cart page, whose lines the service takes.
      let lines: Array<{ sku: string; quantity: number }> | undefined;
      if (form.lines.trim()) {
        const parsed = parseQuickOrder(form.lines);
        if (parsed.unreadable.length)
          throw VitrineError.badInput(
            parsed.unreadable.map((u) => `${u.text}: ${u.reason}`).join(' '),
          );
        lines = parsed.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      }
      const quote = await this.quotes.request(
        ctx,
        { lines, note: form.note, contactEmail: form.contactEmail },
        req.ip,
      );
      setNotice(req, reply, label(ctx.locale, 'quotes.requested', { number: quote.number }));
      // Prospects cannot see a quote page (they get the offer by e-mail).
      const to = ctx.user ? `/quotes/${encodeURIComponent(quote.number)}` : '/';
      return reply.code(303).header('location', to).send();
    } catch (err) {
      if (err instanceof VitrineError && err.code === 'BAD_USER_INPUT')
        return this.renderRequest(
          ctx,
          req,
          reply,
          { error: errorMessage(ctx.locale, err), form },
          400,
        );
      throw err;
    }
  }

  @Get('/quotes/:number')
  @RequireUser({ permission: 'VIEW_ORDERS' })
  async detail(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    return this.renderQuote(ctx, req, reply, number, null, 200);
  }

  @Post('/quotes/:number/accept')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'SUBMIT_ORDER' })
  async accept(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const form = checkoutForm(body);
    const key = field(body, 'idempotencyKey');
    try {
      const order = await this.quotes.accept(ctx, number, key, {
        poNumber: form.poNumber,
        shippingAddressId: form.shippingAddressId || null,
        requestedDeliveryDate: form.requestedDeliveryDate || null,
        note: form.note,
        costCentre: form.costCentre || null,
      });
      setNotice(req, reply, this.checkout.notice(ctx, order));
      return reply
        .code(303)
        .header('location', `/orders/${encodeURIComponent(order.number)}`)
        .send();
    } catch (err) {
      // NOT_FOUND stays the 404 page; refusals of the offer or the form come back on the quote.
      if (
        !(err instanceof VitrineError) ||
        err.httpStatus >= 500 ||
        err.code === 'NOT_FOUND' ||
        err.code === 'UNAUTHENTICATED'
      )
        throw err;
      return this.renderQuote(
        ctx,
        req,
        reply,
        number,
        { form, error: errorMessage(ctx.locale, err), key },
        err.httpStatus,
      );
    }
  }

  private async renderQuote(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    number: string,
    failed: { form: ReturnType<typeof checkoutForm>; error: string; key: string } | null,
    status: number,
  ): Promise<FastifyReply> {
    const quote = await this.quotes.get(ctx, number);
    const model = this.quotes.model(ctx, quote);
    const acceptForm = model.canAccept
      ? await this.checkout.view(ctx, failed?.form ?? EMPTY_CHECKOUT_FORM, failed?.error ?? null, {
          quoteNumber: quote.number,
          idempotencyKey: failed?.key || undefined,
        })
      : null;
    return this.pages.send(
      reply,
      ctx,
      req,
      'quote',
      { ...model, accept: acceptForm, error: failed?.error ?? null },
      {
        title: label(ctx.locale, 'quote.title', { number: quote.number }),
        status,
        canonicalPath: `/quotes/${encodeURIComponent(quote.number)}`,
      },
    );
  }

  private renderRequest(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    data: Record<string, unknown>,
    status: number,
  ): FastifyReply {
    return this.pages.send(
      reply,
      ctx,
      req,
      'quote-request',
      { anonymous: !ctx.user, ...data },
      { title: label(ctx.locale, 'quotes.request'), status, canonicalPath: '/quotes/request' },
    );
  }
}
