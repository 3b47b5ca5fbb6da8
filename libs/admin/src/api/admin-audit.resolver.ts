import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AuditQueryService } from '../audit/audit-query.service';
import { AdminOnly, CurrentAdmin } from './admin-access';
import { toAuditEntry } from './admin-account.mapping';
import { AuditEntryConnectionType } from './admin-account.types';
import { toConnection } from './admin.mapping';

/** The audit log: every admin change and refused attempt. */
@Resolver()
export class AdminAuditResolver {
  constructor(private readonly audit: AuditQueryService) {}

  @AdminOnly()
  @Query(() => AuditEntryConnectionType, {
    description:
      "Admin changes and refused attempts, newest first; by tenant slug and/or actor (admin id or e-mail, or a token's subject). A super admin sees all, an account manager their tenants'.",
  })
  async auditLog(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant', { type: () => String, nullable: true }) tenant: string | null,
    @Args('actor', { type: () => String, nullable: true }) actor: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AuditEntryConnectionType> {
    const page = await this.audit.list(admin, { tenant, actor, first: first ?? 50, after });
    return toConnection(page, toAuditEntry);
  }
}
