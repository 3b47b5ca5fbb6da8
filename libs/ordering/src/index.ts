export * from './cart.service';
export * from './ordering.module';
export * from './documents';
export * from './seller';
