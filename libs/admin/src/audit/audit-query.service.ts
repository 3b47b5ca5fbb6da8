import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { TenantDirectory, type AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy } from '../accounts/admin-policy';
import type { AuditOutcome } from './audit-log.service';

/** One line of the audit log as the admin API shows it. */
export interface AuditRecord {
  id: string;
  at: Date;
  actor: string;
  /** The admin account's e-mail when the actor is an account; null for a token subject. */
  actorEmail: string | null;
  action: string;
  tenantSlug: string | null;
  target: string | null;
  before: unknown;
  after: unknown;
  outcome: AuditOutcome;
  reason: string | null;
}

export interface AuditFilter {
  /** A tenant's slug. */
  tenant?: string | null;
  /** An admin's id or e-mail, or a bootstrap token's subject. */
  actor?: string | null;
  first: number;
  after?: string | null;
}

export interface AuditPage {
  items: Array<{ cursor: string; node: AuditRecord }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Reads the audit log, newest first, paged by id (ids grow with time). A SUPER_ADMIN sees every
 * entry; an ACCOUNT_MANAGER the entries of the tenants assigned to them (not the seller's own,
 * without a tenant); a tenant outside their scope is FORBIDDEN rather than an empty page.
 */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly db: TenantDb,
    private readonly tenants: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(admin: AdminIdentity, filter: AuditFilter): Promise<AuditPage> {
    const scope = AdminPolicy.requireUse(admin, 'AUDIT');
    const max = this.config.graphql.maxFirst;
    if (!Number.isInteger(filter.first) || filter.first < 1 || filter.first > max)
      throw VitrineError.badInput(`"first" must be between 1 and ${max}; got ${filter.first}.`);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.tenant) {
      const tenant = await this.tenants.findBySlug(filter.tenant.trim().toLowerCase());
      if (!tenant) throw VitrineError.notFound(`There is no tenant "${filter.tenant}".`);
      AdminPolicy.require(admin, 'AUDIT', tenant.id, tenant.slug);
      params.push(tenant.id);
      where.push(`l.tenant_id = $${params.length}`);
    }
    if (!scope.all) {
      params.push([...scope.tenantIds]);
      where.push(`l.tenant_id = ANY($${params.length}::uuid[])`);
    }
    if (filter.actor) {
      params.push(filter.actor.trim());
      where.push(
        `(l.actor = $${params.length} OR l.actor = (SELECT id::text FROM admin_user WHERE email = lower($${params.length})))`,
      );
    }
    if (filter.after) {
      params.push(decodeCursor(filter.after));
      where.push(`l.id < $${params.length}::bigint`);
    }
    params.push(filter.first + 1);
    const rows = await this.db.query<{
      id: string;
      at: Date;
      actor: string;
      actor_email: string | null;
      action: string;
      tenant_slug: string | null;
      target: string | null;
      before: unknown;
      after: unknown;
      outcome: AuditOutcome;
      reason: string | null;
    }>(
      `SELECT l.id::text AS id, l.at, l.actor, u.email AS actor_email, l.action, t.slug AS tenant_slug,
              l.target, l.before, l.after, l.outcome, l.reason
         FROM audit_log l
         LEFT JOIN admin_user u ON u.id::text = l.actor
         LEFT JOIN tenant t ON t.id = l.tenant_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY l.id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, filter.first).map((r) => ({
      cursor: Buffer.from(r.id, 'utf8').toString('base64url'),
      node: {
        id: r.id,
        at: r.at,
        actor: r.actor,
        actorEmail: r.actor_email,
        action: r.action,
        tenantSlug: r.tenant_slug,
        target: r.target,
        before: r.before,
        after: r.after,
        outcome: r.outcome,
        reason: r.reason,
      },
    }));
    return {
      items,
      hasNextPage: rows.length > filter.first,
      endCursor: items.length ? items[items.length - 1].cursor : null,
    };
  }
}

function decodeCursor(cursor: string): string {
  const id = cursor.length <= 40 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!/^[1-9]\d{0,18}$/.test(id))
    throw VitrineError.badInput(
      'The cursor "after" is not valid: pass an endCursor or cursor from a previous page.',
    );
  return id;
}
