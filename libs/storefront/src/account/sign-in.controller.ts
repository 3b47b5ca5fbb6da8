import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { one } from '../home.controller';
import { CsrfGuard } from '../session/csrf.guard';
import { safeNext } from '../session/require-user';
import { setNotice } from '../session/site-cookies';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { field } from './form-fields';
import { SiteSignIn } from './site-sign-in.service';
import './account-messages';

/** `/login` (form and POST) and `/logout` (POST only: a link could be forged, a form cannot). */
@Controller()
export class SignInController {
  constructor(
    private readonly signIn: SiteSignIn,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/login')
  form(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('next') next?: string | string[],
  ): FastifyReply {
    const target = safeNext(one(next));
    if (ctx.user) return reply.code(303).header('location', target).send();
    return this.page(ctx, req, reply, { next: target, email: '', error: null }, 200);
  }

  @Post('/login')
  @UseGuards(CsrfGuard)
  async login(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    const email = field(body, 'email', 320).trim();
    const password = field(body, 'password', 1024);
    const next = safeNext(field(body, 'next', 2000));
    if (!email || !password)
      return this.page(
        ctx,
        req,
        reply,
        { next, email, error: label(ctx.locale, 'login.missing') },
        400,
      );
    try {
      await this.signIn.login(ctx, req, reply, email, password);
    } catch (err) {
      const failure = loginFailure(ctx, err);
      if (!failure) throw err;
      if (failure.retryAfter) reply.header('retry-after', String(failure.retryAfter));
      return this.page(ctx, req, reply, { next, email, error: failure.message }, failure.status);
    }
    setNotice(req, reply, label(ctx.locale, 'notice.signedIn'));
    return reply.code(303).header('location', next).send();
  }

  @Post('/logout')
  @UseGuards(CsrfGuard)
  async logout(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    await this.signIn.logout(ctx, req, reply);
    setNotice(req, reply, label(ctx.locale, 'notice.signedOut'));
    return reply.code(303).header('location', '/').send();
  }

  private page(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    data: { next: string; email: string; error: string | null },
    status: number,
  ): FastifyReply {
    return this.pages.send(reply, ctx, req, 'login', data, {
      title: label(ctx.locale, 'login.title'),
      status,
      canonicalPath: '/login',
    });
  }
}

/** Expected failures of a sign-in, as the form shows them; null for anything unexpected. */
function loginFailure(
  ctx: TenantContext,
  err: unknown,
): { status: number; message: string; retryAfter?: number } | null {
  if (!(err instanceof VitrineError)) return null;
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return { status: 401, message: label(ctx.locale, 'login.failed') };
    case 'RATE_LIMITED': {
      const seconds = Number(err.details?.retryAfterSeconds ?? 900);
      return {
        status: 429,
        message: label(ctx.locale, 'login.rateLimited', { minutes: Math.ceil(seconds / 60) }),
        retryAfter: seconds,
      };
    }
    case 'SERVICE_UNAVAILABLE':
      return { status: 503, message: label(ctx.locale, 'login.unavailable') };
    default:
      return null;
  }
}
