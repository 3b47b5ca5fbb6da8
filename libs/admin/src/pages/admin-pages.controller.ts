import { Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusFor, VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminLoginService } from '../accounts/admin-login.service';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { ADMIN_PAGES } from './admin-page-paths';
import { AdminPageRenderer } from './admin-page-renderer';
import { AdminPageSessions, type AdminPageVisitor } from './admin-page-session.service';
import { AdminPagesService } from './admin-pages.service';
import { AdminTenantListsService, type TenantListPage } from './admin-tenant-lists.service';
import { field, filled } from './page-query';

/** The admin host's port as the visitor typed it (the microsites are served on the same). */
function portOf(host: string): string | null {
  return /^(?:\[[^\]]*\]|[^:]*):(\d+)$/.exec(host)?.[1] ?? null;
}

/**
 * The server-rendered admin pages on the admin host (the host hook answers 404 for these paths
 * everywhere else): sign in and out, the tenants the admin may see, one tenant's KPIs and its
 * recent orders, quotes and audit log (read-only). Thin:
 * the session (AdminPageSessions), one service call, one template. Errors are HTML pages
 * (AdminPageErrorFilter).
 */
@Controller()
@UseFilters(AdminPageErrorFilter)
export class AdminPagesController {
  constructor(
    private readonly sessions: AdminPageSessions,
    private readonly login: AdminLoginService,
    private readonly pages: AdminPagesService,
    private readonly lists: AdminTenantListsService,
    private readonly renderer: AdminPageRenderer,
  ) {}

  @Get(ADMIN_PAGES.stylesheet)
  stylesheet(@Res() reply: FastifyReply): FastifyReply {
    return reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(this.renderer.stylesheet);
  }

  @Get(ADMIN_PAGES.login)
  async loginForm(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    if (visitor.admin) return reply.redirect(ADMIN_PAGES.home, 303);
    return this.renderer.send(reply, 200, 'login', visitor, 'Sign in', { error: null, email: '' });
  }

  @Post(ADMIN_PAGES.login)
  async signIn(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    this.sessions.requireCsrf(req, visitor);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = field(body.email) ?? '';
    try {
      const { issued } = await this.login.login(email, field(body.password) ?? '', req.ip);
      await this.sessions.start(req, reply, issued);
      return reply.redirect(ADMIN_PAGES.home, 303);
    } catch (err) {
      if (!(err instanceof VitrineError)) throw err;
      if (err.code === 'RATE_LIMITED' && typeof err.details?.retryAfterSeconds === 'number')
        reply.header('retry-after', String(err.details.retryAfterSeconds));
      return this.renderer.send(reply, httpStatusFor(err.code), 'login', visitor, 'Sign in', {
        error: err.message,
        email: email.slice(0, 254),
      });
    }
  }

  @Post(ADMIN_PAGES.logout)
  async signOut(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    if (visitor.admin) {
      this.sessions.requireCsrf(req, visitor);
      await this.sessions.end(req, reply);
    }
    return reply.redirect(ADMIN_PAGES.login, 303);
  }

  @Get(ADMIN_PAGES.home)
  async tenants(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('status') status: unknown,
    @Query('after') after: unknown,
  ): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    if (!visitor.admin) return reply.redirect(ADMIN_PAGES.login, 303);
    const view = await this.pages.tenantList(
      visitor.admin,
      { status: filled(status), after: filled(after) },
      { protocol: req.protocol, port: portOf(req.host) },
    );
    return this.renderer.send(reply, 200, 'tenants', visitor, 'Tenants', { ...view });
  }

  @Get('/admin/tenants/:slug')
  async tenant(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
  ): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    if (!visitor.admin) return reply.redirect(ADMIN_PAGES.login, 303);
    const kpis = await this.pages.tenantKpis(visitor.admin, slug, {
      // An empty date field means "the default", as when the page is opened without dates.
      from: field(from) || null,
      to: field(to) || null,
    });
    return this.renderer.send(reply, 200, 'tenant', visitor, kpis.name, {
      kpis,
      tenant: kpis,
      action: ADMIN_PAGES.tenant(kpis.slug),
    });
  }

  @Get('/admin/tenants/:slug/orders')
  orders(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('status') status: unknown,
    @Query('after') after: unknown,
  ): Promise<FastifyReply> {
    return this.listPage(req, reply, 'orders', 'Orders', (admin) =>
      this.lists.orderList(admin, slug, { status: filled(status), after: filled(after) }),
    );
  }

  @Get('/admin/tenants/:slug/quotes')
  quotes(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('status') status: unknown,
    @Query('after') after: unknown,
  ): Promise<FastifyReply> {
    return this.listPage(req, reply, 'quotes', 'Quotes', (admin) =>
      this.lists.quoteList(admin, slug, { status: filled(status), after: filled(after) }),
    );
  }

  @Get('/admin/tenants/:slug/audit')
  auditLog(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('after') after: unknown,
  ): Promise<FastifyReply> {
    return this.listPage(req, reply, 'audit', 'Audit log', (admin) =>
      this.lists.auditList(admin, slug, { after: filled(after) }),
    );
  }

  /** One of a tenant's read-only lists: signed in, one service call, one template. */
  private async listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    template: 'orders' | 'quotes' | 'audit',
    title: string,
    load: (admin: AdminIdentity) => Promise<TenantListPage<unknown>>,
  ): Promise<FastifyReply> {
    const visitor = await this.visitor(req, reply);
    if (!visitor.admin) return reply.redirect(ADMIN_PAGES.login, 303);
    const view = await load(visitor.admin);
    return this.renderer.send(reply, 200, template, visitor, `${title} · ${view.tenant.name}`, {
      ...view,
    });
  }

  private async visitor(req: FastifyRequest, reply: FastifyReply): Promise<AdminPageVisitor> {
    const visitor = await this.sessions.visitor(req, reply);
    req.adminPageVisitor = visitor;
    return visitor;
  }
}
