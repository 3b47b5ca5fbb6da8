import type { CatalogImporter } from './import/catalog-importer';
import type { CustomerSkuImporter } from './import/customer-sku-importer';
import { ImportError, type ImportOptions, type ImportResult } from './import/import.types';

/**
 * One kind of import that ImportJobService can run as a job. The job service knows no importer
 * itself: the module that hosts it provides the runners under IMPORT_RUNNERS, so a lib above the
 * catalog (pricing) can add its kind without the catalog depending on it.
 */
export interface ImportRunner {
  /** As stored in import_job.kind: 'catalog', 'customer-skus', 'prices'. */
  readonly kind: string;
  /**
   * Tenant-bound kinds only: the id of the tenant the file belongs to. Throws ImportError
   * (usage) without a tenant or for an unknown one. Absent: the seller's own data.
   */
  tenantOf?(slug: string | undefined): Promise<string>;
  /** Runs the whole import (the same pipeline as the CLI). */
  run(source: string, options: ImportOptions, tenantSlug: string | null): Promise<ImportResult>;
}

/** Injection token: the ImportRunner[] an ImportJobService may start. */
export const IMPORT_RUNNERS = Symbol('IMPORT_RUNNERS');

/** The catalog's own kinds: master data (`catalog`) and a tenant's customer numbers (`customer-skus`). */
export function catalogImportRunners(
  catalog: CatalogImporter,
  customerSkus: CustomerSkuImporter,
): ImportRunner[] {
  return [
    { kind: 'catalog', run: (source, options) => catalog.import(source, options) },
    {
      kind: 'customer-skus',
      tenantOf: (slug) => {
        if (!slug) throw new ImportError('a customer-skus import needs a tenant', 'usage');
        return customerSkus.tenantId(slug);
      },
      run: (source, options, slug) => customerSkus.import(slug!, source, options),
    },
  ];
}
