import { Module } from '@nestjs/common';
import { CatalogModule } from '@vitrine/catalog';
import { PricingModule } from '@vitrine/pricing';
import { HomeController } from './home.controller';
import { HomePageService } from './home-page.service';

/** Server-rendered microsite pages on top of the catalog and pricing services. */
@Module({
  imports: [CatalogModule, PricingModule],
  controllers: [HomeController],
  providers: [HomePageService],
})
export class StorefrontModule {}
