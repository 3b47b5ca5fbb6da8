import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { VitrineError } from '@vitrine/errors';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy, auditActor, type AdminArea } from '../accounts/admin-policy';
import { AuditLog } from './audit-log.service';

/** The hooks a seller change takes (structurally @vitrine/ordering's SellerChangeHooks). */
export interface ChangeHooks<T> {
  /** `null`: the seller's own data (price lists, catalog), no tenant. */
  authorize(tenantId: string | null): void;
  applied(
    em: EntityManager,
    change: { tenantId: string | null; before: T; after: T },
  ): Promise<void>;
}

export interface AuditedChangeSpec<T> {
  admin: AdminIdentity;
  /** Which policy area the change belongs to: its tenant must be in the admin's scope. */
  area: AdminArea;
  action: string;
  target: string;
  /** What of the before/after state goes to the log (small and JSON-friendly). */
  summarize: (state: T) => unknown;
}

/**
 * Runs one admin change of a tenant's data under the admin policy and the audit log: the
 * change's tenant is checked against the admin's scope before anything is read (FORBIDDEN
 * otherwise), the applied change is logged with before/after in its own transaction, and a
 * refused one — by the policy or by the change itself (bad input, conflict, not found) — is
 * logged as REFUSED with the reason after its transaction rolled back.
 */
@Injectable()
export class AuditedChanges {
  constructor(private readonly log: AuditLog) {}

  async run<T>(
    spec: AuditedChangeSpec<T>,
    change: (hooks: ChangeHooks<T>) => Promise<T>,
  ): Promise<T> {
    const actor = auditActor(spec.admin);
    let tenantId: string | null = null;
    const hooks: ChangeHooks<T> = {
      authorize: (id) => {
        tenantId = id;
        AdminPolicy.require(spec.admin, spec.area, id);
      },
      applied: (em, c) =>
        this.log.record(em, {
          actor,
          action: spec.action,
          tenantId: c.tenantId,
          target: spec.target,
          before: spec.summarize(c.before),
          after: spec.summarize(c.after),
          outcome: 'APPLIED',
        }),
    };
    try {
      return await change(hooks);
    } catch (err) {
      // Expected refusals only; an internal failure is not an admin's attempt to log.
      if (err instanceof VitrineError)
        await this.log.refused({
          actor,
          action: spec.action,
          tenantId,
          target: spec.target,
          before: null,
          after: null,
          reason: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }
}
