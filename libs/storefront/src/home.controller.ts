import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';

/** Repeated query parameters arrive as arrays; a page takes the first of each. */
export function one(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v == null || v === '' ? null : v;
}

/**
 * The microsite's home page at `/` on the tenant's own host: categories and one page of the
 * assortment with the viewer's prices. Thin: one service call, one template.
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
    @Query('category') category?: string | string[],
    @Query('after') after?: string | string[],
  ): Promise<FastifyReply> {
    const view = await this.home.view(ctx, {
      search: one(q),
      categorySlug: one(category),
      after: one(after),
    });
    return this.pages.send(reply, ctx, req, 'home', view, { title: '', canonicalPath: '/' });
  }
}
