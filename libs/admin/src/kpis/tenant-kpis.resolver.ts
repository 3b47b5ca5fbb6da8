import { Args, Query, Resolver } from '@nestjs/graphql';
import { formatDecimal, type MoneyType } from '@vitrine/pricing';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { AdminOnly, CurrentAdmin } from '../api/admin-access';
import { TenantKpisService, type TenantKpis } from './tenant-kpis.service';
import { KpiGranularityEnum, TenantKpisType } from './tenant-kpis.types';

const money = (amountMinor: number, currency: string): MoneyType => ({
  amount: formatDecimal(amountMinor, currency),
  currency,
});

/** Maps the service's figures (minor units) to the API's shape (decimal strings). */
export function toTenantKpis(k: TenantKpis): TenantKpisType {
  return {
    tenantSlug: k.tenant.slug,
    from: k.from,
    to: k.to,
    timeZone: k.timeZone,
    currency: k.currency,
    granularity: k.granularity as KpiGranularityEnum,
    orderCount: k.orderCount,
    otherCurrencyOrderCount: k.otherCurrencyOrderCount,
    revenue: money(k.revenueMinor, k.currency),
    averageOrderValue:
      k.averageOrderValueMinor === null ? null : money(k.averageOrderValueMinor, k.currency),
    repeatPurchaseRate: k.companyRepeatPurchaseRate,
    userRepeatPurchaseRate: k.userRepeatPurchaseRate,
    orderingCompanies: k.orderingCompanies,
    repeatCompanies: k.repeatCompanies,
    orderingUsers: k.orderingUsers,
    repeatUsers: k.repeatUsers,
    quotesOffered: k.quotesOffered,
    quotesAccepted: k.quotesAccepted,
    quoteConversionRate: k.quoteConversionRate,
    ordersSubmitted: k.ordersSubmitted,
    ordersNeedingApproval: k.ordersNeedingApproval,
    approvalShare: k.approvalShare,
    series: k.series.map((b) => ({
      date: b.date,
      start: b.start,
      end: b.end,
      orderCount: b.orderCount,
      revenue: money(b.revenueMinor, k.currency),
    })),
  };
}

/** Tenant KPIs for the seller. */
@Resolver()
export class TenantKpisResolver {
  constructor(
    private readonly kpis: TenantKpisService,
    private readonly gate: AdminGate,
  ) {}

  @AdminOnly()
  @Query(() => TenantKpisType, {
    description:
      'KPIs for one tenant over a period: order count, revenue, average order value, repeat-purchase rate, quote conversion.',
  })
  async tenantKpis(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('slug') slug: string,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
  ): Promise<TenantKpisType> {
    // An account manager sees the KPIs of the tenants assigned to them only (refusals audited).
    await this.gate.tenant(admin, 'TENANTS', slug, 'tenant.kpis');
    return toTenantKpis(await this.kpis.compute(slug, from, to));
  }
}
