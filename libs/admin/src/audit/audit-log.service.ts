import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TenantDb } from '@vitrine/database';

/** Whether the change was made, or refused (and nothing applied). */
export type AuditOutcome = 'APPLIED' | 'REFUSED';

/** One line of the audit log: who did what to which tenant's what, and how it ended. */
export interface AuditEntry {
  /** The admin's id (admin accounts) or the token's subject (`vitrine admin token`). */
  actor: string;
  /** What was done, as `<thing>.<verb>`: 'tenant.create', 'quote.offer', 'order.status', … */
  action: string;
  /** The tenant the change concerns; null for the seller's own data (catalog, admins). */
  tenantId: string | null;
  /** What was changed, readable: a slug, a quote or order number, an e-mail. */
  target: string | null;
  /** The state before the change (JSON-serializable); null when it did not exist. */
  before: unknown;
  /** The state after the change (JSON-serializable); null when refused or deleted. */
  after: unknown;
  outcome: AuditOutcome;
  /** Why it was refused (the error's message), or a note on an applied change. */
  reason?: string | null;
}

/** A refused attempt: the outcome is implied. */
export type AuditRefusal = Omit<AuditEntry, 'outcome'> & { outcome?: 'REFUSED' };

/** JSON for a jsonb parameter; `undefined` and `null` both mean "no state". */
function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

const INSERT = `
  INSERT INTO audit_log (actor, action, tenant_id, target, before, after, outcome, reason)
  VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`;

/**
 * The audit log of admin changes: every change an admin makes, and every attempt that was
 * refused. A change is recorded with `record` in the change's own transaction, so the log and
 * the data can never disagree (no row for a change that rolled back, no change without its row).
 * A refused attempt is recorded with `refused`, in a unit of work of its own, after the
 * attempt's transaction has rolled back — call it from outside any unit of work (TenantDb
 * refuses nesting).
 */
@Injectable()
export class AuditLog {
  constructor(private readonly db: TenantDb) {}

  /** Records an entry in the caller's transaction (`em`): it commits or rolls back with it. */
  async record(em: EntityManager, entry: AuditEntry): Promise<void> {
    await em.query(INSERT, params(entry));
  }

  /** Records a refused attempt on its own (the attempt's transaction, if any, rolled back). */
  async refused(entry: AuditRefusal): Promise<void> {
    await this.db.global((em) => em.query(INSERT, params({ ...entry, outcome: 'REFUSED' })));
  }
}

function params(e: AuditEntry): unknown[] {
  if (!e.actor || !e.action) throw new Error('An audit entry needs an actor and an action.');
  return [
    e.actor,
    e.action,
    e.tenantId,
    e.target,
    json(e.before),
    json(e.after),
    e.outcome,
    e.reason ?? null,
  ];
}
