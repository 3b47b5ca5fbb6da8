export * from './test-database';
export * from './http-client';
export * from './rls-probe';
export * from './test-context';
