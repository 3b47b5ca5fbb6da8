import type { ImportRunner } from '@vitrine/catalog';
import type { PriceImporter } from './price-importer';

/** `prices` as a job kind of the catalog's ImportJobService (list prices, price lists, contract prices). */
export function priceImportRunner(importer: PriceImporter): ImportRunner {
  return { kind: 'prices', run: (source, options) => importer.import(source, options) };
}
