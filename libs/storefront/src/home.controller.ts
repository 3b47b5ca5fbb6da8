import { Controller, Get, Header, Query } from '@nestjs/common';
import { TemplateRenderer } from '@vitrine/templating';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { join } from 'node:path';
import { HomePageService } from './home-page.service';

/** Repeated query parameters arrive as arrays; a page takes the first of each. */
function one(value: string | string[] | undefined): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  return v == null || v === '' ? null : v;
}

/**
 * The microsite's home page at `/` on the tenant's own host: branding, categories, search and
 * one page of the assortment with the viewer's prices. Thin: one service call, one template.
 */
@Controller()
export class HomeController {
  private readonly templates = new TemplateRenderer(join(__dirname, 'templates'));

  constructor(private readonly home: HomePageService) {}

  @Get('/')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'private, no-store')
  async index(
    @HttpCtx() ctx: TenantContext,
    @Query('q') q?: string | string[],
    @Query('category') category?: string | string[],
    @Query('after') after?: string | string[],
  ): Promise<string> {
    const view = await this.home.view(ctx, {
      search: one(q),
      categorySlug: one(category),
      after: one(after),
    });
    return this.templates.render('home', view);
  }
}
