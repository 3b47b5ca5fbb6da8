import { Module } from '@nestjs/common';
import { AdminOrderQueryService } from './admin-order-query.service';
import { AdminQuoteQueryService } from './admin-quote-query.service';
import { OrderStatusService } from './order-status.service';
import { QuoteOfferService } from './quote-offer.service';

const SELLER_SERVICES = [
  AdminQuoteQueryService,
  AdminOrderQueryService,
  QuoteOfferService,
  OrderStatusService,
];

/**
 * The seller's side of ordering (answering quotes, moving orders on), for the admin API.
 * It imports no module with storefront resolvers on purpose: an admin GraphQL endpoint that
 * `include`s a module takes in everything that module imports.
 */
@Module({ providers: SELLER_SERVICES, exports: SELLER_SERVICES })
export class OrderingSellerModule {}
