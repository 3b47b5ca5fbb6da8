export * from './storefront.module';
export * from './home-page.service';
export * from './site/page-renderer';
export * from './site/theme-environments';
export * from './site/messages';
export * from './session';
export { registerSiteUploads } from './ordering/uploads';
export * from './site/theme-style';
