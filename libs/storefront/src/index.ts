export * from './storefront.module';
export * from './home-page.service';
