import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
import { CatalogWriter, type CatalogWriteRow } from '../catalog-writer';
import {
  demoAttributes,
  demoCategories,
  generateDemoProducts,
  type DemoProduct,
  type DemoVariant,
} from './demo-catalog';

export interface SeededVariant {
  variantId: number;
  variant: DemoVariant;
  product: DemoProduct;
}

export interface CatalogSeedOptions {
  variants: number;
  seed?: number;
  /** Variants per batch (one INSERT of products and one of variants each). */
  batchSize?: number;
  /** Called inside the same transaction after each batch (pricing adds list prices here). */
  onBatch?: (em: EntityManager, batch: SeededVariant[]) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
}

/** Tables a catalog seed fills (its `onBatch` hook typically writes list prices and entries). */
const SEEDED_TABLES = [
  'attribute',
  'category',
  'product',
  'variant',
  'product_search',
  'list_price',
  'price_list_entry',
];

/**
 * Writes the deterministic demo catalog: categories, products and variants, written through the
 * one write path of master data (`CatalogWriter`: upserts by slug and SKU, content hashes, search
 * documents, assortments), so a re-run changes nothing and a larger run only adds.
 */
@Injectable()
export class CatalogSeeder {
  constructor(
    private readonly db: TenantDb,
    private readonly writer: CatalogWriter,
  ) {}

  async seed(
    options: CatalogSeedOptions,
  ): Promise<{ categories: number; products: number; variants: number }> {
    const batchSize = options.batchSize ?? 2000;
    const result = await this.db.maintenance(async (em) => {
      const categoryIds = await this.upsertCategories(em);
      await this.upsertAttributes(em);
      let products = 0;
      let variants = 0;
      let batch: DemoProduct[] = [];
      let batchVariants = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const seeded = await this.upsertProducts(em, batch, categoryIds);
        await options.onBatch?.(em, seeded);
        products += batch.length;
        variants += seeded.length;
        batch = [];
        batchVariants = 0;
        options.onProgress?.(variants, options.variants);
      };
      for (const product of generateDemoProducts({
        variants: options.variants,
        seed: options.seed,
      })) {
        batch.push(product);
        batchVariants += product.variants.length;
        if (batchVariants >= batchSize) await flush();
      }
      await flush();
      return { categories: categoryIds.size, products, variants };
    });
    await this.db.refreshStatistics(SEEDED_TABLES);
    return result;
  }

  private async upsertCategories(em: EntityManager): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const paths = new Map<string, string>();
    // demoCategories() lists parents before children.
    for (const c of demoCategories()) {
      const parentId = c.parentSlug ? (ids.get(c.parentSlug) ?? null) : null;
      const path = c.parentSlug ? `${paths.get(c.parentSlug)}/${c.slug}` : c.slug;
      const [row] = (await em.query(
        `INSERT INTO category (slug, parent_id, path, names, position) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (slug) DO UPDATE SET parent_id = EXCLUDED.parent_id, path = EXCLUDED.path,
           names = EXCLUDED.names, position = EXCLUDED.position
         RETURNING id`,
        [c.slug, parentId, path, JSON.stringify(c.names), c.position],
      )) as Array<{ id: number }>;
      ids.set(c.slug, row.id);
      paths.set(c.slug, path);
    }
    return ids;
  }

  private async upsertAttributes(em: EntityManager): Promise<void> {
    const attributes = demoAttributes();
    await em.query(
      `INSERT INTO attribute (code, type, unit, names, enum_values, position)
       SELECT a.code, a.type, a.unit, a.names, a.enum_values, a.position
       FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::int[])
         AS a(code, type, unit, names, enum_values, position)
       ON CONFLICT (code) DO UPDATE SET type = EXCLUDED.type, unit = EXCLUDED.unit, names = EXCLUDED.names,
         enum_values = EXCLUDED.enum_values, position = EXCLUDED.position`,
      [
        attributes.map((a) => a.code),
        attributes.map((a) => a.type),
        attributes.map((a) => a.unit),
        attributes.map((a) => JSON.stringify(a.names)),
        attributes.map((a) => (a.enumValues ? JSON.stringify(a.enumValues) : null)),
        attributes.map((_, i) => i),
      ],
    );
  }

  private async upsertProducts(
    em: EntityManager,
    products: DemoProduct[],
    categoryIds: Map<string, number>,
  ): Promise<SeededVariant[]> {
    const rows: CatalogWriteRow[] = products.flatMap((product) =>
      product.variants.map((variant, position) => ({
        line: 0,
        sku: variant.sku,
        productSlug: product.slug,
        grouped: true,
        firstOfProduct: position === 0,
        position,
        categoryId: categoryIds.get(product.categorySlug) as number,
        manufacturer: product.manufacturer,
        productNames: { ...product.names },
        descriptions: { ...product.descriptions },
        media: product.media,
        gtin: variant.gtin,
        mpn: variant.mpn,
        names: { ...variant.names },
        weightGrams: variant.weightGrams,
        lengthMm: variant.lengthMm,
        widthMm: variant.widthMm,
        heightMm: variant.heightMm,
        volumeMl: variant.volumeMl,
        stockOnHand: variant.stockOnHand,
        status: variant.status,
        successorSku: variant.successorSku,
        taxCategory: 'standard',
        unit: variant.unit,
        orderMultiple: variant.orderMultiple,
        minOrderQuantity: variant.minOrderQuantity,
        attributes: variant.attributes,
        // List prices and price-list entries are the pricing seeder's (onBatch).
        listPrice: null,
      })),
    );
    await this.writer.upsertBatch(em, rows);
    const ids = new Map(
      (
        (await em.query(`SELECT id, sku FROM variant WHERE sku = ANY($1::text[])`, [
          rows.map((r) => r.sku),
        ])) as Array<{ id: number; sku: string }>
      ).map((v) => [v.sku, v.id]),
    );
    return products.flatMap((product) =>
      product.variants.map((variant) => ({
        variantId: ids.get(variant.sku) as number,
        variant,
        product,
      })),
    );
  }
}
