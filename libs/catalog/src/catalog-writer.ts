import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AssortmentService } from './assortment.service';
import { sortKeys, type CatalogRow } from './import/catalog-row';

/** A validated catalog row as the writer takes it: `first` marks the row that defines its product. */
export interface CatalogWriteRow extends CatalogRow {
  /** True for the first row of its product in the file: product fields are written from it. */
  firstOfProduct: boolean;
  /** Position of the variant within its product (file order). */
  position: number;
}

export interface CatalogWriteResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Variants inserted or changed, and variants of changed products (for the assortment). */
  variantIds: number[];
  /** Products whose own fields or whose variants changed (their search documents were rebuilt). */
  productIds: number[];
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/**
 * The one write path of master data. Products are upserted by slug and variants by SKU, each
 * with a content hash of the normalized input: an upsert whose hash equals the stored one is
 * skipped (`WHERE content_hash IS DISTINCT FROM EXCLUDED.content_hash`), so writing the same
 * rows twice writes nothing the second time and reports them unchanged. Each statement covers
 * the whole batch (unnest), never one row.
 *
 * Invariant: runs inside the caller's maintenance unit of work (`TenantDb.maintenance`), because
 * the assortment refresh at the end writes every tenant's materialized assortment.
 */
@Injectable()
export class CatalogWriter {
  constructor(private readonly assortment: AssortmentService) {}

  /** Hash of what a variant row says (including the product it belongs to and its list price). */
  static variantHash(row: CatalogWriteRow): string {
    return sha1(
      JSON.stringify([
        row.productSlug,
        row.gtin,
        row.mpn,
        sortKeys(row.names),
        row.weightGrams,
        row.lengthMm,
        row.widthMm,
        row.heightMm,
        row.volumeMl,
        row.stockOnHand,
        row.status,
        row.successorSku,
        row.unit,
        row.orderMultiple,
        row.minOrderQuantity,
        sortKeys(row.attributes),
        row.listPrice,
        row.position,
        // Only when not the default: hashes stored before tax categories stay valid.
        ...(row.taxCategory === 'standard' ? [] : [row.taxCategory]),
      ]),
    );
  }

  static productHash(row: CatalogWriteRow): string {
    return sha1(
      JSON.stringify([
        row.categoryId,
        row.manufacturer,
        sortKeys(productNamesOf(row)),
        sortKeys(row.descriptions),
        row.media,
      ]),
    );
  }

