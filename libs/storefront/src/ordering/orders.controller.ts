import { Controller, Get, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { one } from '../home.controller';
import { CsrfGuard, RequireUser, setNotice } from '../session';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { OrderPagesService } from './order-pages.service';
import { field, formOf } from './page-input';
import './ordering-messages';

/**
 * Order history (`/orders`, newest first, status filter incl. "waiting for my approval") and an
 * order (`/orders/<number>`) with reorder, approve and reject. An order outside the caller's
 * scope — another company's, another tenant's — is the 404 page, like one that does not exist.
 * Refusals of approve/reject (own order, above one's limit, already decided) are error pages
 * with their status.
 */
@Controller()
export class OrdersController {
  constructor(
    private readonly orders: OrderPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/orders')
  @RequireUser({ permission: 'VIEW_ORDERS' })
  async list(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('status') status?: string | string[],
    @Query('after') after?: string | string[],
  ): Promise<FastifyReply> {
    const filter = one(status);
    const view = await this.orders.list(ctx, filter, one(after));
    return this.pages.send(
      reply,
      ctx,
      req,
      'orders',
      { ...view, filter: filter ?? '' },
      {
        title: label(ctx.locale, 'orders.title'),
        canonicalPath: filter ? `/orders?status=${encodeURIComponent(filter)}` : '/orders',
      },
    );
  }

  @Get('/orders/:number')
  @RequireUser({ permission: 'VIEW_ORDERS' })
  async detail(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    const view = await this.orders.detail(ctx, number);
    return this.pages.send(reply, ctx, req, 'order', view, {
      title: label(ctx.locale, 'order.title', { number: view.number }),
      canonicalPath: `/orders/${encodeURIComponent(String(view.number))}`,
    });
  }

  @Post('/orders/:number/reorder')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'MANAGE_CART' })
  async reorder(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    const { rejected } = await this.orders.reorder(ctx, number);
    setNotice(req, reply, this.orders.reorderNotice(ctx, number, rejected));
    return reply.code(303).header('location', '/cart').send();
  }

  @Post('/orders/:number/approve')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'APPROVE_ORDER' })
  async approve(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    const order = await this.orders.approve(ctx, number);
    setNotice(req, reply, label(ctx.locale, 'order.approved', { number: order.number }));
    return reply.code(303).header('location', orderPath(order.number)).send();
  }

  @Post('/orders/:number/reject')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'APPROVE_ORDER' })
  async reject(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
  ): Promise<FastifyReply> {
    // An empty reason is refused by the service (400 page): the requester is always told why.
    const order = await this.orders.reject(ctx, number, field(formOf(req), 'reason'));
    setNotice(req, reply, label(ctx.locale, 'order.rejected', { number: order.number }));
    return reply.code(303).header('location', orderPath(order.number)).send();
  }
}

function orderPath(number: string): string {
  return `/orders/${encodeURIComponent(number)}`;
}
