import { Module } from '@nestjs/common';
import { CatalogModule } from '@vitrine/catalog';
import { PricingModule } from '@vitrine/pricing';
import { HomeController } from './home.controller';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';
import { ThemeEnvironments } from './site/theme-environments';

/** Server-rendered microsite pages on top of the same services as the GraphQL API. */
@Module({
  imports: [CatalogModule, PricingModule],
  controllers: [HomeController],
  providers: [HomePageService, ThemeEnvironments, PageRenderer],
  exports: [PageRenderer, ThemeEnvironments],
})
export class StorefrontModule {}
