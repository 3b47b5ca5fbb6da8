import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  Allow,
  Ctx,
  RequestContext,
  type GraphQLRequestContext,
  type TenantContext,
} from '@vitrine/tenancy';
import { AuthPayloadType, UserType, type RoleEnum } from './accounts.types';
import { AuthService, type Session } from './auth.service';
import { InvitationService } from './invitation.service';
import { UserService } from './user.service';
import type { UserRecord } from './user.model';

/** Sign-in, session and the signed-in user. Thin: the rules live in AuthService and UserService. */
@Resolver()
export class AccountsResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UserService,
    private readonly invitations: InvitationService,
  ) {}

  @Allow('PUBLIC')
  @Query(() => UserType, { nullable: true, description: 'The logged-in user, or null.' })
  async me(@Ctx() ctx: TenantContext): Promise<UserType | null> {
    if (!ctx.user) return null;
    const user = await this.users.findOne(ctx, ctx.user.id);
    return user ? toUserType(user, ctx.user.company?.name ?? null) : null;
  }

  @Allow('PUBLIC')
  @Mutation(() => AuthPayloadType)
  async login(
    @Ctx() ctx: TenantContext,
    @RequestContext() gql: GraphQLRequestContext,
    @Args('email') email: string,
    @Args('password') password: string,
  ): Promise<AuthPayloadType> {
    return this.payload(ctx, await this.auth.login(ctx, email, password, gql.clientIp));
  }

  @Allow('PUBLIC')
  @Mutation(() => AuthPayloadType, {
    description: 'A new access and refresh token for a refresh token, which is used up.',
  })
  async refreshSession(
    @Ctx() ctx: TenantContext,
    @Args('refreshToken') refreshToken: string,
  ): Promise<AuthPayloadType> {
    return this.payload(ctx, await this.auth.refresh(ctx, refreshToken));
  }

  @Allow('PUBLIC')
  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token.' })
  async logout(
    @Ctx() ctx: TenantContext,
    @Args('refreshToken') refreshToken: string,
  ): Promise<boolean> {
    await this.auth.logout(ctx, refreshToken);
    return true;
  }

  @Allow('PUBLIC')
  @Mutation(() => Boolean, {
    description: 'Sets the password of an invited user with the token from the invitation e-mail.',
  })
  async acceptInvitation(
    @Ctx() ctx: TenantContext,
    @Args('token') token: string,
    @Args('password') password: string,
  ): Promise<boolean> {
    await this.invitations.redeem(ctx, token, 'INVITATION', password);
    return true;
  }

  @Allow('PUBLIC')
  @Mutation(() => Boolean, {
    description:
      'Mails a password-reset link if the address has an account here; answers true either way.',
  })
  async requestPasswordReset(
    @Ctx() ctx: TenantContext,
    @Args('email') email: string,
  ): Promise<boolean> {
    await this.invitations.requestReset(ctx, email);
    return true;
  }

  @Allow('PUBLIC')
  @Mutation(() => Boolean, {
    description: 'Sets a new password with the token from the reset e-mail.',
  })
  async resetPassword(
    @Ctx() ctx: TenantContext,
    @Args('token') token: string,
    @Args('password') password: string,
  ): Promise<boolean> {
    await this.invitations.redeem(ctx, token, 'PASSWORD_RESET', password);
    return true;
  }

  private async payload(ctx: TenantContext, session: Session): Promise<AuthPayloadType> {
    const company = await this.users.companyName(ctx, session.user.companyId);
    return {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresIn: session.expiresIn,
      user: toUserType(session.user, company),
    };
  }
}

function toUserType(user: UserRecord, companyName: string | null): UserType {
  return {
    email: user.email,
    name: user.name,
    company: companyName ? { name: companyName } : null,
    roles: user.roles as RoleEnum[],
    canSeePrices: user.canSeePrices,
  };
}
