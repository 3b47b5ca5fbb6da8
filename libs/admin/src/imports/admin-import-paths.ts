/** Where imports are uploaded and their reject files downloaded (on the admin host only). */
export const ADMIN_IMPORTS_PATH = '/admin/imports';

/**
 * Whether `path` (no query) is under /admin/imports. The admin host hook treats these like the
 * admin endpoint: admin host only (404 elsewhere, before any tenant), admin token required.
 */
export function isAdminImportPath(path: string): boolean {
  return path === ADMIN_IMPORTS_PATH || path.startsWith(`${ADMIN_IMPORTS_PATH}/`);
}
