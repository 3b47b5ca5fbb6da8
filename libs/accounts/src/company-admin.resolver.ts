import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { VitrineError } from '@vitrine/errors';
import { formatDecimal, parseDecimal } from '@vitrine/pricing';
import { Allow, Ctx, type Role, type TenantContext } from '@vitrine/tenancy';
import type { RoleEnum } from './accounts.types';
import { CompanyAdminService, type AddressRecord } from './company-admin.service';
import {
  AddressInput,
  AddressType,
  CompanyUserType,
  CostCentreType,
  InviteUserInput,
  UpdateUserInput,
  type AddressKindEnum,
  type UserStatusEnum,
} from './company-admin.types';
import type { UserRecord } from './user.model';

/** The company-admin operations of the storefront. Thin: the rules are in CompanyAdminService. */
@Resolver()
export class CompanyAdminResolver {
  constructor(private readonly admin: CompanyAdminService) {}

  @Allow('MANAGE_COMPANY')
  @Query(() => [CompanyUserType], { description: "Your company's users (company admins)." })
  async companyUsers(@Ctx() ctx: TenantContext): Promise<CompanyUserType[]> {
    return (await this.admin.users(ctx)).map((u) => toType(ctx, u));
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => CompanyUserType, { description: 'Invites a colleague by e-mail.' })
  async inviteUser(
    @Ctx() ctx: TenantContext,
    @Args('input') input: InviteUserInput,
  ): Promise<CompanyUserType> {
    const user = await this.admin.invite(ctx, {
      email: input.email,
      name: input.name,
      roles: input.roles as Role[],
      spendLimitMinor: money(ctx, input.spendLimit),
      canSeePrices: input.canSeePrices ?? true,
    });
    return toType(ctx, user);
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => CompanyUserType, {
    description: "Changes a colleague's name, roles, spend limit or price visibility.",
  })
  async updateUser(
    @Ctx() ctx: TenantContext,
    @Args('email') email: string,
    @Args('input') input: UpdateUserInput,
  ): Promise<CompanyUserType> {
    const user = await this.admin.update(ctx, email, {
      name: input.name,
      roles: input.roles as Role[] | null | undefined,
      spendLimitMinor: 'spendLimit' in input ? money(ctx, input.spendLimit) : undefined,
      canSeePrices: input.canSeePrices,
    });
    return toType(ctx, user);
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => CompanyUserType, {
    description: 'Ends a colleague’s access; their sessions end.',
  })
  async deactivateUser(
    @Ctx() ctx: TenantContext,
    @Args('email') email: string,
  ): Promise<CompanyUserType> {
    return toType(ctx, await this.admin.deactivate(ctx, email));
  }

  @Allow('VIEW_ORDERS')
  @Query(() => [AddressType], { description: "Your company's billing and ship-to addresses." })
  async addresses(@Ctx() ctx: TenantContext): Promise<AddressType[]> {
    return (await this.admin.addresses(ctx)).map(toAddressType);
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => AddressType)
  async addAddress(
    @Ctx() ctx: TenantContext,
    @Args('input') input: AddressInput,
  ): Promise<AddressType> {
    return toAddressType(await this.admin.addAddress(ctx, input));
  }

  @Allow('VIEW_ORDERS')
  @Query(() => [CostCentreType], { description: "Your company's cost centres." })
  costCentres(@Ctx() ctx: TenantContext): Promise<CostCentreType[]> {
    return this.admin.costCentres(ctx);
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => CostCentreType, {
    description: 'Adds a cost centre, or renames or (de)activates the one with this code.',
  })
  saveCostCentre(
    @Ctx() ctx: TenantContext,
    @Args('code') code: string,
    @Args('name') name: string,
    @Args('active', { defaultValue: true }) active: boolean,
  ): Promise<CostCentreType> {
    return this.admin.saveCostCentre(ctx, code, name, active);
  }

  @Allow('MANAGE_COMPANY')
  @Mutation(() => Boolean)
  async removeAddress(
    @Ctx() ctx: TenantContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.admin.removeAddress(ctx, id);
    return true;
  }
}

function money(ctx: TenantContext, value: string | null | undefined): number | null {
  if (value == null) return null;
  const minor = parseDecimal(value, ctx.currency);
  if (minor < 0) throw VitrineError.badInput('A spend limit cannot be negative.');
  return minor;
}

function toType(ctx: TenantContext, u: UserRecord): CompanyUserType {
  return {
    email: u.email,
    name: u.name,
    roles: u.roles as RoleEnum[],
    spendLimit: u.spendLimitMinor == null ? null : formatDecimal(u.spendLimitMinor, ctx.currency),
    canSeePrices: u.canSeePrices,
    status: u.status as UserStatusEnum,
  };
}

function toAddressType(a: AddressRecord): AddressType {
  return { ...a, kind: a.kind as AddressKindEnum, label: a.label ?? null };
}
