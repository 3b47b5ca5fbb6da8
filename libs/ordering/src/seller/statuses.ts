import { registerEnumType } from '@nestjs/graphql';

/** Every status an order can have (the `customer_order.status` check constraint). */
export const ORDER_STATUS_NAMES = [
  'PENDING_APPROVAL',
  'PLACED',
  'REJECTED',
  'CONFIRMED',
  'SHIPPED',
  'INVOICED',
  'CANCELLED',
] as const;
export type OrderStatusName = (typeof ORDER_STATUS_NAMES)[number];

/** Every status a quote can have (the `quote.status` check constraint). */
export const QUOTE_STATUS_NAMES = [
  'REQUESTED',
  'OFFERED',
  'ACCEPTED',
  'DECLINED',
  'EXPIRED',
] as const;
export type QuoteStatusName = (typeof QUOTE_STATUS_NAMES)[number];

/**
 * What the seller may do with an order in each status. Fulfilment goes forward only
 * (PLACED → CONFIRMED → SHIPPED → INVOICED); an order can be cancelled until it ships. Orders
 * waiting for approval are the buyer company's to decide, except that the seller may cancel
 * them. REJECTED, INVOICED and CANCELLED are final.
 */
export const SELLER_ORDER_TRANSITIONS: Readonly<
  Record<OrderStatusName, readonly OrderStatusName[]>
> = {
  PENDING_APPROVAL: ['CANCELLED'],
  PLACED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['INVOICED'],
  INVOICED: [],
  REJECTED: [],
  CANCELLED: [],
};

/** Quotes the seller may (re-)offer: a re-offer replaces the prices and the validity. */
export const OFFERABLE_QUOTE_STATUSES: readonly QuoteStatusName[] = ['REQUESTED', 'OFFERED'];

/**
 * The GraphQL enums of order and quote statuses, registered once for both schemas (storefront
 * and admin): @nestjs/graphql puts a type without `registerIn` in every schema, so a second
 * registration of the same name in either API would break both.
 */
export enum OrderStatusEnum {
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  PLACED = 'PLACED',
  REJECTED = 'REJECTED',
  CONFIRMED = 'CONFIRMED',
  SHIPPED = 'SHIPPED',
  INVOICED = 'INVOICED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description:
    'PENDING_APPROVAL waits for an approver of the company; PLACED went to the seller; CONFIRMED, SHIPPED and INVOICED are set by the seller; REJECTED by an approver; CANCELLED by the seller.',
});

export enum QuoteStatusEnum {
  REQUESTED = 'REQUESTED',
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(QuoteStatusEnum, { name: 'QuoteStatus' });
