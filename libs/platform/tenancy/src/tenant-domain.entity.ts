import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A hostname that resolves to exactly one tenant (the primary key makes that a fact). */
@Entity('tenant_domain')
export class TenantDomainEntity {
  @PrimaryColumn('text') domain: string;
  @Column('uuid', { name: 'tenant_id' }) tenantId: string;
  @Column('boolean', { name: 'is_primary' }) isPrimary: boolean;
}
