import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A product of the seller's master catalog; what is sold are its variants. */
@Entity('product')
export class ProductEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id: number;
  @Column('text', { unique: true }) slug: string;
  @Column('integer', { name: 'category_id', nullable: true }) categoryId: number | null;
  @Column('text', { nullable: true }) manufacturer: string | null;
  @Column('jsonb') names: Record<string, string>;
  @Column('jsonb') descriptions: Record<string, string>;
  /** Links to images and documents: [{ kind, url, title? }]. */
  @Column('jsonb') media: Array<{ kind: string; url: string; title?: string }>;
  /** sha1 of the normalized product fields of its defining import row. */
  @Column('text', { name: 'content_hash', nullable: true }) contentHash: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
