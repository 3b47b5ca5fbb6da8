import { minorFromDb } from '@vitrine/pricing';
import type { Role } from '@vitrine/tenancy';

export type UserStatus = 'INVITED' | 'ACTIVE' | 'DEACTIVATED';

/** A user as the accounts services see it. Never carries the password hash out of the service. */
export interface UserRecord {
  id: string;
  tenantId: string;
  companyId: string;
  email: string;
  name: string;
  roles: Role[];
  spendLimitMinor: number | null;
  canSeePrices: boolean;
  status: UserStatus;
}

export interface UserRow {
  id: string;
  tenant_id: string;
  company_id: string;
  email: string;
  name: string;
  roles: Role[];
  spend_limit_minor: string | null;
  can_see_prices: boolean;
  status: UserStatus;
}

export const USER_COLUMNS = `id, tenant_id, company_id, email, name, roles, spend_limit_minor::text, can_see_prices, status`;

export function toUser(r: UserRow): UserRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    companyId: r.company_id,
    email: r.email,
    name: r.name,
    roles: r.roles,
    spendLimitMinor: r.spend_limit_minor == null ? null : minorFromDb(r.spend_limit_minor),
    canSeePrices: r.can_see_prices,
    status: r.status,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
