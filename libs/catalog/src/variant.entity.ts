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
}
