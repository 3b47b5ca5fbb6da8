import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminUserService } from '../accounts/admin-user.service';
import { AdminOnly, CurrentAdmin } from './admin-access';
import { toAdminAccount } from './admin-account.mapping';
import { AdminAccountType } from './admin-account.types';
import {
  AdminAccountConnectionType,
  CreateAdminUserInput,
  CreateAdminUserPayloadType,
  UpdateAdminUserInput,
} from './admin-user.types';
import { toConnection } from './admin.mapping';

/** Admin accounts (SUPER_ADMIN only), and an admin's own password. */
@Resolver()
export class AdminUserResolver {
  constructor(private readonly service: AdminUserService) {}

  @AdminOnly()
  @Query(() => AdminAccountConnectionType, { description: 'Admin accounts by e-mail.' })
  async adminUsers(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminAccountConnectionType> {
    const page = await this.service.list(admin, { first: first ?? 50, after });
    return toConnection(page, toAdminAccount);
  }

  @AdminOnly()
  @Query(() => AdminAccountType, { nullable: true })
  async adminUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('email') email: string,
  ): Promise<AdminAccountType | null> {
    const found = await this.service.get(admin, email);
    return found ? toAdminAccount(found) : null;
  }

  @AdminOnly()
  @Mutation(() => CreateAdminUserPayloadType, {
    description: 'A new admin account, ACTIVE, with a generated initial password shown once.',
  })
  async createAdminUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('input') input: CreateAdminUserInput,
  ): Promise<CreateAdminUserPayloadType> {
    const created = await this.service.create(admin, input);
    return { admin: toAdminAccount(created.admin), initialPassword: created.password };
  }

  @AdminOnly()
  @Mutation(() => AdminAccountType, {
    description: "Changes name, roles or tenants; counts on the admin's very next request.",
  })
  async updateAdminUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('email') email: string,
    @Args('input') input: UpdateAdminUserInput,
  ): Promise<AdminAccountType> {
    return toAdminAccount(await this.service.update(admin, email, input));
  }

  @AdminOnly()
  @Mutation(() => AdminAccountType, {
    description: "The admin's tokens stop working at once. Not yourself, not the last SUPER_ADMIN.",
  })
  async deactivateAdminUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('email') email: string,
  ): Promise<AdminAccountType> {
    return toAdminAccount(await this.service.deactivate(admin, email));
  }

  @AdminOnly()
  @Mutation(() => AdminAccountType)
  async reactivateAdminUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('email') email: string,
  ): Promise<AdminAccountType> {
    return toAdminAccount(await this.service.reactivate(admin, email));
  }

  @AdminOnly()
  @Mutation(() => AdminAccountType, {
    description:
      "Changes the signed-in admin's own password (12 to 256 characters). Tokens already issued run until they expire.",
  })
  async changeAdminPassword(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('currentPassword') currentPassword: string,
    @Args('newPassword') newPassword: string,
  ): Promise<AdminAccountType> {
    return toAdminAccount(
      await this.service.changeOwnPassword(admin, currentPassword, newPassword),
    );
  }
}
