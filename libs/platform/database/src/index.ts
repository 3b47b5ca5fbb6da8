export * from './data-source';
export * from './data-dir-lock';
export * from './database.module';
export * from './tenant-db';
export * from './pglite-pool';
export { prepared } from './prepared';
export { MIGRATIONS } from './migrations';
export * from './runtime-role';
