import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminOnly, CurrentAdmin } from '../api/admin-access';
import { TenantAdminService } from './tenant-admin.service';
import {
  AdminTenantType,
  CreateTenantInput,
  TenantConnectionType,
  TenantStatusEnum,
  UpdateTenantInput,
} from './tenant-admin.types';

/** Tenants: list, read, provision, change, domains, life cycle. */
@Resolver()
export class TenantAdminResolver {
  constructor(private readonly service: TenantAdminService) {}

  @AdminOnly()
  @Query(() => TenantConnectionType, { description: 'Tenants by slug, optionally of one status.' })
  async tenants(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('status', { type: () => TenantStatusEnum, nullable: true })
    status: TenantStatusEnum | null,
  ): Promise<TenantConnectionType> {
    const page = await this.service.list(admin, { first: first ?? 50, after, status });
    return {
      edges: page.items,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @AdminOnly()
  @Query(() => AdminTenantType, { nullable: true, description: 'A tenant by slug; null if none.' })
  tenant(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
  ): Promise<AdminTenantType | null> {
    return this.service.get(admin, slug);
  }

  @AdminOnly()
  @Mutation(() => AdminTenantType, {
    description:
      'Provision a new microsite; it serves requests on its domains as soon as this returns, on every instance.',
  })
  createTenant(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('input') input: CreateTenantInput,
  ): Promise<AdminTenantType> {
    return this.service.create(admin, input);
  }

  @AdminOnly()
  @Mutation(() => AdminTenantType)
  updateTenant(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
    @Args('input') input: UpdateTenantInput,
  ): Promise<AdminTenantType> {
    return this.service.update(admin, slug, input);
  }

  @AdminOnly()
  @Mutation(() => AdminTenantType)
  addTenantDomain(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
    @Args('domain') domain: string,
  ): Promise<AdminTenantType> {
    return this.service.addDomain(admin, slug, domain);
  }

  @AdminOnly()
  @Mutation(() => AdminTenantType)
  removeTenantDomain(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
    @Args('domain') domain: string,
  ): Promise<AdminTenantType> {
    return this.service.removeDomain(admin, slug, domain);
  }

  @AdminOnly()
  @Mutation(() => AdminTenantType)
  setTenantStatus(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
    @Args('status', { type: () => TenantStatusEnum }) status: TenantStatusEnum,
  ): Promise<AdminTenantType> {
    return this.service.setStatus(admin, slug, status);
  }
}
