export * from './tenant-file';
