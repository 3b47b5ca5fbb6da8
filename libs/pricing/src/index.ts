export * from './money';
export * from './price-resolution';
export * from './price.service';
export * from './price.type';
export * from './tax';
export * from './price-list.entity';
export * from './seed/demo-price-lists';
export * from './seed/pricing-seeder';
export * from './pricing.module';

import { ListPriceEntity, PriceListEntity, PriceListEntryEntity } from './price-list.entity';
export const PRICING_ENTITIES = [PriceListEntity, ListPriceEntity, PriceListEntryEntity];
