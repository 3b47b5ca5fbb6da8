export * from './page-info.type';
export * from './decimal.scalar';
export * from './response-cache';
export * from './selection';
