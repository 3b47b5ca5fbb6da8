import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { RequireUser } from '../session/require-user';
import { PageRenderer } from '../site/page-renderer';
import './catalog-messages';
import { ListingPageService } from './listing-page.service';
import { firstParam, parseFilters, type QueryParams } from './listing-params';
import { ProductPageService } from './product-page.service';

/**
 * The catalog pages of the microsite: category listing `/c/<slug>`, search `/search?q=` and
 * product detail `/p/<slug>`. Thin: one service call, one template. On a login-only site an
 * anonymous visitor is sent to sign in (303 to `/login?next=…`), as the API's BROWSE access
 * refuses them; a public site shows prospects the catalog.
 */
@Controller()
@RequireUser({ whenLoginOnly: true })
export class CatalogPagesController {
  constructor(
    private readonly listings: ListingPageService,
    private readonly products: ProductPageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/c/:slug')
  async category(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query() query: QueryParams,
  ): Promise<FastifyReply> {
    const view = await this.listings.category(ctx, slug, {
      after: firstParam(query['after']),
      filters: parseFilters(query),
    });
    // Filters, cursor and language are views of the one category page.
    return this.pages.send(reply, ctx, req, 'category', view, {
      title: view.title,
      canonicalPath: `/c/${encodeURIComponent(slug)}`,
    });
  }

  @Get('/search')
  async search(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: QueryParams,
  ): Promise<FastifyReply> {
    const q = firstParam(query['q']);
    const view = await this.listings.search(ctx, q, {
      after: firstParam(query['after']),
      filters: parseFilters(query),
    });
    return this.pages.send(reply, ctx, req, 'search', view, {
      title: view.title,
      canonicalPath: q ? `/search?q=${encodeURIComponent(q)}` : '/search',
    });
  }

  @Get('/p/:slug')
  async product(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
  ): Promise<FastifyReply> {
    const view = await this.products.view(ctx, slug);
    return this.pages.send(reply, ctx, req, 'product', view, {
      title: view.title,
      canonicalPath: `/p/${encodeURIComponent(view.slug)}`,
    });
  }
}
