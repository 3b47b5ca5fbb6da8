export * from './tenant-admin.types';
export * from './tenant-admin.service';
export * from './tenant-admin.resolver';
export * from './tenant-spec';
export * from './tenants-api.module';
