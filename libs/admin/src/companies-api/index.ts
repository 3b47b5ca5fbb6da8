export * from './company-admin-api.types';
export * from './company-admin-api.service';
export * from './company-admin-api.resolver';
export * from './companies-api.module';
export * from './company-user-admin-api.service';
