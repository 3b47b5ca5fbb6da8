import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminOnly, CurrentAdmin } from '../api/admin-access';
import { CompanyAdminApiService } from './company-admin-api.service';
import { CompanyUserAdminApiService } from './company-user-admin-api.service';
import {
  AdminCompanyType,
  AdminCompanyUserType,
  CreateCompanyInput,
  InviteCompanyUserInput,
  UpdateCompanyInput,
  UpdateCompanyUserInput,
} from './company-admin-api.types';

/** A tenant's companies and their users. */
@Resolver()
export class CompanyAdminApiResolver {
  constructor(
    private readonly service: CompanyAdminApiService,
    private readonly userChanges: CompanyUserAdminApiService,
  ) {}

  @AdminOnly()
  @Query(() => [AdminCompanyType], { description: "The tenant's companies, by code." })
  companies(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
  ): Promise<AdminCompanyType[]> {
    return this.service.list(admin, tenant);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyType)
  createCompany(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('input') input: CreateCompanyInput,
  ): Promise<AdminCompanyType> {
    return this.service.create(admin, tenant, input);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyType)
  updateCompany(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('code') code: string,
    @Args('input') input: UpdateCompanyInput,
  ): Promise<AdminCompanyType> {
    return this.service.update(admin, tenant, code, input);
  }

  @AdminOnly()
  @Query(() => [AdminCompanyUserType], { description: "A company's users, by e-mail." })
  companyUsers(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('company', { description: 'The company code.' }) company: string,
  ): Promise<AdminCompanyUserType[]> {
    return this.service.users(admin, tenant, company);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyUserType, {
    description: 'Creates the user INVITED and mails them a link to set a password (valid 7 days).',
  })
  inviteCompanyUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('company', { description: 'The company code.' }) company: string,
    @Args('input') input: InviteCompanyUserInput,
  ): Promise<AdminCompanyUserType> {
    return this.service.invite(admin, tenant, company, input);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyUserType, {
    description: 'The user can no longer sign in; their sessions and refresh tokens end at once.',
  })
  deactivateCompanyUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('email') email: string,
  ): Promise<AdminCompanyUserType> {
    return this.service.deactivate(admin, tenant, email);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyUserType, {
    description:
      "Changes a user's name, roles, spend limit or price visibility; new roles or visibility end their sessions.",
  })
  updateCompanyUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('email') email: string,
    @Args('input') input: UpdateCompanyUserInput,
  ): Promise<AdminCompanyUserType> {
    return this.userChanges.update(admin, tenant, email, input);
  }

  @AdminOnly()
  @Mutation(() => AdminCompanyUserType, {
    description:
      'A deactivated user may sign in again: ACTIVE with their password, or INVITED (a new invitation is mailed) if they never set one.',
  })
  reactivateCompanyUser(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('email') email: string,
  ): Promise<AdminCompanyUserType> {
    return this.userChanges.reactivate(admin, tenant, email);
  }
}
