export * from './admin-imports.module';
export * from './admin-import.service';
export * from './admin-import.routes';
export * from './admin-import-paths';
