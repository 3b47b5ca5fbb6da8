export * from './tenant-file';
export * from './tenant-sync.service';
export * from './demo-seed.service';
export * from './admin.module';
export * from './api';
export * from './bench-buyers';
export * from './audit';
export * from './kpis';
