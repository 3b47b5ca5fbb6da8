export * from './cart.service';
export * from './ordering.module';
export * from './documents';
export * from './seller';
export { releaseReservation } from './approval.service';
export { CheckoutService } from './checkout.service';
export { OrderQueryService } from './order-query.service';
