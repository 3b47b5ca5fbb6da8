export * from './catalog.model';
export * from './category.entity';
export * from './product.entity';
export * from './variant.entity';
export * from './catalog-query.service';
export * from './assortment.service';
export * from './seed/catalog-seeder';
export { demoAttributes, demoCategories, isValidEan13, ean13CheckDigit } from './seed/demo-catalog';
export type { DemoAttribute, DemoProduct, DemoVariant, DemoCategory } from './seed/demo-catalog';
export * from './product.type';
export * from './category.type';
export * from './catalog.module';
export * from './catalog-writer';
export * from './import-job.service';
export * from './import-runner';
export * from './import/import.types';
export { CatalogImporter } from './import/catalog-importer';
export { CustomerSkuImporter } from './import/customer-sku-importer';
export {
  resolveFormat,
  runImport,
  DEFAULT_BATCH_SIZE,
  type BatchOutcome,
  type ImportHandler,
} from './import/import-pipeline';
export { normalizeSku, SKU_PATTERN } from './import/catalog-row';
export { isValidGtin } from './import/gtin';

/** Entities this lib owns, for the DataSource. */
import { CategoryEntity } from './category.entity';
import { ProductEntity } from './product.entity';
import { VariantEntity } from './variant.entity';
export const CATALOG_ENTITIES = [CategoryEntity, ProductEntity, VariantEntity];
