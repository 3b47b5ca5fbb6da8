import { Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { CsrfGuard, RequireUser, setNotice } from '../session';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import {
  CheckoutPageService,
  EMPTY_CHECKOUT_FORM,
  type CheckoutForm,
} from './checkout-page.service';
import { field, formOf, type FormBody } from './page-input';
import './ordering-messages';

/**
 * Checkout: GET shows the cart's summary, the form (PO number, ship-to, delivery date, note,
 * cost centre) and whether the order will need approval; POST places the order through
 * CheckoutService.placeOrder with the form's idempotency key and goes to the order (303). A
 * refusal (PO missing, OUT_OF_STOCK, CREDIT_LIMIT_EXCEEDED, SHIPPING_UNAVAILABLE, …) shows the
 * form again with the message, the buyer's input kept, and the error's status.
 */
@Controller()
export class CheckoutController {
  constructor(
    private readonly checkout: CheckoutPageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/checkout')
  @RequireUser({ permission: 'SUBMIT_ORDER' })
  async show(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.render(ctx, req, reply, await this.checkout.view(ctx, EMPTY_CHECKOUT_FORM), 200);
  }

  @Post('/checkout')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'SUBMIT_ORDER' })
  async place(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const form = checkoutForm(body);
    const key = field(body, 'idempotencyKey');
    try {
      const order = await this.checkout.place(ctx, form, key);
      setNotice(req, reply, this.checkout.notice(ctx, order));
      return reply
        .code(303)
        .header('location', `/orders/${encodeURIComponent(order.number)}`)
        .send();
    } catch (err) {
      if (!(err instanceof VitrineError) || err.httpStatus >= 500 || err.code === 'UNAUTHENTICATED')
        throw err;
      const view = await this.checkout.view(ctx, form, errorMessage(ctx.locale, err), {
        // The same key again: the corrected form is still the one submission.
        idempotencyKey: key || undefined,
      });
      return this.render(ctx, req, reply, view, err.httpStatus);
    }
  }

  private render(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    view: Record<string, unknown>,
    status: number,
  ): FastifyReply {
    return this.pages.send(reply, ctx, req, 'checkout', view, {
      title: label(ctx.locale, 'checkout.title'),
      status,
      canonicalPath: '/checkout',
    });
  }
}

/** The checkout form's fields as sent (shared with accepting a quote). */
export function checkoutForm(body: FormBody): CheckoutForm {
  return {
    poNumber: field(body, 'poNumber'),
    shippingAddressId: field(body, 'shippingAddressId'),
    requestedDeliveryDate: field(body, 'requestedDeliveryDate'),
    note: field(body, 'note'),
    costCentre: field(body, 'costCentre'),
  };
}
