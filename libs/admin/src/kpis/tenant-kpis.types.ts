import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MoneyType } from '@vitrine/pricing';
// Circular on purpose and resolved lazily (at schema build): the module registers these types.
import { AdminApiModule } from '../api/admin-api.module';

/** Admin schema only (see admin.types.ts). */
const registerIn = () => AdminApiModule;

export enum KpiGranularityEnum {
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(KpiGranularityEnum, {
  name: 'KpiGranularity',
  registerIn,
  description:
    "The series' buckets: local days of the tenant's time zone for periods up to 92 days, Monday-first weeks for longer ones.",
});

@ObjectType('KpiBucket', {
  registerIn,
  description: "One bar of a KPI chart: a local day or week of the tenant's time zone.",
})
export class KpiBucketType {
  @Field({ description: 'The local date the bucket starts on, YYYY-MM-DD.' }) date: string;
  @Field(() => Date, { description: 'Local midnight that starts the bucket, as an instant.' })
  start: Date;
  @Field(() => Date, {
    description: 'The start of the next bucket (a DST day is 23 or 25 hours long).',
  })
  end: Date;
  @Field(() => Int, { description: 'Counted orders created in the bucket and in the period.' })
  orderCount: number;
  @Field(() => MoneyType, { description: 'Their revenue, excluding VAT.' }) revenue: MoneyType;
}

@ObjectType('TenantKpis', {
  registerIn,
  description:
    'KPIs of one tenant over [from, to). Counted orders are those created in the period that are PLACED, CONFIRMED, SHIPPED or INVOICED now. Rates are fractions from 0 to 1, null when there is nothing to divide by.',
})
export class TenantKpisType {
  @Field() tenantSlug: string;
  @Field(() => Date, { description: 'As asked (inclusive).' }) from: Date;
  @Field(() => Date, { description: 'As asked (exclusive).' }) to: Date;
  @Field({ description: "The tenant's IANA time zone: the series' days are its days." })
  timeZone: string;
  @Field({ description: "The tenant's currency: every amount is in it." }) currency: string;
  @Field(() => KpiGranularityEnum) granularity: KpiGranularityEnum;

  @Field(() => Int, { description: 'Online orders: counted orders created in the period.' })
  orderCount: number;
  @Field(() => Int, {
    description:
      "Counted orders in another currency than the tenant's: in orderCount, not in the amounts.",
  })
  otherCurrencyOrderCount: number;
  @Field(() => MoneyType, {
    description: 'Sum of the counted orders excluding VAT: lines plus shipping (total − tax).',
  })
  revenue: MoneyType;
  @Field(() => MoneyType, {
    nullable: true,
    description: 'Revenue ÷ orders, rounded half up to the cent; null without orders.',
  })
  averageOrderValue: MoneyType | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of the ordering companies with more than one counted order in the period.',
  })
  repeatPurchaseRate: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share of the ordering users (buyers) with more than one counted order in the period.',
  })
  userRepeatPurchaseRate: number | null;
  @Field(() => Int) orderingCompanies: number;
  @Field(() => Int) repeatCompanies: number;
  @Field(() => Int) orderingUsers: number;
  @Field(() => Int) repeatUsers: number;

  @Field(() => Int, {
    description: "Quotes whose (latest) offer was made in the period: the conversion's cohort.",
  })
  quotesOffered: number;
  @Field(() => Int, { description: 'Of those, the quotes accepted as an order by now.' })
  quotesAccepted: number;
  @Field(() => Float, { nullable: true, description: 'quotesAccepted ÷ quotesOffered.' })
  quoteConversionRate: number | null;

  @Field(() => Int, { description: 'Every order created in the period, whatever its status.' })
  ordersSubmitted: number;
  @Field(() => Int, { description: 'Of those, the orders created waiting for approval.' })
  ordersNeedingApproval: number;
  @Field(() => Float, { nullable: true, description: 'ordersNeedingApproval ÷ ordersSubmitted.' })
  approvalShare: number | null;

  @Field(() => [KpiBucketType], {
    description:
      'Orders and revenue per local day or week, every bucket the period touches, oldest first.',
  })
  series: KpiBucketType[];
}
