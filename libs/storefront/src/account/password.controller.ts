import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OneTimeKind } from '@vitrine/accounts';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { one } from '../home.controller';
import { CsrfGuard } from '../session/csrf.guard';
import { setNotice } from '../session/site-cookies';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { field } from './form-fields';
import { SiteSignIn } from './site-sign-in.service';
import './account-messages';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * `/invitation?token=` (an invited user sets a password) and `/password-reset` (ask for a link;
 * with `?token=`, set a new password). Setting the password signs the user in. The request
 * form answers the same whether or not the address has an account.
 */
@Controller()
export class PasswordController {
  constructor(
    private readonly signIn: SiteSignIn,
    private readonly pages: PageRenderer,
  ) {}

  @Get('/invitation')
  invitation(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string | string[],
  ): FastifyReply {
    return this.setPasswordPage(ctx, req, reply, 'INVITATION', one(token) ?? '', null, 200);
  }

  @Post('/invitation')
  @UseGuards(CsrfGuard)
  acceptInvitation(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    return this.setPassword(ctx, req, reply, 'INVITATION', body);
  }

  @Get('/password-reset')
  reset(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('token') token?: string | string[],
  ): FastifyReply {
    const t = one(token);
    if (t) return this.setPasswordPage(ctx, req, reply, 'PASSWORD_RESET', t, null, 200);
    return this.requestPage(ctx, req, reply, { sent: false, email: '', error: null }, 200);
  }

  /** With a `token` field: the new password; without: a request for a link. */
  @Post('/password-reset')
  @UseGuards(CsrfGuard)
  async resetPost(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    if (field(body, 'token')) return this.setPassword(ctx, req, reply, 'PASSWORD_RESET', body);
    const email = field(body, 'email', 320).trim();
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      return this.requestPage(
        ctx,
        req,
        reply,
        { sent: false, email, error: label(ctx.locale, 'login.missing') },
        400,
      );
    try {
      await this.signIn.requestReset(ctx, req, email);
    } catch (err) {
      if (!(err instanceof VitrineError) || err.code !== 'RATE_LIMITED') throw err;
      const seconds = Number(err.details?.retryAfterSeconds ?? 3600);
      reply.header('retry-after', String(seconds));
      const error = label(ctx.locale, 'reset.rateLimited', { minutes: Math.ceil(seconds / 60) });
      return this.requestPage(ctx, req, reply, { sent: false, email, error }, 429);
    }
    // The same page whether or not there is an account: nobody learns who is a customer.
    return this.requestPage(ctx, req, reply, { sent: true, email: '', error: null }, 200);
  }

  private async setPassword(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    kind: OneTimeKind,
    body: unknown,
  ): Promise<FastifyReply> {
    const token = field(body, 'token', 200);
    const password = field(body, 'password', 1024);
    if (password !== field(body, 'password2', 1024))
      return this.setPasswordPage(
        ctx,
        req,
        reply,
        kind,
        token,
        label(ctx.locale, 'password.mismatch'),
        422,
      );
    try {
      if (!TOKEN.test(token)) throw new VitrineError('UNAUTHENTICATED', 'Unknown link.');
      await this.signIn.redeem(ctx, req, reply, token, kind, password);
    } catch (err) {
      if (!(err instanceof VitrineError)) throw err;
      if (err.code === 'BAD_USER_INPUT')
        return this.setPasswordPage(
          ctx,
          req,
          reply,
          kind,
          token,
          label(ctx.locale, 'password.hint'),
          422,
        );
      if (err.code === 'UNAUTHENTICATED')
        return this.setPasswordPage(ctx, req, reply, kind, token, null, 400);
      throw err;
    }
    setNotice(req, reply, label(ctx.locale, 'notice.passwordSet'));
    return reply.code(303).header('location', '/').send();
  }

  /**
   * The set-password form. The token is not checked on GET (a lookup would let anyone probe
   * tokens without the CSRF-protected POST); a used or expired one is reported on submit — and
   * status 400 with `linkInvalid` shows the way to a new link.
   */
  private setPasswordPage(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    kind: OneTimeKind,
    token: string,
    error: string | null,
    status: number,
  ): FastifyReply {
    const invitation = kind === 'INVITATION';
    const linkInvalid = status === 400 || !TOKEN.test(token);
    const heading = label(ctx.locale, invitation ? 'invitation.title' : 'reset.newTitle');
    return this.pages.send(
      reply,
      ctx,
      req,
      'set-password',
      {
        heading,
        intro: invitation && !linkInvalid ? label(ctx.locale, 'invitation.text') : null,
        error: linkInvalid ? label(ctx.locale, 'password.linkInvalid') : error,
        linkInvalid,
        token,
        action: invitation ? '/invitation' : '/password-reset',
        submit: label(ctx.locale, invitation ? 'invitation.submit' : 'reset.save'),
      },
      {
        title: heading,
        status: linkInvalid && status === 200 ? 400 : status,
        // The token never goes into the canonical URL (nor anywhere else on the page but the form).
        canonicalPath: invitation ? '/invitation' : '/password-reset',
      },
    );
  }

  private requestPage(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    data: { sent: boolean; email: string; error: string | null },
    status: number,
  ): FastifyReply {
    return this.pages.send(reply, ctx, req, 'password-reset', data, {
      title: label(ctx.locale, 'reset.title'),
      status,
      canonicalPath: '/password-reset',
    });
  }
}
