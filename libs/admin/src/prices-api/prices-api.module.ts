import { Module } from '@nestjs/common';
import { PriceChangeService, PriceImporter } from '@vitrine/pricing';
import { AdminTokenModule } from '../api/admin-token.module';
import { ContractPriceAdminService } from './contract-price-admin.service';
import { PriceListAdminService } from './price-list-admin.service';

/**
 * Price lists and contract prices for the admin API. Like CompaniesAdminModule it provides the
 * pricing services it needs (the import's writer, the price change announcer) instead of
 * importing PricingModule, which carries storefront resolvers. Both are stateless.
 */
@Module({
  imports: [AdminTokenModule],
  providers: [PriceListAdminService, ContractPriceAdminService, PriceImporter, PriceChangeService],
  exports: [PriceListAdminService, ContractPriceAdminService],
})
export class PricesAdminModule {}
