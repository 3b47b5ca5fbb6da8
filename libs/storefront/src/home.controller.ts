import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import './catalog/catalog-messages';
import { firstParam } from './catalog/listing-params';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';

/** Repeated query parameters arrive as arrays; a page takes the first of each. */
export const one = firstParam;

/**
 * The microsite's home page at `/` on the tenant's own host: featured categories, "order
 * again" shortcuts and one page of the assortment with the viewer's prices. Thin: one service
 * call, one template. Open to anonymous visitors of a login-only site (who see a sign-in hint).
 */
@Controller()
export class HomeController {
  constructor(
    private readonly home: HomePageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/')
  async index(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('q') q?: string | string[],
    @Query('after') after?: string | string[],
  ): Promise<FastifyReply> {
    const view = await this.home.view(ctx, { search: one(q), after: one(after) });
    return this.pages.send(reply, ctx, req, 'home', view, { title: '', canonicalPath: '/' });
  }
}