  async upsertBatch(
    em: EntityManager,
    rows: readonly CatalogWriteRow[],
  ): Promise<CatalogWriteResult> {
    if (rows.length === 0)
      return { created: 0, updated: 0, unchanged: 0, variantIds: [], productIds: [] };

    // Products: written from the row that defines them; ids for every product of the batch.
    const defining = new Map<string, CatalogWriteRow>();
    for (const r of rows)
      if (r.firstOfProduct && !defining.has(r.productSlug)) defining.set(r.productSlug, r);
    const products = [...defining.values()];
    const changedProducts = products.length
      ? ((await em.query(
          `INSERT INTO product (slug, category_id, manufacturer, names, descriptions, media, content_hash)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::jsonb[], $5::jsonb[], $6::jsonb[], $7::text[])
           ON CONFLICT (slug) DO UPDATE SET category_id = EXCLUDED.category_id,
             manufacturer = EXCLUDED.manufacturer, names = EXCLUDED.names,
             descriptions = EXCLUDED.descriptions, media = EXCLUDED.media,
             content_hash = EXCLUDED.content_hash, updated_at = now()
           WHERE product.content_hash IS DISTINCT FROM EXCLUDED.content_hash
           RETURNING id`,
          [
            products.map((p) => p.productSlug),
            products.map((p) => p.categoryId),
            products.map((p) => p.manufacturer),
            products.map((p) => JSON.stringify(productNamesOf(p))),
            products.map((p) => JSON.stringify(p.descriptions)),
            products.map((p) => JSON.stringify(p.media)),
            products.map((p) => CatalogWriter.productHash(p)),
          ],
        )) as Array<{ id: number }>)
      : [];
    const slugs = [...new Set(rows.map((r) => r.productSlug))];
    const productIds = new Map(
      (
        (await em.query(`SELECT id, slug FROM product WHERE slug = ANY($1::text[])`, [
          slugs,
        ])) as Array<{ id: number; slug: string }>
      ).map((p) => [p.slug, p.id]),
    );

    // Variants: skip those whose stored hash is the row's; remember where moved ones came from.
    const existing = new Map(
      (
        (await em.query(
          `SELECT sku, product_id, content_hash FROM variant WHERE sku = ANY($1::text[])`,
          [rows.map((r) => r.sku)],
        )) as Array<{ sku: string; product_id: number; content_hash: string | null }>
      ).map((v) => [v.sku, v]),
    );
    const changed: Array<{ row: CatalogWriteRow; hash: string; productId: number }> = [];
    const touchedProducts = new Set(changedProducts.map((p) => p.id));
    for (const row of rows) {
      const hash = CatalogWriter.variantHash(row);
      const before = existing.get(row.sku);
      if (before?.content_hash === hash) continue;
      const productId = productIds.get(row.productSlug);
      if (productId === undefined)
        throw new Error(`product "${row.productSlug}" of line ${row.line} does not exist`);
      changed.push({ row, hash, productId });
      touchedProducts.add(productId);
      if (before) touchedProducts.add(before.product_id);
    }

    let created = 0;
    let updated = 0;
    const variantIds: number[] = [];
    if (changed.length > 0) {
      const written = (await em.query(
        `INSERT INTO variant (product_id, sku, gtin, mpn, names, weight_grams, length_mm, width_mm,
           height_mm, volume_ml, stock_on_hand, status, successor_sku, unit, order_multiple,
           min_order_quantity, attributes, position, content_hash, tax_category)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[],
           $7::int[], $8::int[], $9::int[], $10::int[], $11::int[], $12::text[], $13::text[],
           $14::text[], $15::int[], $16::int[], $17::jsonb[], $18::int[], $19::text[], $20::text[])
         ON CONFLICT (sku) DO UPDATE SET product_id = EXCLUDED.product_id, gtin = EXCLUDED.gtin,
           mpn = EXCLUDED.mpn, names = EXCLUDED.names, weight_grams = EXCLUDED.weight_grams,
           length_mm = EXCLUDED.length_mm, width_mm = EXCLUDED.width_mm,
           height_mm = EXCLUDED.height_mm, volume_ml = EXCLUDED.volume_ml,
           stock_on_hand = EXCLUDED.stock_on_hand, status = EXCLUDED.status,
           successor_sku = EXCLUDED.successor_sku, unit = EXCLUDED.unit,
           order_multiple = EXCLUDED.order_multiple, min_order_quantity = EXCLUDED.min_order_quantity,
           attributes = EXCLUDED.attributes, position = EXCLUDED.position,
           content_hash = EXCLUDED.content_hash, tax_category = EXCLUDED.tax_category,
           updated_at = now()
         WHERE variant.content_hash IS DISTINCT FROM EXCLUDED.content_hash
         RETURNING id, sku, (xmax = 0) AS inserted`,
        [
          changed.map((c) => c.productId),
          changed.map((c) => c.row.sku),
          changed.map((c) => c.row.gtin),
          changed.map((c) => c.row.mpn),
          changed.map((c) => JSON.stringify(c.row.names)),
          changed.map((c) => c.row.weightGrams),
          changed.map((c) => c.row.lengthMm),
          changed.map((c) => c.row.widthMm),
          changed.map((c) => c.row.heightMm),
          changed.map((c) => c.row.volumeMl),
          changed.map((c) => c.row.stockOnHand),
          changed.map((c) => c.row.status),
          changed.map((c) => c.row.successorSku),
          changed.map((c) => c.row.unit),
          changed.map((c) => c.row.orderMultiple),
          changed.map((c) => c.row.minOrderQuantity),
          changed.map((c) => JSON.stringify(c.row.attributes)),
          changed.map((c) => c.row.position),
          changed.map((c) => c.hash),
          changed.map((c) => c.row.taxCategory),
        ],
      )) as Array<{ id: number; sku: string; inserted: boolean }>;
      const ids = new Map<string, number>();
      for (const w of written) {
        ids.set(w.sku, w.id);
        variantIds.push(w.id);
        if (w.inserted) created++;
        else updated++;
      }
      const priced = changed.filter((c) => c.row.listPrice && ids.has(c.row.sku));
      if (priced.length > 0) {
        await em.query(
          `INSERT INTO list_price (variant_id, currency, amount_minor)
           SELECT * FROM unnest($1::int[], $2::text[], $3::bigint[])
           ON CONFLICT (variant_id, currency) DO UPDATE SET amount_minor = EXCLUDED.amount_minor
           WHERE list_price.amount_minor IS DISTINCT FROM EXCLUDED.amount_minor`,
          [
            priced.map((c) => ids.get(c.row.sku)),
            priced.map((c) => c.row.listPrice!.currency),
            priced.map((c) => String(c.row.listPrice!.amountMinor)),
          ],
        );
      }
    }

    // A changed product (category, names) changes the assortment rows of all its variants.
    if (changedProducts.length > 0) {
      const ofProducts = (await em.query(
        `SELECT id FROM variant WHERE product_id = ANY($1::int[])`,
        [changedProducts.map((p) => p.id)],
      )) as Array<{ id: number }>;
      const seen = new Set(variantIds);
      for (const v of ofProducts) if (!seen.has(v.id)) variantIds.push(v.id);
    }
    const productList = [...touchedProducts];
    if (productList.length > 0)
      await em.query(`SELECT vitrine_refresh_product_search($1::int[])`, [productList]);
    if (variantIds.length > 0) await this.assortment.refresh(em, { variantIds });

    return {
      created,
      updated,
      unchanged: rows.length - created - updated,
      variantIds,
      productIds: productList,
    };
  }
}

/** A product without names of its own is named like the variant that defines it. */
function productNamesOf(row: CatalogRow): Record<string, string> {
  return Object.keys(row.productNames).length > 0 ? row.productNames : row.names;
}
