import { Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { CartService } from '@vitrine/ordering';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { CsrfGuard, RequireUser, setNotice } from '../session';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { CartPageService, type CartPageExtras } from './cart-page.service';
import { field, formOf, formQuantity, sameSitePath } from './page-input';
import './ordering-messages';

/**
 * The cart page and its forms: add (from product pages), update a line (0 removes). A refused
 * line comes back as the cart page with the reason and the cart unchanged (422; 400 for a
 * quantity that is not a whole number of at least 1). Thin: the rules are CartService's.
 */
@Controller()
export class CartController {
  constructor(
    private readonly carts: CartService,
    private readonly page: CartPageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/cart')
  @RequireUser({ permission: 'MANAGE_CART' })
  async show(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.render(ctx, req, reply, {}, 200);
  }

  @Post('/cart/add')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'MANAGE_CART' })
  async add(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const back = returnPath(req, field(body, 'next'));
    const sku = field(body, 'sku').trim();
    const raw = field(body, 'quantity');
    const quantity = formQuantity(raw);
    if (!sku) return this.render(ctx, req, reply, { error: label(ctx.locale, 'cart.noSku') }, 400);
    if (quantity === null || quantity < 1)
      return this.render(
        ctx,
        req,
        reply,
        { error: label(ctx.locale, 'cart.badQuantity', { value: raw }) },
        400,
      );
    const { rejected } = await this.carts.add(ctx, [{ sku, quantity }]);
    if (rejected.length) return this.render(ctx, req, reply, { rejected }, 422);
    setNotice(req, reply, label(ctx.locale, 'cart.added', { quantity, sku }));
    return reply.code(303).header('location', back).send();
  }

  @Post('/cart/update')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'MANAGE_CART' })
  async update(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const sku = field(body, 'sku').trim();
    const raw = field(body, 'quantity');
    const quantity = formQuantity(raw);
    if (!sku) return this.render(ctx, req, reply, { error: label(ctx.locale, 'cart.noSku') }, 400);
    if (quantity === null || quantity < 0)
      return this.render(
        ctx,
        req,
        reply,
        { error: label(ctx.locale, 'cart.badUpdateQuantity', { value: raw }) },
        400,
      );
    try {
      await this.carts.update(ctx, sku, quantity);
    } catch (err) {
      // Below the minimum, not a multiple, beyond the stock, not an article: the page says why.
      if (
        err instanceof VitrineError &&
        (err.code === 'BAD_USER_INPUT' || err.code === 'NOT_FOUND')
      )
        return this.render(
          ctx,
          req,
          reply,
          { error: errorMessage(ctx.locale, err) },
          err.code === 'NOT_FOUND' ? 404 : 422,
        );
      throw err;
    }
    setNotice(
      req,
      reply,
      quantity === 0
        ? label(ctx.locale, 'cart.removed', { sku })
        : label(ctx.locale, 'cart.updated'),
    );
    return reply.code(303).header('location', '/cart').send();
  }

  private async render(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    extras: CartPageExtras,
    status: number,
  ): Promise<FastifyReply> {
    return this.pages.send(reply, ctx, req, 'cart', await this.page.view(ctx, extras), {
      title: label(ctx.locale, 'cart.title'),
      status,
      canonicalPath: '/cart',
    });
  }
}

/**
 * Where to go after adding: the form's `next`, else the page the form was on (a same-origin
 * Referer: the site sends `Referrer-Policy: same-origin`), else the cart — always a path on this
 * host.
 */
function returnPath(req: FastifyRequest, next: string): string {
  if (next) return sameSitePath(next, '/cart');
  const referer = req.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === req.host) return sameSitePath(`${url.pathname}${url.search}`, '/cart');
    } catch {
      // not a URL: ignore
    }
  }
  return '/cart';
}
