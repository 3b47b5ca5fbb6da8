import { Module } from '@nestjs/common';
import { AssortmentService } from './assortment.service';
import { CatalogQueryService } from './catalog-query.service';
import { CatalogResolver, CategoryResolver, ProductResolver } from './catalog.resolver';
import { CatalogSeeder } from './seed/catalog-seeder';

@Module({
  providers: [
    CatalogQueryService,
    AssortmentService,
    CatalogSeeder,
    CatalogResolver,
    ProductResolver,
    CategoryResolver,
  ],
  exports: [CatalogQueryService, AssortmentService, CatalogSeeder],
})
export class CatalogModule {}
