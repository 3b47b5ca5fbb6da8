import { Injectable } from '@nestjs/common';
import { TenantDb } from '@vitrine/database';
import type { TenantContext } from '@vitrine/tenancy';
import { toUser, USER_COLUMNS, type UserRecord, type UserRow } from './user.model';

/** Reads of users and companies in the tenant's unit of work: lookups always by (tenant, id). */
@Injectable()
export class UserService {
  constructor(private readonly db: TenantDb) {}

  async findOne(ctx: TenantContext, id: string): Promise<UserRecord | null> {
    const rows = (await this.db.run(ctx, (em) =>
      em.query(`SELECT ${USER_COLUMNS} FROM app_user WHERE tenant_id = $1 AND id = $2::uuid`, [
        ctx.tenantId,
        id,
      ]),
    )) as UserRow[];
    return rows[0] ? toUser(rows[0]) : null;
  }

  async companyName(ctx: TenantContext, companyId: string): Promise<string | null> {
    const rows = (await this.db.run(ctx, (em) =>
      em.query(`SELECT name FROM company WHERE tenant_id = $1 AND id = $2`, [
        ctx.tenantId,
        companyId,
      ]),
    )) as Array<{ name: string }>;
    return rows[0]?.name ?? null;
  }
}
