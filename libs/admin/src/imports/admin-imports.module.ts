import { Module } from '@nestjs/common';
import {
  AssortmentService,
  CatalogImporter,
  CatalogWriter,
  catalogImportRunners,
  CustomerSkuImporter,
  IMPORT_RUNNERS,
  ImportJobService,
} from '@vitrine/catalog';
import { PriceChangeService, PriceImporter, priceImportRunner } from '@vitrine/pricing';
import { AuditModule } from '../audit';
import { AdminImportService } from './admin-import.service';

/**
 * Imports as jobs for the admin API: the catalog's ImportJobService with every kind — the
 * catalog's own and the price import. Like TenantsAdminModule it provides the services it needs
 * instead of importing CatalogModule and PricingModule (they carry storefront resolvers, and the
 * admin endpoint takes in every module its modules import). The importers are stateless; this
 * module's ImportJobService is the one that runs uploaded jobs.
 */
@Module({
  imports: [AuditModule],
  providers: [
    AssortmentService,
    CatalogWriter,
    CatalogImporter,
    CustomerSkuImporter,
    PriceChangeService,
    PriceImporter,
    {
      provide: IMPORT_RUNNERS,
      useFactory: (catalog: CatalogImporter, skus: CustomerSkuImporter, prices: PriceImporter) => [
        ...catalogImportRunners(catalog, skus),
        priceImportRunner(prices),
      ],
      inject: [CatalogImporter, CustomerSkuImporter, PriceImporter],
    },
    ImportJobService,
    AdminImportService,
  ],
  exports: [AdminImportService, ImportJobService],
})
export class AdminImportsModule {}
