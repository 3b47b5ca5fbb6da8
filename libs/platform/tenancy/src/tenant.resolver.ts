import { Query, Resolver } from '@nestjs/graphql';
import { Ctx } from './graphql-context';
import { Allow } from './permissions';
import type { TenantContext } from './tenant-context';
import { TenantType } from './tenant.type';

@Resolver(() => TenantType)
export class TenantResolver {
  @Allow('PUBLIC')
  @Query(() => TenantType, { description: 'The microsite this host belongs to.' })
  tenant(@Ctx() ctx: TenantContext): TenantType {
    const t = ctx.tenant;
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      locale: ctx.locale,
      locales: [...t.locales],
      currency: t.currency,
      theme: {
        primaryColor: t.theme.primaryColor,
        secondaryColor: t.theme.secondaryColor ?? null,
        fontFamily: t.theme.fontFamily ?? null,
        logoUrl: t.theme.logoUrl ?? null,
      },
      publicBrowsing: t.publicBrowsing,
      showListPrices: t.showListPrices,
    };
  }
}
