export * from './admin-page-paths';
export * from './admin-page-session.service';
export * from './admin-pages.module';
export * from './local-dates';
