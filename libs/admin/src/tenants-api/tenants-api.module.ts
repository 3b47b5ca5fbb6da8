import { Module } from '@nestjs/common';
import { InvitationService, PasswordService } from '@vitrine/accounts';
import { AssortmentService } from '@vitrine/catalog';
import { AuditModule } from '../audit';
import { TenantSyncService } from '../tenant-sync.service';
import { TenantWriter } from '../tenant-writer';
import { TenantAdminService } from './tenant-admin.service';

/**
 * Tenant administration for the admin API and the CLI. It provides the sync's writer and the
 * few services it needs itself instead of importing CatalogModule and AccountsModule: those
 * carry storefront resolvers, and the admin endpoint takes in every module its modules import.
 * (All of them are stateless, so a second instance of each is harmless.)
 */
@Module({
  imports: [AuditModule],
  providers: [
    TenantAdminService,
    TenantSyncService,
    TenantWriter,
    AssortmentService,
    InvitationService,
    PasswordService,
  ],
  exports: [TenantAdminService],
})
export class TenantsAdminModule {}
