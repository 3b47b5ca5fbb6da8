import { Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { CsrfGuard, RequireUser, setNotice } from '../session';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { field, formOf } from './page-input';
import { QUICK_ORDER_MAX_BYTES, type UploadedFile } from './quick-order-lines';
import { QuickOrderPageService } from './quick-order-page.service';
import './ordering-messages';

/**
 * Quick order: a textarea of pasted `SKU;quantity` lines and a CSV upload (multipart, parsed by
 * the hook registered in bootstrap.ts: at most 5 MB → 413, not CSV → 415, nothing added). When
 * every line was added the visitor goes to the cart; otherwise the page lists what was added and
 * every refused line with its reason, the refused lines back in the textarea to correct.
 */
@Controller()
export class QuickOrderController {
  constructor(
    private readonly quickOrder: QuickOrderPageService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/quick-order')
  @RequireUser({ permission: 'MANAGE_CART' })
  show(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): FastifyReply {
    return this.render(ctx, req, reply, {}, 200);
  }

  @Post('/quick-order')
  @UseGuards(CsrfGuard)
  @RequireUser({ permission: 'MANAGE_CART' })
  async add(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const body = formOf(req);
    const pasted = field(body, 'lines');
    try {
      const result = await this.quickOrder.add(ctx, pasted, uploadOf(body.file));
      if (result.refused.length === 0) {
        setNotice(
          req,
          reply,
          label(ctx.locale, 'quick.addedCount', { count: result.added.length }),
        );
        return reply.code(303).header('location', '/cart').send();
      }
      return this.render(
        ctx,
        req,
        reply,
        { result, lines: result.retry },
        result.added.length ? 200 : 422,
      );
    } catch (err) {
      // Unreadable input (no lines, too many lines): the form again with the message. A file
      // that is not CSV (415) or too large (413) gets the error page.
      if (err instanceof VitrineError && err.code === 'BAD_USER_INPUT')
        return this.render(
          ctx,
          req,
          reply,
          { error: errorMessage(ctx.locale, err), lines: pasted },
          400,
        );
      throw err;
    }
  }

  private render(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    data: Record<string, unknown>,
    status: number,
  ): FastifyReply {
    return this.pages.send(
      reply,
      ctx,
      req,
      'quick-order',
      { maxMegabytes: QUICK_ORDER_MAX_BYTES / 1_000_000, ...data },
      { title: label(ctx.locale, 'quick.title'), status, canonicalPath: '/quick-order' },
    );
  }
}

/** The upload as the multipart hook attached it; an empty file input sends a nameless, empty part. */
function uploadOf(value: unknown): UploadedFile | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v || typeof v !== 'object' || !Buffer.isBuffer((v as UploadedFile).data)) return null;
  const file = v as UploadedFile;
  return file.data.length === 0 && !file.filename ? null : file;
}
