import { Body, Controller, Get, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '@vitrine/errors';
import { HttpCtx, type TenantContext } from '@vitrine/tenancy';
import { CsrfGuard } from '../session/csrf.guard';
import { RequireUser } from '../session/require-user';
import { setNotice } from '../session/site-cookies';
import { errorMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { PageRenderer } from '../site/page-renderer';
import { CompanyUsersPage, type UserForm } from './company-users-page.service';
import { field, fields } from './form-fields';
import './account-messages';

/**
 * `/company/users`: a company admin manages the company's users (list, invite, roles, spend
 * limit, price visibility, deactivate). Others get a 403 page; anonymous visitors sign in first.
 * Failed changes re-render the page with the message and the error's status, nothing changed.
 */
@Controller('/company/users')
@RequireUser({ permission: 'MANAGE_COMPANY' })
export class CompanyUsersController {
  constructor(
    private readonly users: CompanyUsersPage,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    return this.page(ctx, req, reply, null, 200);
  }

  @Post('/invite')
  @UseGuards(CsrfGuard)
  async invite(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    const form = userForm(body);
    return this.change(ctx, req, reply, form, async () => {
      const user = await this.users.invite(ctx, form);
      return label(ctx.locale, 'users.invited', { email: user.email });
    });
  }

  @Post('/update')
  @UseGuards(CsrfGuard)
  async update(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    return this.change(ctx, req, reply, null, async () => {
      const user = await this.users.update(ctx, userForm(body));
      return label(ctx.locale, 'users.updated', { email: user.email });
    });
  }

  @Post('/deactivate')
  @UseGuards(CsrfGuard)
  async deactivate(
    @HttpCtx() ctx: TenantContext,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Body() body: unknown,
  ): Promise<FastifyReply> {
    return this.change(ctx, req, reply, null, async () => {
      const user = await this.users.deactivate(ctx, field(body, 'email', 320));
      return label(ctx.locale, 'users.deactivated', { email: user.email });
    });
  }

  /** Runs a change; success → 303 back with a notice, an expected failure → the page with it. */
  private async change(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    invite: UserForm | null,
    run: () => Promise<string>,
  ): Promise<FastifyReply> {
    let notice: string;
    try {
      notice = await run();
    } catch (err) {
      if (!(err instanceof VitrineError) || err.httpStatus >= 500) throw err;
      return this.page(
        ctx,
        req,
        reply,
        { message: errorMessage(ctx.locale, err), invite },
        err.httpStatus,
      );
    }
    setNotice(req, reply, notice);
    return reply.code(303).header('location', '/company/users').send();
  }

  private async page(
    ctx: TenantContext,
    req: FastifyRequest,
    reply: FastifyReply,
    error: { message: string; invite: UserForm | null } | null,
    status: number,
  ): Promise<FastifyReply> {
    const view = await this.users.view(ctx, error?.invite ?? {});
    return this.pages.send(
      reply,
      ctx,
      req,
      'company-users',
      { ...view, error: error?.message ?? null },
      { title: label(ctx.locale, 'users.title'), status },
    );
  }
}

function userForm(body: unknown): UserForm {
  return {
    email: field(body, 'email', 320).trim(),
    name: field(body, 'name', 200),
    roles: fields(body, 'roles'),
    spendLimit: field(body, 'spendLimit', 40),
    canSeePrices: field(body, 'canSeePrices') === 'on',
  };
}
