import { Injectable } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import { TenantDirectory, type AdminIdentity, type TenantSnapshot } from '@vitrine/tenancy';
import { AuditLog } from '../audit/audit-log.service';
import { AdminPolicy, auditActor, type AdminArea } from './admin-policy';

/**
 * The admin policy at the door of the admin operations that name a tenant or list across
 * tenants: a tenant outside the admin's scope is FORBIDDEN, and that refused attempt is in the
 * audit log; a listing is narrowed to the tenants the admin may see.
 */
@Injectable()
export class AdminGate {
  constructor(
    private readonly tenants: TenantDirectory,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The tenant of `slug` if `admin` may act on it in `area`; NOT_FOUND for an unknown slug,
   * FORBIDDEN (logged as `action`, REFUSED, with `target`) for one outside their scope.
   */
  async tenant(
    admin: AdminIdentity,
    area: AdminArea,
    slug: string,
    action: string,
    target: string | null = null,
  ): Promise<TenantSnapshot> {
    const tenant = await this.tenants.findBySlug(slug.trim().toLowerCase());
    if (!tenant) throw VitrineError.notFound(`There is no tenant "${slug}".`);
    try {
      AdminPolicy.require(admin, area, tenant.id, tenant.slug);
    } catch (err) {
      await this.audit.refused({
        actor: auditActor(admin),
        action,
        tenantId: tenant.id,
        target: target ?? tenant.slug,
        before: null,
        after: null,
        reason: err instanceof VitrineError ? `${err.code}: ${err.message}` : String(err),
      });
      throw err;
    }
    return tenant;
  }

  /**
   * The tenant ids a listing in `area` is narrowed to — null when the admin sees every tenant.
   * FORBIDDEN (not logged: nothing was attempted on anyone's data) without the area at all.
   */
  listScope(admin: AdminIdentity, area: AdminArea): readonly string[] | null {
    const scope = AdminPolicy.requireUse(admin, area);
    return scope.all ? null : scope.tenantIds;
  }
}
