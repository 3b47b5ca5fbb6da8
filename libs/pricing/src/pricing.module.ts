import { Module } from '@nestjs/common';
import { PriceImporter } from './import/price-importer';
import { PriceChangeService } from './price-change.service';
import { LinePricingService } from './line-pricing.service';
import { PriceService } from './price.service';
import { PricingSeeder } from './seed/pricing-seeder';
import { VariantPriceResolver } from './variant-price.resolver';

@Module({
  providers: [
    PriceService,
    LinePricingService,
    PriceChangeService,
    PricingSeeder,
    VariantPriceResolver,
    PriceImporter,
  ],
  exports: [PriceService, LinePricingService, PriceChangeService, PricingSeeder, PriceImporter],
})
export class PricingModule {}
