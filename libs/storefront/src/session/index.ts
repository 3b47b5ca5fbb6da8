export * from './csrf.guard';
export * from './require-user';
export * from './site-authentication';
export * from './site-cookies';
export * from './site-keys.service';
export * from './site-paths';
export * from './site.hook';
export * from './web-session.service';
