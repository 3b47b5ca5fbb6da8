import { Module } from '@nestjs/common';
import { AccountsModule } from '@vitrine/accounts';
import { CatalogModule } from '@vitrine/catalog';
import { PricingModule } from '@vitrine/pricing';
import { DemoSeedService } from './demo-seed.service';
import { TenantSyncService } from './tenant-sync.service';

/** Provisioning: declarative tenants and the demo world. The admin GraphQL API joins it later. */
@Module({
  imports: [CatalogModule, PricingModule, AccountsModule],
  providers: [TenantSyncService, DemoSeedService],
  exports: [TenantSyncService, DemoSeedService],
})
export class AdminModule {}
