import { Injectable } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import { TenantDirectory } from '@vitrine/tenancy';
import { CatalogWriter, type CatalogWriteRow } from '../catalog-writer';
import {
  catalogInputFromCsv,
  catalogInputFromJson,
  checkCatalogCsvHeader,
  productFieldsOf,
  validateCatalogRow,
  type AttributeDefinition,
  type CatalogDictionary,
} from './catalog-row';
import { runImport } from './import-pipeline';
import type { ImportOptions, ImportResult, RowReject } from './import.types';

/** Tables a catalog import writes, analyzed after a load (PGlite has no autovacuum). */
const IMPORTED_TABLES = [
  'product',
  'variant',
  'list_price',
  'product_search',
  'tenant_variant',
  'tenant_product',
];

/**
 * `vitrine import catalog`: streams a CSV or NDJSON file into the master catalog through
 * `CatalogWriter`, one transaction per batch. Memory stays flat in the file's size: only the
 * SKUs and product keys seen so far are kept (to reject duplicates and contradictions), about
 * a hundred bytes each.
 */
@Injectable()
export class CatalogImporter {
  constructor(
    private readonly db: TenantDb,
    private readonly writer: CatalogWriter,
    private readonly directory: TenantDirectory,
  ) {}

  async import(path: string, options: ImportOptions = {}): Promise<ImportResult> {
    const dict = await this.dictionary();
    const skus = new Map<string, number>();
    const products = new Map<string, { line: number; fields: string; count: number }>();
    const result = await runImport<CatalogWriteRow>(path, options, {
      checkHeader: checkCatalogCsvHeader,
      skuOf: (row) => row.sku,
      toRow: (record, line, format) => {
        const input =
          format === 'csv'
            ? catalogInputFromCsv(record as Record<string, string>)
            : catalogInputFromJson(record);
        const v = validateCatalogRow(input, line, dict);
        if (!v.ok) return v.rejects;
        const row = v.row;
        const skuField = input.sku?.field ?? 'sku';
        const first = skus.get(row.sku);
        if (first !== undefined)
          return [dup(row.sku, line, skuField, `duplicate SKU: already on line ${first}`)];
        const product = products.get(row.productSlug);
        const fields = productFieldsOf(row);
        if (product && product.fields !== fields)
          return [
            dup(
              row.sku,
              line,
              input.product?.field ?? 'product',
              `product "${row.productSlug}" has other category, manufacturer, product names, descriptions or media on line ${product.line}`,
            ),
          ];
        skus.set(row.sku, line);
        if (product) product.count++;
        else products.set(row.productSlug, { line, fields, count: 1 });
        return {
          ...row,
          firstOfProduct: !product,
          position: product ? product.count - 1 : 0,
        };
      },
      commit: (rows) =>
        this.db
          .maintenance((em) => this.writer.upsertBatch(em, rows))
          .then((r) => ({ ...r, rejects: [] })),
    });
    if (result.created + result.updated > 0) {
      await this.db.refreshStatistics(IMPORTED_TABLES);
      // Master data is every tenant's: cached pages show the new texts, articles and list
      // prices on their next request (docs/caching.md). Stock alone is left to the TTL.
      await this.directory.bumpVersions('all');
    }
    return result;
  }

  private async dictionary(): Promise<CatalogDictionary> {
    const cats = await this.db.query<{ id: number; slug: string }>(`SELECT id, slug FROM category`);
    const attrs = await this.db.query<{
      code: string;
      type: AttributeDefinition['type'];
      enum_values: unknown[] | null;
    }>(`SELECT code, type, enum_values FROM attribute`);
    return {
      categories: new Map(cats.map((c) => [c.slug, c.id])),
      attributes: new Map(
        attrs.map((a) => [
          a.code,
          {
            code: a.code,
            type: a.type,
            enumValues: a.enum_values ? a.enum_values.map(String) : null,
          },
        ]),
      ),
    };
  }
}

function dup(sku: string, line: number, column: string, reason: string): RowReject {
  return { line, sku, column, reason };
}
