import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { checkRoles, deactivateUser, InvitationService, normalizeEmail } from '@vitrine/accounts';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { returnedRows, TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { COMPANY_ID_SQL } from '@vitrine/pricing';
import {
  TenantDirectory,
  type AdminIdentity,
  type Role,
  type TenantSnapshot,
} from '@vitrine/tenancy';
import { AdminGate } from '../accounts/admin-gate.service';
import { auditActor } from '../accounts/admin-policy';
import { AuditLog } from '../audit';
import type {
  AdminCompanyType,
  AdminCompanyUserType,
  CreateCompanyInput,
  InviteCompanyUserInput,
  UpdateCompanyInput,
} from './company-admin-api.types';
import {
  amount,
  bad,
  COMPANY_COLUMNS,
  CODE,
  EMAIL,
  stateOf,
  stateParams,
  toCompany,
  toUser,
  USER_SELECT,
  validCompany,
  type CompanyRow,
  type UserRow,
} from './company-rules';

const AREA = 'COMPANIES';

/**
 * A tenant's companies and their users for the seller's admins: create and change companies
 * (the rules of tenant.yaml's `company`: id md5(tenant/code), country from the VAT id, a VAT
 * that can be decided), invite users (the invitation mail is queued in the same transaction)
 * and deactivate them (sessions and refresh tokens end with it). Every change is in the audit
 * log with before and after, in its transaction; every refusal is logged as REFUSED. A company
 * change bumps the tenant directory's version, so every instance prices with the new data.
 */
@Injectable()
export class CompanyAdminApiService {
  constructor(
    private readonly db: TenantDb,
    private readonly gate: AdminGate,
    private readonly audit: AuditLog,
    private readonly invitations: InvitationService,
    private readonly directory: TenantDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(admin: AdminIdentity, slug: string): Promise<AdminCompanyType[]> {
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.list');
    const rows = await this.db.run({ tenantId: tenant.id }, (em) =>
      em.query(`SELECT ${COMPANY_COLUMNS} FROM company WHERE tenant_id = $1 ORDER BY code`, [
        tenant.id,
      ]),
    );
    return (rows as CompanyRow[]).map((r) => toCompany(tenant, r));
  }

  /** A new company; CONFLICT when the code is taken in this tenant. */
  async create(
    admin: AdminIdentity,
    slug: string,
    input: CreateCompanyInput,
  ): Promise<AdminCompanyType> {
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.create', input.code);
    return this.change(admin, tenant, 'company.create', input.code, null, async () => {
      const code = String(input.code ?? '').trim();
      if (!CODE.test(code))
        throw bad(
          'code',
          `"${input.code}" is not a company code (letters, digits, . _ / -; at most 64).`,
        );
      const state = validCompany(
        {
          name: input.name,
          vatId: input.vatId ?? null,
          country: input.country ?? null,
          paymentTerms: input.paymentTerms ?? null,
          creditLimitMinor: amount('creditLimit', input.creditLimit, tenant.currency),
          poNumberRequired: input.poNumberRequired ?? false,
        },
        true,
        this.config.seller.country,
      );
      const row = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const [created] = (await em.query(
          `INSERT INTO company (id, tenant_id, code, name, vat_id, country, payment_terms, credit_limit_minor, po_number_required)
           VALUES (${COMPANY_ID_SQL}, $1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT DO NOTHING RETURNING ${COMPANY_COLUMNS}`,
          [tenant.id, code, ...stateParams(state)],
        )) as CompanyRow[];
        if (!created)
          throw new VitrineError(
            'CONFLICT',
            `Tenant "${tenant.slug}" already has a company "${code}".`,
            {
              field: 'code',
            },
          );
        await this.record(em, admin, tenant, 'company.create', code, null, state);
        return created;
      });
      await this.directory.invalidate([tenant.id]);
      return toCompany(tenant, row);
    });
  }

  async update(
    admin: AdminIdentity,
    slug: string,
    code: string,
    input: UpdateCompanyInput,
  ): Promise<AdminCompanyType> {
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.update', code);
    return this.change(admin, tenant, 'company.update', code, null, async () => {
      const row = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const current = await this.company(em, tenant, code, true);
        const before = stateOf(current);
        const vatChanged = input.vatId !== undefined;
        const state = validCompany(
          {
            name: input.name ?? before.name,
            vatId: vatChanged ? (input.vatId ?? null) : before.vatId,
            // The VAT id's country follows a new VAT id unless a country is given.
            country: input.country ?? (vatChanged ? null : before.country),
            paymentTerms:
              input.paymentTerms !== undefined ? input.paymentTerms : before.paymentTerms,
            creditLimitMinor:
              input.creditLimit !== undefined
                ? amount('creditLimit', input.creditLimit, tenant.currency)
                : before.creditLimitMinor,
            poNumberRequired: input.poNumberRequired ?? before.poNumberRequired,
          },
          vatChanged || input.country !== undefined,
          this.config.seller.country,
        );
        const [updated] = returnedRows<CompanyRow>(
          await em.query(
            `UPDATE company SET name = $3, vat_id = $4, country = $5, payment_terms = $6,
             credit_limit_minor = $7, po_number_required = $8, updated_at = now()
           WHERE tenant_id = $1 AND id = $2 RETURNING ${COMPANY_COLUMNS}`,
            [tenant.id, current.id, ...stateParams(state)],
          ),
        );
        await this.record(em, admin, tenant, 'company.update', current.code, before, state);
        return updated;
      });
      await this.directory.invalidate([tenant.id]);
      return toCompany(tenant, row);
    });
  }

  async users(admin: AdminIdentity, slug: string, code: string): Promise<AdminCompanyUserType[]> {
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.users', code);
    const rows = await this.db.run({ tenantId: tenant.id }, async (em) => {
      const company = await this.company(em, tenant, code, false);
      return (await em.query(
        `${USER_SELECT} WHERE u.tenant_id = $1 AND u.company_id = $2 ORDER BY u.email`,
        [tenant.id, company.id],
      )) as UserRow[];
    });
    return rows.map((r) => toUser(tenant, r));
  }

  /** Invites a new user of a company; CONFLICT when the e-mail has an account on the site. */
  async invite(
    admin: AdminIdentity,
    slug: string,
    code: string,
    input: InviteCompanyUserInput,
  ): Promise<AdminCompanyUserType> {
    const email = normalizeEmail(String(input.email ?? ''));
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.user.invite', email);
    return this.change(admin, tenant, 'company.user.invite', email, null, async () => {
      if (!EMAIL.test(email)) throw bad('email', `"${input.email}" is not an e-mail address.`);
      const name = String(input.name ?? '').trim();
      if (!name || name.length > 200)
        throw bad('name', 'A user needs a name (at most 200 characters).');
      checkRoles(input.roles);
      const spendLimitMinor = amount('spendLimit', input.spendLimit, tenant.currency);
      const user = { email, name, roles: input.roles as Role[], spendLimitMinor };
      const row = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const company = await this.company(em, tenant, code, false);
        // provision() updates a user who already exists; that is not an invitation: refuse,
        // and the rollback undoes the update.
        const invited = await this.invitations.provision(em, tenant, company.id, [user], null);
        if (invited.length === 0)
          throw new VitrineError('CONFLICT', `${email} already has an account on this site.`, {
            field: 'email',
          });
        const after = { ...user, company: company.code };
        await this.record(em, admin, tenant, 'company.user.invite', email, null, after);
        return this.user(em, tenant, email);
      });
      return toUser(tenant, row);
    });
  }

  /** Deactivates a user; deactivating a deactivated user again changes nothing. */
  async deactivate(
    admin: AdminIdentity,
    slug: string,
    email: string,
  ): Promise<AdminCompanyUserType> {
    const address = normalizeEmail(email);
    const tenant = await this.gate.tenant(admin, AREA, slug, 'company.user.deactivate', address);
    return this.change(admin, tenant, 'company.user.deactivate', address, null, async () => {
      const row = await this.db.run({ tenantId: tenant.id }, async (em) => {
        const before = await this.user(em, tenant, address, true);
        if (before.status === 'DEACTIVATED') return before;
        await deactivateUser(em, tenant.id, before.id);
        await this.record(
          em,
          admin,
          tenant,
          'company.user.deactivate',
          address,
          { status: before.status },
          {
            status: 'DEACTIVATED',
          },
        );
        return { ...before, status: 'DEACTIVATED' };
      });
      return toUser(tenant, row);
    });
  }

  // -------------------------------------------------------------------------------------------

  private async company(
    em: EntityManager,
    tenant: TenantSnapshot,
    code: string,
    lock: boolean,
  ): Promise<CompanyRow> {
    const [row] = (await em.query(
      `SELECT ${COMPANY_COLUMNS} FROM company WHERE tenant_id = $1 AND code = $2${lock ? ' FOR UPDATE' : ''}`,
      [tenant.id, code],
    )) as CompanyRow[];
    if (!row) throw VitrineError.notFound(`Tenant "${tenant.slug}" has no company "${code}".`);
    return row;
  }

  private async user(
    em: EntityManager,
    tenant: TenantSnapshot,
    email: string,
    lock = false,
  ): Promise<UserRow> {
    const [row] = (await em.query(
      `${USER_SELECT} WHERE u.tenant_id = $1 AND u.email = $2${lock ? ' FOR UPDATE OF u' : ''}`,
      [tenant.id, email],
    )) as UserRow[];
    if (!row) throw VitrineError.notFound(`Tenant "${tenant.slug}" has no user ${email}.`);
    return row;
  }

  private record(
    em: EntityManager,
    admin: AdminIdentity,
    tenant: TenantSnapshot,
    action: string,
    target: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.audit.record(em, {
      actor: auditActor(admin),
      action,
      tenantId: tenant.id,
      target,
      before,
      after,
      outcome: 'APPLIED',
    });
  }

  /** Runs a change; a refusal (nothing applied) is written to the audit log and rethrown. */
  private async change<T>(
    admin: AdminIdentity,
    tenant: TenantSnapshot,
    action: string,
    target: string | null,
    before: unknown,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof VitrineError)
        await this.audit.refused({
          actor: auditActor(admin),
          action,
          tenantId: tenant.id,
          target: target || null,
          before,
          after: null,
          reason: `${err.code}: ${err.message}`,
        });
      throw err;
    }
  }
}
