import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { TenantSettings, TenantStatus, TenantTheme } from './tenant-snapshot';

/** One microsite. Its business settings (assortment rules, price lists…) live in `settings`. */
@Entity('tenant')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { unique: true }) slug: string;
  @Column('text') name: string;
  @Column('text') status: TenantStatus;
  @Column('text', { array: true }) locales: string[];
  @Column('char', { length: 3 }) currency: string;
  @Column('boolean', { name: 'public_browsing' }) publicBrowsing: boolean;
  @Column('boolean', { name: 'show_list_prices' }) showListPrices: boolean;
  @Column('jsonb') theme: TenantTheme;
  @Column('jsonb') settings: TenantSettings;
  @Column('integer') version: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
