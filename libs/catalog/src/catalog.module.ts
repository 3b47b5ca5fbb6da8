import { Module } from '@nestjs/common';
import { AssortmentService } from './assortment.service';
import { CatalogQueryService } from './catalog-query.service';
import { CatalogResolver, CategoryResolver, ProductResolver } from './catalog.resolver';
import { CatalogSeeder } from './seed/catalog-seeder';
import { CatalogWriter } from './catalog-writer';
import { ImportJobService } from './import-job.service';
import { CatalogImporter } from './import/catalog-importer';
import { CustomerSkuImporter } from './import/customer-sku-importer';
import { catalogImportRunners, IMPORT_RUNNERS } from './import-runner';

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
    // The catalog's own kinds; a host that also runs price imports provides its own list.
    {
      provide: IMPORT_RUNNERS,
      useFactory: catalogImportRunners,
      inject: [CatalogImporter, CustomerSkuImporter],
    },
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
