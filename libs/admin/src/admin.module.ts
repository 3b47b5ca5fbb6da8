import { Module } from '@nestjs/common';
import { AccountsModule } from '@vitrine/accounts';
import { CatalogModule } from '@vitrine/catalog';
import { PricingModule } from '@vitrine/pricing';
import { AdminTokenModule } from './api/admin-token.module';
import { DemoSeedService } from './demo-seed.service';
import { TenantSyncService } from './tenant-sync.service';
import { TenantWriter } from './tenant-writer';
import { TenantsAdminModule } from './tenants-api/tenants-api.module';

/**
 * Provisioning: declarative tenants and the demo world, and admin tokens (for the CLI). The
 * admin GraphQL API is AdminApiModule, kept apart: this module imports modules with storefront
 * resolvers, which must not reach the admin schema.
 */
@Module({
  imports: [CatalogModule, PricingModule, AccountsModule, AdminTokenModule, TenantsAdminModule],
  providers: [TenantSyncService, TenantWriter, DemoSeedService],
  exports: [TenantSyncService, DemoSeedService, AdminTokenModule, TenantsAdminModule],
})
export class AdminModule {}
