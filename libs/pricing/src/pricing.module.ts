import { Module } from '@nestjs/common';
import { PriceService } from './price.service';
import { PricingSeeder } from './seed/pricing-seeder';
import { VariantPriceResolver } from './variant-price.resolver';

@Module({
  providers: [PriceService, PricingSeeder, VariantPriceResolver],
  exports: [PriceService, PricingSeeder],
})
export class PricingModule {}
