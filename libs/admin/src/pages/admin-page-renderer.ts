import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateRenderer, type TemplateData } from '@vitrine/templating';
import type { AdminPageVisitor } from './admin-page-session.service';

/** The admin pages' templates and stylesheet (no tenant theme on the admin host). */
export const ADMIN_TEMPLATES_DIR = join(__dirname, 'templates');

/**
 * No scripts, no external resources, no framing: the pages are plain HTML forms and inline SVG.
 * (style-src 'self' covers the stylesheet; the charts' presentation attributes are not CSS.)
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * Renders the admin pages in their own Handlebars environment: output is escaped, except the
 * charts, which renderBarChart builds with every data text escaped.
 */
@Injectable()
export class AdminPageRenderer {
  private readonly templates = new TemplateRenderer(ADMIN_TEMPLATES_DIR);
  readonly stylesheet = readFileSync(join(ADMIN_TEMPLATES_DIR, 'admin.css'), 'utf8');

  send(
    reply: FastifyReply,
    status: number,
    template: string,
    visitor: AdminPageVisitor | null,
    title: string,
    data: TemplateData,
  ): FastifyReply {
    const html = this.templates.render(template, {
      ...data,
      title,
      admin: visitor?.admin ?? null,
      csrfToken: visitor?.csrfToken ?? '',
    });
    return reply
      .code(status)
      .headers(SECURITY_HEADERS)
      .header('content-type', 'text/html; charset=utf-8')
      .send(html);
  }
}
