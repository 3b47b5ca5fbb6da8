import { Module } from '@nestjs/common';
import { PricingModule } from '@vitrine/pricing';
import { CartResolver } from './cart.resolver';
import { CartService } from './cart.service';

/** Buying flows: carts so far; checkout, approvals, quotes and the outbox follow (issue #6). */
@Module({
  imports: [PricingModule],
  providers: [CartService, CartResolver],
  exports: [CartService],
})
export class OrderingModule {}
