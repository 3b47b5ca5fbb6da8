import { Injectable } from '@nestjs/common';
import { CompanyAdminService, type UserChanges, type UserRecord } from '@vitrine/accounts';
import { VitrineError } from '@vitrine/errors';
import { formatDecimal, formatMoney, parseDecimal } from '@vitrine/pricing';
import { ROLES, type Role, type TenantContext } from '@vitrine/tenancy';
import { label } from '../site/messages';

/** What the company-user forms submit, already picked out of the body. */
export interface UserForm {
  email: string;
  name: string;
  roles: string[];
  /** As typed: "1500", "1500.00", "1500,00" or empty (no limit). */
  spendLimit: string;
  canSeePrices: boolean;
}

/**
 * The company admin's user page: the company's users with their roles, spend limit and price
 * visibility, and the forms to invite, change and deactivate. Every rule (own company only,
 * not yourself, valid roles, sessions ended on change) is CompanyAdminService's, as in the API.
 */
@Injectable()
export class CompanyUsersPage {
  constructor(private readonly admin: CompanyAdminService) {}

  async view(ctx: TenantContext, invite: Partial<UserForm> = {}) {
    const users = await this.admin.users(ctx);
    return {
      company: ctx.user?.company?.name ?? '',
      currency: ctx.currency,
      users: users.map((u) => this.row(ctx, u)),
      invite: {
        email: invite.email ?? '',
        name: invite.name ?? '',
        spendLimit: invite.spendLimit ?? '',
        canSeePrices: invite.canSeePrices ?? true,
        roles: roleChoices(ctx, invite.roles ?? ['BUYER']),
      },
    };
  }

  invite(ctx: TenantContext, form: UserForm): Promise<UserRecord> {
    return this.admin.invite(ctx, {
      email: form.email,
      name: form.name.trim(),
      roles: roles(form.roles),
      spendLimitMinor: spendLimit(ctx, form.spendLimit),
      canSeePrices: form.canSeePrices,
    });
  }

  update(ctx: TenantContext, form: UserForm): Promise<UserRecord> {
    const changes: UserChanges = {
      roles: roles(form.roles),
      spendLimitMinor: spendLimit(ctx, form.spendLimit),
      canSeePrices: form.canSeePrices,
    };
    return this.admin.update(ctx, form.email, changes);
  }

  deactivate(ctx: TenantContext, email: string): Promise<UserRecord> {
    return this.admin.deactivate(ctx, email);
  }

  private row(ctx: TenantContext, u: UserRecord) {
    const self = u.id === ctx.user?.id;
    return {
      email: u.email,
      name: u.name,
      self,
      // Own account and deactivated ones are shown, not edited (the service refuses both).
      editable: !self && u.status !== 'DEACTIVATED',
      status: label(ctx.locale, `status.${u.status}`),
      roles: roleChoices(ctx, u.roles),
      roleNames: u.roles.map((r) => label(ctx.locale, `role.${r}`)).join(', '),
      spendLimit: u.spendLimitMinor == null ? '' : formatDecimal(u.spendLimitMinor, ctx.currency),
      spendLimitShown:
        u.spendLimitMinor == null
          ? label(ctx.locale, 'users.noLimit')
          : formatMoney(u.spendLimitMinor, ctx.currency, ctx.locale),
      canSeePrices: u.canSeePrices,
      key: u.id,
    };
  }
}

function roleChoices(ctx: TenantContext, chosen: readonly string[]) {
  return ROLES.map((r) => ({
    value: r,
    name: label(ctx.locale, `role.${r}`),
    checked: chosen.includes(r),
  }));
}

function roles(values: string[]): Role[] {
  // Unknown values are refused by the service's own check; keep them so it reports them.
  return [...new Set(values)] as Role[];
}

/** The typed limit in minor units; empty is "no limit". Accepts a decimal comma. */
function spendLimit(ctx: TenantContext, typed: string): number | null {
  const text = typed.trim().replace(/\s/g, '');
  if (!text) return null;
  const normalized = /^\d+,\d+$/.test(text) ? text.replace(',', '.') : text;
  let minor: number;
  try {
    minor = parseDecimal(normalized, ctx.currency);
  } catch {
    throw VitrineError.badInput(label(ctx.locale, 'users.badAmount'), { argument: 'spendLimit' });
  }
  if (minor < 0)
    throw VitrineError.badInput(label(ctx.locale, 'users.badAmount'), { argument: 'spendLimit' });
  return minor;
}
