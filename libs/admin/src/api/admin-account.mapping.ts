import type { AdminAccount } from '../accounts/admin-account.service';
import type { AuditRecord } from '../audit/audit-query.service';
import type {
  AdminAccountType,
  AdminRoleEnum,
  AdminStatusEnum,
  AuditEntryType,
  AuditOutcomeEnum,
} from './admin-account.types';

export function toAdminAccount(a: AdminAccount): AdminAccountType {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    roles: a.roles as AdminRoleEnum[],
    status: a.status as AdminStatusEnum,
    tenants: a.tenants,
    createdAt: a.createdAt,
  };
}

const jsonText = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

export function toAuditEntry(r: AuditRecord): AuditEntryType {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorEmail: r.actorEmail,
    action: r.action,
    tenantSlug: r.tenantSlug,
    target: r.target,
    before: jsonText(r.before),
    after: jsonText(r.after),
    outcome: r.outcome as AuditOutcomeEnum,
    reason: r.reason,
  };
}
