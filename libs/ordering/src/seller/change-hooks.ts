import type { EntityManager } from 'typeorm';

/**
 * What the caller of a seller change (the admin API) adds to it without the ordering lib
 * knowing about admins or audit logs: a say in whether the change may touch its tenant, and a
 * record of it in the change's own transaction.
 */
export interface SellerChangeHooks<T> {
  /**
   * Called once the tenant the change concerns is known, before anything is read or written
   * in it: throw to refuse the change (nothing is applied).
   */
  authorize?(tenantId: string): void | Promise<void>;
  /**
   * Called in the change's unit of work after it is applied, with the state before and after;
   * `em` is that unit of work's manager, so what it writes commits or rolls back with the change.
   */
  applied?(em: EntityManager, change: { tenantId: string; before: T; after: T }): Promise<void>;
}
