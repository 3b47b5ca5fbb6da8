// The package exports its contrib extensions through an "exports" pattern that TypeScript's
// "node" module resolution does not read; the runtime (require) resolves them fine.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
