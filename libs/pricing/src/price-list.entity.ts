import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Prices for a set of variants in one currency, referenced by tenants by `code`. */
@Entity('price_list')
export class PriceListEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id: number;
  @Column('text', { unique: true }) code: string;
  @Column('text') name: string;
  @Column('char', { length: 3 }) currency: string;
}

/** The seller's advisory price of a variant in a currency (minor units). */
@Entity('list_price')
export class ListPriceEntity {
  @PrimaryColumn('integer', { name: 'variant_id' }) variantId: number;
  @PrimaryColumn('char', { length: 3 }) currency: string;
  @Column('bigint', { name: 'amount_minor' }) amountMinor: string;
}

/** One quantity tier of a variant in a price list, optionally time-bounded [validFrom, validUntil). */
@Entity('price_list_entry')
export class PriceListEntryEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS', type: 'bigint' }) id: string;
  @Column('integer', { name: 'price_list_id' }) priceListId: number;
  @Column('integer', { name: 'variant_id' }) variantId: number;
  @Column('integer', { name: 'min_quantity' }) minQuantity: number;
  @Column('bigint', { name: 'amount_minor' }) amountMinor: string;
  @Column('timestamptz', { name: 'valid_from', nullable: true }) validFrom: Date | null;
  @Column('timestamptz', { name: 'valid_until', nullable: true }) validUntil: Date | null;
}
