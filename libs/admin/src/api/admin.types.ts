import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar, PageInfoType } from '@vitrine/graphql';
import { OrderStatusEnum, QuoteStatusEnum } from '@vitrine/ordering';
import { MoneyType, PriceSourceEnum } from '@vitrine/pricing';
// Circular on purpose and resolved lazily (at schema build): the module registers these types.
import { AdminApiModule } from './admin-api.module';

/**
 * Every admin type belongs to the admin schema only: without `registerIn`, @nestjs/graphql puts a
 * type in every schema of the process, and the storefront's would show the admin's types.
 */
const registerIn = () => AdminApiModule;

// OrderStatus and QuoteStatus are shared with the storefront schema (see @vitrine/ordering).
export { OrderStatusEnum, QuoteStatusEnum };

@ObjectType('AdminQuoteLine', { registerIn })
export class AdminQuoteLineType {
  @Field() sku: string;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => MoneyType, {
    nullable: true,
    description: 'Per unit, excluding VAT; null until offered.',
  })
  offeredUnitPrice: MoneyType | null;
}

@ObjectType('AdminQuote', {
  registerIn,
  description: 'A quote of any tenant, as the seller sees it.',
})
export class AdminQuoteType {
  @Field({ description: 'Unique in the installation, e.g. Q2026-000042.' }) number: string;
  @Field(() => QuoteStatusEnum) status: QuoteStatusEnum;
  @Field() tenantSlug: string;
  @Field(() => String, { nullable: true, description: 'Null for an anonymous prospect.' })
  companyName: string | null;
  @Field() contactEmail: string;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field() currency: string;
  @Field(() => [AdminQuoteLineType]) lines: AdminQuoteLineType[];
  @Field(() => Date, { nullable: true }) validUntil: Date | null;
  @Field(() => Date, { nullable: true }) offeredAt: Date | null;
  @Field(() => Date) createdAt: Date;
  @Field(() => String, { nullable: true, description: 'The order it became, once accepted.' })
  orderNumber: string | null;
}

@ObjectType('AdminQuoteEdge', { registerIn })
export class AdminQuoteEdgeType {
  @Field() cursor: string;
  @Field(() => AdminQuoteType) node: AdminQuoteType;
}

@ObjectType('AdminQuoteConnection', { registerIn })
export class AdminQuoteConnectionType {
  @Field(() => [AdminQuoteEdgeType]) edges: AdminQuoteEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}

@InputType('QuoteOfferLineInput', { registerIn })
export class QuoteOfferLineInput {
  @Field() sku: string;
  @Field(() => DecimalScalar, {
    description: "Per unit, excluding VAT, in the quote's currency; zero or more.",
  })
  unitPrice: string;
}

@InputType('TrackingInput', { registerIn })
export class TrackingInput {
  @Field() carrier: string;
  @Field() code: string;
  @Field(() => String, { nullable: true }) url?: string | null;
}

@ObjectType('AdminOrderTracking', { registerIn })
export class OrderTrackingType {
  @Field() carrier: string;
  @Field() code: string;
  @Field(() => String, { nullable: true }) url: string | null;
}

@ObjectType('AdminOrderLine', { registerIn })
export class AdminOrderLineType {
  @Field(() => Int) lineNo: number;
  @Field() sku: string;
  @Field() name: string;
  @Field(() => Int) quantity: number;
  @Field(() => MoneyType) unitPrice: MoneyType;
  @Field(() => MoneyType, { description: 'Excluding VAT.' }) lineTotal: MoneyType;
  @Field(() => DecimalScalar, { description: 'VAT percentage, e.g. "21.00".' }) taxRate: string;
  @Field(() => MoneyType) tax: MoneyType;
  @Field(() => PriceSourceEnum) priceSource: PriceSourceEnum;
}

@ObjectType('AdminOrderCompany', { registerIn })
export class AdminOrderCompanyType {
  @Field() code: string;
  @Field() name: string;
}

@ObjectType('AdminOrderUser', { registerIn })
export class AdminOrderUserType {
  @Field() name: string;
  @Field() email: string;
}

@ObjectType('AdminOrderStatusChange', { registerIn })
export class OrderStatusChangeType {
  @Field(() => OrderStatusEnum) status: OrderStatusEnum;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Who changed it: the admin token's subject, or the buyer's user id.",
  })
  changedBy: string | null;
  @Field(() => Date) changedAt: Date;
}

@ObjectType('AdminOrder', {
  registerIn,
  description: 'An order of any tenant, as the seller sees it.',
})
export class AdminOrderType {
  @Field({ description: 'Unique within its tenant.' }) number: string;
  @Field(() => OrderStatusEnum) status: OrderStatusEnum;
  @Field() tenantSlug: string;
  @Field(() => AdminOrderCompanyType) company: AdminOrderCompanyType;
  @Field(() => AdminOrderUserType) placedBy: AdminOrderUserType;
  @Field(() => String, { nullable: true }) poNumber: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => String, { nullable: true }) costCentre: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  requestedDeliveryDate: string | null;
  @Field(() => [AdminOrderLineType]) lines: AdminOrderLineType[];
  @Field(() => MoneyType) subtotal: MoneyType;
  @Field(() => MoneyType) shipping: MoneyType;
  @Field(() => MoneyType) tax: MoneyType;
  @Field(() => MoneyType) total: MoneyType;
  @Field(() => OrderTrackingType, { nullable: true }) tracking: OrderTrackingType | null;
  @Field(() => String, { nullable: true }) invoiceNumber: string | null;
  @Field(() => [OrderStatusChangeType], { description: 'Oldest first.' })
  statusHistory: OrderStatusChangeType[];
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType('AdminOrderEdge', { registerIn })
export class AdminOrderEdgeType {
  @Field() cursor: string;
  @Field(() => AdminOrderType) node: AdminOrderType;
}

@ObjectType('AdminOrderConnection', { registerIn })
export class AdminOrderConnectionType {
  @Field(() => [AdminOrderEdgeType]) edges: AdminOrderEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
