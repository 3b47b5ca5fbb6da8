import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Allow, RequestContext, type GraphQLRequestContext } from '@vitrine/tenancy';
import { AdminLoginService } from '../accounts/admin-login.service';
import { toAdminAccount } from './admin-account.mapping';
import { AdminLoginPayloadType } from './admin-account.types';

/** Admins sign in: the one admin operation served without a token. */
@Resolver()
export class AdminLoginResolver {
  constructor(private readonly logins: AdminLoginService) {}

  @Allow('ADMIN_SIGN_IN')
  @Mutation(() => AdminLoginPayloadType, {
    description:
      'Sign in with the e-mail and password of an admin account; the token works until it expires or the account is deactivated. Limited per account and per client address.',
  })
  async adminLogin(
    @RequestContext() gql: GraphQLRequestContext,
    @Args('email') email: string,
    @Args('password') password: string,
  ): Promise<AdminLoginPayloadType> {
    const { issued, admin } = await this.logins.login(email, password, gql.clientIp);
    return { token: issued.token, expiresAt: issued.expiresAt, admin: toAdminAccount(admin) };
  }
}
