import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A node of the seller's category tree. `path` is the slugs from the root, joined by '/'. */
@Entity('category')
export class CategoryEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' }) id: number;
  @Column('text', { unique: true }) slug: string;
  @Column('integer', { name: 'parent_id', nullable: true }) parentId: number | null;
  @Column('text') path: string;
  @Column('jsonb') names: Record<string, string>;
  @Column('integer') position: number;
}
