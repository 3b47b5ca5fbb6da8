import { Module } from '@nestjs/common';
import { AccountsModule } from '@vitrine/accounts';
import { CatalogModule } from '@vitrine/catalog';
import { OrderingModule } from '@vitrine/ordering';
import { PricingModule } from '@vitrine/pricing';
import { CatalogPagesController } from './catalog/catalog-pages.controller';
import { ListingPageService } from './catalog/listing-page.service';
import { PricedVariants } from './catalog/priced-variants.service';
import { ProductPageService } from './catalog/product-page.service';
import { HomeController } from './home.controller';
import { CartPageService } from './ordering/cart-page.service';
import { CartController } from './ordering/cart.controller';
import { CheckoutPageService } from './ordering/checkout-page.service';
import { CheckoutController } from './ordering/checkout.controller';
import { OrderPagesService } from './ordering/order-pages.service';
import { OrdersController } from './ordering/orders.controller';
import { QuickOrderPageService } from './ordering/quick-order-page.service';
import { QuickOrderController } from './ordering/quick-order.controller';
import { QuotePagesService } from './ordering/quote-pages.service';
import { QuotesController } from './ordering/quotes.controller';
import { HomePageService } from './home-page.service';
import { PageRenderer } from './site/page-renderer';
import { ThemeEnvironments } from './site/theme-environments';
import { CsrfGuard } from './session/csrf.guard';
import { SiteKeys } from './session/site-keys.service';
import { RequireUserGuard } from './session/require-user';
import { WebSessionService } from './session/web-session.service';
import { CompanyUsersController } from './account/company-users.controller';
import { CompanyUsersPage } from './account/company-users-page.service';
import { PasswordController } from './account/password.controller';
import { SignInController } from './account/sign-in.controller';
import { SiteSignIn } from './account/site-sign-in.service';

/** Server-rendered microsite pages on top of the same services as the GraphQL API. */
@Module({
  imports: [CatalogModule, PricingModule, OrderingModule, AccountsModule],
  controllers: [
    HomeController,
    CatalogPagesController,
    CartController,
    QuickOrderController,
    CheckoutController,
    OrdersController,
    QuotesController,
    // Account pages
    SignInController,
    PasswordController,
    CompanyUsersController,
  ],
  providers: [
    HomePageService,
    ThemeEnvironments,
    PageRenderer,
    SiteKeys,
    CsrfGuard,
    // Sessions and account pages
    WebSessionService,
    RequireUserGuard,
    SiteSignIn,
    CompanyUsersPage,
    // Catalog pages
    PricedVariants,
    ListingPageService,
    ProductPageService,
    // Buying pages
    CartPageService,
    QuickOrderPageService,
    CheckoutPageService,
    OrderPagesService,
    QuotePagesService,
  ],
  exports: [
    PageRenderer,
    ThemeEnvironments,
    SiteKeys,
    CsrfGuard,
    WebSessionService,
    RequireUserGuard,
  ],
})
export class StorefrontModule {}
