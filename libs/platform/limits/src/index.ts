export * from './graphql-limits';
export * from './http-limits';
