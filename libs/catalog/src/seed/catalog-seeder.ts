import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';
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

/**
 * Writes the deterministic demo catalog: categories, products and variants, upserted by slug
 * and SKU so a re-run changes nothing and a larger run only adds. Batched with unnest() so that
 * 100,000 variants take seconds, not minutes.
 */
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

@Injectable()
export class CatalogSeeder {
  constructor(private readonly db: TenantDb) {}

  async seed(
    options: CatalogSeedOptions,
  ): Promise<{ categories: number; products: number; variants: number }> {
    const batchSize = options.batchSize ?? 2000;
    const result = await this.db.global(async (em) => {
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
    const rows = (await em.query(
      `INSERT INTO product (slug, category_id, manufacturer, names, descriptions, media)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::jsonb[], $6::jsonb[])
       ON CONFLICT (slug) DO UPDATE SET category_id = EXCLUDED.category_id, manufacturer = EXCLUDED.manufacturer,
         names = EXCLUDED.names, descriptions = EXCLUDED.descriptions, media = EXCLUDED.media, updated_at = now()
       RETURNING id, slug`,
      [
        products.map((p) => p.slug),
        products.map((p) => categoryIds.get(p.categorySlug) ?? null),
        products.map((p) => p.manufacturer),
        products.map((p) => JSON.stringify(p.names)),
        products.map((p) => JSON.stringify(p.descriptions)),
        products.map((p) => JSON.stringify(p.media)),
      ],
    )) as Array<{ id: number; slug: string }>;
    const productIds = new Map(rows.map((r) => [r.slug, r.id]));
    const flat = products.flatMap((product) =>
      product.variants.map((variant, position) => ({ product, variant, position })),
    );
    const vrows = (await em.query(
      `INSERT INTO variant (product_id, sku, gtin, mpn, names, weight_grams, length_mm, width_mm, height_mm, stock_on_hand,
         position, unit, order_multiple, min_order_quantity, volume_ml, status, successor_sku, attributes)
       SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[], $7::int[], $8::int[],
         $9::int[], $10::int[], $11::int[], $12::text[], $13::int[], $14::int[], $15::int[], $16::text[], $17::text[],
         $18::jsonb[])
       ON CONFLICT (sku) DO UPDATE SET product_id = EXCLUDED.product_id, gtin = EXCLUDED.gtin, mpn = EXCLUDED.mpn,
         names = EXCLUDED.names, weight_grams = EXCLUDED.weight_grams, length_mm = EXCLUDED.length_mm,
         width_mm = EXCLUDED.width_mm, height_mm = EXCLUDED.height_mm, stock_on_hand = EXCLUDED.stock_on_hand,
         position = EXCLUDED.position, unit = EXCLUDED.unit, order_multiple = EXCLUDED.order_multiple,
         min_order_quantity = EXCLUDED.min_order_quantity, volume_ml = EXCLUDED.volume_ml, status = EXCLUDED.status,
         successor_sku = EXCLUDED.successor_sku, attributes = EXCLUDED.attributes, updated_at = now()
       RETURNING id, sku`,
      [
        flat.map((f) => productIds.get(f.product.slug)),
        flat.map((f) => f.variant.sku),
        flat.map((f) => f.variant.gtin),
        flat.map((f) => f.variant.mpn),
        flat.map((f) => JSON.stringify(f.variant.names)),
        flat.map((f) => f.variant.weightGrams),
        flat.map((f) => f.variant.lengthMm),
        flat.map((f) => f.variant.widthMm),
        flat.map((f) => f.variant.heightMm),
        flat.map((f) => f.variant.stockOnHand),
        flat.map((f) => f.position),
        flat.map((f) => f.variant.unit),
        flat.map((f) => f.variant.orderMultiple),
        flat.map((f) => f.variant.minOrderQuantity),
        flat.map((f) => f.variant.volumeMl),
        flat.map((f) => f.variant.status),
        flat.map((f) => f.variant.successorSku),
        flat.map((f) => JSON.stringify(f.variant.attributes)),
      ],
    )) as Array<{ id: number; sku: string }>;
    const variantIds = new Map(vrows.map((r) => [r.sku, r.id]));
    await em.query(`SELECT vitrine_refresh_product_search($1::int[])`, [rows.map((r) => r.id)]);
    return flat.map((f) => ({
      variantId: variantIds.get(f.variant.sku) as number,
      variant: f.variant,
      product: f.product,
    }));
  }
}
