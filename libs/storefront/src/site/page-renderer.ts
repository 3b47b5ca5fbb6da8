import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import type { MessageRef } from '@vitrine/errors';
import { pageMessage } from './domain-messages';
import { label } from './messages';
import { ThemeEnvironments } from './theme-environments';

/** What the session layer tells pages about the request (set by the session hook). */
export interface SiteRequestState {
  /** The CSRF token every form of the page carries; null when the request has no session. */
  csrfToken: string | null;
  /** Display name of the signed-in user. */
  userName: string | null;
  /** A one-time notice after a redirect (e.g. "Order 2026-00042 placed"). */
  notice: string | null;
  /** This response's Content-Security-Policy nonce: the page's own <style> and <script> carry it. */
  cspNonce: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    site?: SiteRequestState;
  }
}

export interface PageOptions {
  /** The page's own title; the tenant's name is appended. */
  title: string;
  status?: number;
  /** Path (with query) of the canonical URL; default the request's path without query. */
  canonicalPath?: string;
}

/**
 * Renders a page of the microsite in the tenant's theme: the layout (language, title, canonical
 * URL, theme colours as CSS custom properties, navigation for the signed-in user, locale
 * switcher, footer) around `pages/<page>.hbs`. Pages are personal (prices, cart): never cached
 * by shared caches.
 */
@Injectable()
export class PageRenderer {
  constructor(private readonly themes: ThemeEnvironments) {}

  render(
    ctx: TenantContext,
    req: FastifyRequest,
    page: string,
    data: Record<string, unknown>,
    options: PageOptions,
  ): string {
    return this.themes.for(ctx.tenant).page(page, {
      ...data,
      ...this.shell(ctx, req, options),
    });
  }

  send(
    reply: FastifyReply,
    ctx: TenantContext,
    req: FastifyRequest,
    page: string,
    data: Record<string, unknown>,
    options: PageOptions,
  ): FastifyReply {
    return reply
      .code(options.status ?? 200)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'SAMEORIGIN')
      .send(this.render(ctx, req, page, data, options));
  }

  /** A themed error page with the right status and a message the visitor can act on. */
  error(
    ctx: TenantContext,
    req: FastifyRequest,
    status: number,
    message: string | null,
    code: string | null = null,
    /** The error's message by key (VitrineError.messageRef), to say it in the page's language. */
    messageRef: MessageRef | null = null,
  ): string {
    const known = [400, 403, 404, 413, 415, 429].includes(status) ? status : 500;
    return this.render(
      ctx,
      req,
      'error',
      {
        status,
        code,
        heading: label(ctx.locale, `error.title.${known}`),
        message: message
          ? pageMessage(ctx.locale, messageRef, message)
          : label(ctx.locale, known === 404 ? 'error.text.404' : 'error.text.500'),
      },
      { title: label(ctx.locale, `error.title.${known}`), status },
    );
  }

  /** What every page shows around its content. */
  private shell(ctx: TenantContext, req: FastifyRequest, options: PageOptions) {
    const theme = ctx.tenant.theme;
    const path = req.url.split('?', 1)[0];
    const origin = `${req.protocol}://${canonicalHost(ctx, req)}`;
    const query = new URLSearchParams(
      req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '',
    );
    const permissions = permissionsOf(ctx.user?.roles ?? []);
    return {
      locale: ctx.locale,
      lang: ctx.locale,
      title: options.title ? `${options.title} · ${ctx.tenant.name}` : ctx.tenant.name,
      canonical: `${origin}${options.canonicalPath ?? path}`,
      tenant: { name: ctx.tenant.name, slug: ctx.tenant.slug },
      theme: this.themes.for(ctx.tenant).style,
      contact: {
        phone: theme.contact?.phone ?? null,
        email: theme.contact?.email ?? null,
        address: theme.contact?.address ?? null,
      },
      canBrowse: !!ctx.user || ctx.tenant.publicBrowsing,
      user: ctx.user ? { name: req.site?.userName ?? null } : null,
      nav: {
        cart: permissions.has('MANAGE_CART'),
        orders: permissions.has('VIEW_ORDERS'),
        users: permissions.has('MANAGE_COMPANY'),
      },
      csrfToken: req.site?.csrfToken ?? null,
      cspNonce: req.site?.cspNonce ?? null,
      notice: req.site?.notice ?? null,
      search: query.get('q') ?? '',
      locales:
        ctx.tenant.locales.length > 1
          ? ctx.tenant.locales.map((code) => {
              const q = new URLSearchParams(query);
              q.set('lang', code);
              return { code, href: `${path}?${q.toString()}`, current: code === ctx.locale };
            })
          : [],
    };
  }
}

/** The tenant's primary domain, with the port the request came in on (development, tests). */
function canonicalHost(ctx: TenantContext, req: FastifyRequest): string {
  const primary = ctx.tenant.domains[0] ?? req.hostname;
  const port = /:(\d+)$/.exec(req.host)?.[1];
  return port ? `${primary}:${port}` : primary;
}

/**
 * Whether a request is for a microsite page rather than the API or a file: errors of pages are
 * answered as pages in the tenant's theme, errors of the API as JSON.
 */
export function isPageRequest(req: FastifyRequest): boolean {
  const path = req.url.split('?', 1)[0];
  if (path === '/graphql' || path.startsWith('/admin/') || path.startsWith('/theme/')) return false;
  // Browsers ask for HTML; API clients and tools (curl's */*) get JSON errors.
  return (req.headers.accept ?? '').includes('text/html');
}
