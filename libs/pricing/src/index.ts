export * from './money';
export * from './price-resolution';
export * from './price.service';
export * from './price.type';
export * from './tax';
export * from './price-list.entity';
export * from './seed/demo-price-lists';
export * from './seed/pricing-seeder';
export * from './pricing.module';
export { PriceImporter, PRICE_BATCH_SIZE, type PriceImportOptions } from './import/price-importer';
export { priceImportRunner } from './import/price-import-runner';
export {
  formatEdge,
  formatPeriod,
  INSTALLATION_TIME_ZONE,
  parsePeriod,
  parseValidityEdge,
  sqlInstant,
  type Period,
  type PeriodProblem,
} from './import/validity';
export {
  describeKey,
  isCurrencyCode,
  priceKey,
  priceListCodeProblem,
  validatePriceRow,
  type PriceDictionary,
  type PriceListInfo,
  type PriceRow,
  type TenantInfo,
} from './import/price-row';

import { ListPriceEntity, PriceListEntity, PriceListEntryEntity } from './price-list.entity';
export const PRICING_ENTITIES = [PriceListEntity, ListPriceEntity, PriceListEntryEntity];
export * from './price-change.service';
export * from './company-id';
export * from './line-pricing.service';
