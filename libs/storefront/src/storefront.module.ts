import { Module } from '@nestjs/common';
import { CatalogModule } from '@vitrine/catalog';
import { PricingModule } from '@vitrine/pricing';
import { HomeController } from './home.controller';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';
import { ThemeEnvironments } from './site/theme-environments';
import { CsrfGuard } from './session/csrf.guard';
import { SiteKeys } from './session/site-keys.service';

/** Server-rendered microsite pages on top of the same services as the GraphQL API. */
@Module({
  imports: [CatalogModule, PricingModule],
  controllers: [HomeController],
  providers: [HomePageService, ThemeEnvironments, PageRenderer, SiteKeys, CsrfGuard],
  exports: [PageRenderer, ThemeEnvironments, SiteKeys, CsrfGuard],
})
export class StorefrontModule {}
