export * from './csrf.guard';
export * from './site-cookies';
export * from './site-keys.service';
export * from './site-paths';
export * from './site.hook';
