import { Module } from '@nestjs/common';
import { CatalogModule } from '@vitrine/catalog';
import { OrderingModule } from '@vitrine/ordering';
import { PricingModule } from '@vitrine/pricing';
import { CatalogPagesController } from './catalog/catalog-pages.controller';
import { ListingPageService } from './catalog/listing-page.service';
import { PricedVariants } from './catalog/priced-variants.service';
import { ProductPageService } from './catalog/product-page.service';
import { HomeController } from './home.controller';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';
import { ThemeEnvironments } from './site/theme-environments';
import { CsrfGuard } from './session/csrf.guard';
import { SiteKeys } from './session/site-keys.service';

/** Server-rendered microsite pages on top of the same services as the GraphQL API. */
@Module({
  imports: [CatalogModule, PricingModule, OrderingModule],
  controllers: [HomeController, CatalogPagesController],
  providers: [
    HomePageService,
    ThemeEnvironments,
    PageRenderer,
    SiteKeys,
    CsrfGuard,
    // Catalog pages
    PricedVariants,
    ListingPageService,
    ProductPageService,
  ],
  exports: [PageRenderer, ThemeEnvironments, SiteKeys, CsrfGuard],
})
export class StorefrontModule {}
