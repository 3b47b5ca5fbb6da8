export * from './page-info.type';
export * from './decimal.scalar';
