import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserType } from '@vitrine/accounts';
import { DecimalScalar, PageInfoType } from '@vitrine/graphql';
import { MoneyType } from '@vitrine/pricing';
import { CartLineType } from './cart.types';
import { OrderStatusEnum } from './seller/statuses';

// Registered once for the storefront and admin schemas (a second registration breaks both).
export { OrderStatusEnum };

@InputType('PlaceOrderInput')
export class PlaceOrderInput {
  @Field(() => String, {
    nullable: true,
    description: 'Your purchase order number; required when your company says so.',
  })
  poNumber?: string | null;
  @Field(() => ID, {
    nullable: true,
    description: "One of your company's SHIPPING addresses; default: the default one.",
  })
  shippingAddressId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD, today or later (in the shop’s time zone).',
  })
  requestedDeliveryDate?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Code of one of your company's active cost centres.",
  })
  costCentre?: string | null;
}

@ObjectType('OrderAddress')
export class OrderAddressType {
  @Field() name: string;
  @Field() street: string;
  @Field() postalCode: string;
  @Field() city: string;
  @Field() country: string;
}

@ObjectType('VatRateTotal')
export class VatRateTotalType {
  @Field(() => DecimalScalar, { description: 'Percent, e.g. "21.00".' }) rate: string;
  @Field(() => MoneyType) base: MoneyType;
  @Field(() => MoneyType) tax: MoneyType;
}

@ObjectType('OrderStatusChange')
export class OrderStatusChangeType {
  @Field(() => OrderStatusEnum) status: OrderStatusEnum;
  @Field() at: Date;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('Tracking')
export class TrackingType {
  @Field() carrier: string;
  @Field() code: string;
  @Field(() => String, { nullable: true }) url: string | null;
}

@ObjectType('Order')
export class OrderType {
  @Field() number: string;
  @Field(() => OrderStatusEnum) status: OrderStatusEnum;
  @Field(() => String, { nullable: true }) poNumber: string | null;
  @Field(() => [CartLineType]) lines: CartLineType[];
  @Field(() => MoneyType, { description: 'Sum of the lines, excluding VAT.' }) subtotal: MoneyType;
  @Field(() => MoneyType, { description: 'Excluding VAT.' }) shipping: MoneyType;
  @Field(() => MoneyType) tax: MoneyType;
  @Field(() => MoneyType) total: MoneyType;
  @Field(() => UserType) placedBy: UserType;
  @Field() createdAt: Date;
  @Field(() => String, { nullable: true }) costCentre: string | null;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => String, { nullable: true }) requestedDeliveryDate: string | null;
  @Field(() => OrderAddressType) shipTo: OrderAddressType;
  @Field(() => [VatRateTotalType], { description: 'VAT per rate, as on the invoice.' })
  vat: VatRateTotalType[];
  @Field(() => String, {
    nullable: true,
    description: 'Legal mention (reverse charge, export), in your language.',
  })
  taxNote: string | null;
  @Field(() => String, { nullable: true, description: 'Why it needs approval.' })
  approvalReason: string | null;
  @Field(() => String, { nullable: true }) rejectionReason: string | null;
  @Field(() => String, { nullable: true, description: 'Name of who approved or rejected it.' })
  decidedBy: string | null;
  @Field(() => TrackingType, { nullable: true }) tracking: TrackingType | null;
  @Field(() => String, { nullable: true }) invoiceNumber: string | null;
  @Field(() => Int, { nullable: true, description: 'Payment term in days, on account.' })
  paymentTermDays: number | null;
  @Field(() => [OrderStatusChangeType]) history: OrderStatusChangeType[];
}

@ObjectType('OrderEdge')
export class OrderEdgeType {
  @Field() cursor: string;
  @Field(() => OrderType) node: OrderType;
}

@ObjectType('OrderConnection')
export class OrderConnectionType {
  @Field(() => [OrderEdgeType]) edges: OrderEdgeType[];
  @Field(() => PageInfoType) pageInfo: PageInfoType;
}
