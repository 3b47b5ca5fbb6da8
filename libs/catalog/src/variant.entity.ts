import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type VariantStatus = 'ACTIVE' | 'DISCONTINUED';

/** A sellable article: SKU is the seller's article number, unique across the catalog. */
@Entity('variant')
export class VariantEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id: number;
  @Column('integer', { name: 'product_id' }) productId: number;
  @Column('text', { unique: true }) sku: string;
  @Column('text', { nullable: true }) gtin: string | null;
  @Column('text', { nullable: true }) mpn: string | null;
  @Column('jsonb') names: Record<string, string>;
  @Column('integer', { name: 'weight_grams', nullable: true }) weightGrams: number | null;
  @Column('integer', { name: 'length_mm', nullable: true }) lengthMm: number | null;
  @Column('integer', { name: 'width_mm', nullable: true }) widthMm: number | null;
  @Column('integer', { name: 'height_mm', nullable: true }) heightMm: number | null;
  @Column('integer', { name: 'stock_on_hand' }) stockOnHand: number;
  @Column('text') status: VariantStatus;
  @Column('integer') position: number;
  /** UN/ECE Recommendation 20 code (PCE, BX, M, KGM, L …). */
  @Column('text') unit: string;
  @Column('integer', { name: 'order_multiple' }) orderMultiple: number;
  @Column('integer', { name: 'min_order_quantity' }) minOrderQuantity: number;
  @Column('integer', { name: 'volume_ml', nullable: true }) volumeMl: number | null;
  @Column('text', { name: 'successor_sku', nullable: true }) successorSku: string | null;
  /** Typed values by attribute code, validated against `attribute` on import. */
  @Column('jsonb') attributes: Record<string, string | number>;
  /** sha1 of the normalized import row: an identical re-import writes nothing. */
  @Column('text', { name: 'content_hash', nullable: true }) contentHash: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
