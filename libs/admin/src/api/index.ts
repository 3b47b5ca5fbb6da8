export * from './admin-token.service';
export * from './admin-token.module';
export * from './admin-host.hook';
export * from './admin-access';
export * from './admin.types';
export * from './admin-api.module';
export * from './reachable-schema';
export * from './admin-account.types';
