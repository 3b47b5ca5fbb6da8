export * from './prices-api.module';
export * from './price-list-admin.service';
export * from './contract-price-admin.service';
export * from './price-admin.types';
export { MAX_PRICES_PER_CALL } from './price-input';
