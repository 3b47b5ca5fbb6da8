import { Module } from '@nestjs/common';
import { PricingModule } from '@vitrine/pricing';
import { ApprovalService } from './approval.service';
import { CartResolver } from './cart.resolver';
import { CartService } from './cart.service';
import { CheckoutService } from './checkout.service';
import { OrderDraftService } from './order-draft.service';
import { OrderQueryService } from './order-query.service';
import { OrderWriter } from './order-writer.service';
import { OrderListResolver } from './order-list.resolver';
import { OrderListService } from './order-list.service';
import { OrderResolver } from './order.resolver';
import { OrderTotalsService } from './order-totals.service';
import { QuoteResolver } from './quote.resolver';
import { QuoteService } from './quote.service';

/** Buying flows: carts, checkout, approvals, order history, quotes and order lists. */
@Module({
  imports: [PricingModule],
  providers: [
    OrderTotalsService,
    CartService,
    CartResolver,
    OrderDraftService,
    OrderWriter,
    CheckoutService,
    ApprovalService,
    OrderQueryService,
    OrderResolver,
    QuoteService,
    QuoteResolver,
    OrderListService,
    OrderListResolver,
  ],
  exports: [CartService, CheckoutService, OrderQueryService, ApprovalService, QuoteService],
})
export class OrderingModule {}
