export * from './error-codes';
export * from './vitrine-error';
export * from './format-graphql-error';
export * from './http-status.plugin';
export * from './unavailable';
