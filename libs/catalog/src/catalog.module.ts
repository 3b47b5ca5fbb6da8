import { Module } from '@nestjs/common';
import { AssortmentService } from './assortment.service';
import { CatalogQueryService } from './catalog-query.service';
import { CatalogResolver, CategoryResolver, ProductResolver } from './catalog.resolver';
import { CatalogSeeder } from './seed/catalog-seeder';
import { CatalogWriter } from './catalog-writer';
import { ImportJobService } from './import-job.service';
import { CatalogImporter } from './import/catalog-importer';
import { CustomerSkuImporter } from './import/customer-sku-importer';

@Module({
  providers: [
    CatalogQueryService,
    AssortmentService,
    CatalogSeeder,
    CatalogResolver,
    ProductResolver,
    CategoryResolver,
    CatalogWriter,
    CatalogImporter,
    CustomerSkuImporter,
    ImportJobService,
  ],
  exports: [
    CatalogQueryService,
    AssortmentService,
    CatalogSeeder,
    CatalogWriter,
    CatalogImporter,
    CustomerSkuImporter,
    ImportJobService,
  ],
})
export class CatalogModule {}
