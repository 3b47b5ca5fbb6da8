import { VitrineError } from '@vitrine/errors';
import {
  countryOfVatId,
  formatDecimal,
  isValidVatId,
  minorFromDb,
  normalizeVatId,
  parseDecimal,
  taxFor,
} from '@vitrine/pricing';
import type { TenantSnapshot } from '@vitrine/tenancy';
import type { AdminCompanyType, AdminCompanyUserType } from './company-admin-api.types';

/* Rows, rules and mappings of companies and users for the admin API (pure, no I/O). */

export const CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface CompanyRow {
  id: string;
  code: string;
  name: string;
  vat_id: string | null;
  country: string;
  payment_terms: { method: string; netDays: number } | null;
  credit_limit_minor: string | null;
  credit_used_minor: string;
  po_number_required: boolean;
  status: string;
}

/** A company's stored, settable fields (what the audit log's before/after show). */
export interface CompanyState {
  name: string;
  vatId: string | null;
  country: string;
  paymentTerms: { method: string; netDays: number } | null;
  creditLimitMinor: number | null;
  poNumberRequired: boolean;
}

export const COMPANY_COLUMNS = `id, code, name, vat_id, country, payment_terms, credit_limit_minor::text,
  credit_used_minor::text, po_number_required, status`;
export const USER_SELECT = `SELECT u.id, u.email, u.name, u.roles, u.spend_limit_minor::text, u.can_see_prices, u.status, c.code AS company_code
  FROM app_user u JOIN company c ON c.tenant_id = u.tenant_id AND c.id = u.company_id`;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: string[];
  spend_limit_minor: string | null;
  can_see_prices: boolean;
  status: string;
  company_code: string;
}

/**
 * A company's fields checked by the rules of tenant.yaml's company (see TenantSyncService):
 * BAD_USER_INPUT naming the field otherwise. A stored VAT id is taken as it is unless
 * `checkVatId` (tenant.yaml does not check digits); a new one must be valid.
 */
export function validCompany(
  s: Omit<CompanyState, 'country' | 'paymentTerms'> & {
    country: string | null;
    paymentTerms: { method: string; netDays?: number | null } | null;
  },
  checkVatId: boolean,
  sellerCountry: string,
): CompanyState {
  const name = String(s.name ?? '').trim();
  if (!name || name.length > 200)
    throw bad('name', 'A company needs a name (at most 200 characters).');
  let vatId: string | null = null;
  if (s.vatId !== null && s.vatId.trim() !== '') {
    vatId = normalizeVatId(s.vatId);
    // A stored id is taken as it is (tenant.yaml does not check digits); a new one must be valid.
    if (checkVatId && !isValidVatId(vatId))
      throw bad(
        'vatId',
        `"${s.vatId}" is not a valid EU VAT id (country prefix and check digits).`,
      );
  }
  const country = (s.country ?? (vatId ? countryOfVatId(vatId) : sellerCountry))
    .trim()
    .toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw bad('country', `"${s.country}" is not a country code (e.g. NL, BE, DE).`);
  if (checkVatId && vatId && !isValidVatId(vatId, country))
    throw bad('vatId', `VAT id ${vatId} is not an id of ${country}, the company's country.`);
  try {
    // Every price shown to the company carries its VAT: refuse a country whose VAT cannot be decided.
    taxFor({
      sellerCountry: sellerCountry,
      shipToCountry: country,
      category: 'standard',
      buyerVatId: vatId,
      at: new Date(),
    });
  } catch (err) {
    throw bad('country', (err as Error).message);
  }
  const terms = s.paymentTerms;
  let paymentTerms: CompanyState['paymentTerms'] = null;
  if (terms) {
    if (terms.method !== 'on_account' && terms.method !== 'prepayment')
      throw bad(
        'paymentTerms.method',
        `"${terms.method}" is not a payment method (on_account or prepayment).`,
      );
    const netDays = terms.netDays ?? (terms.method === 'prepayment' ? 0 : null);
    if (netDays === null || !Number.isInteger(netDays) || netDays < 0 || netDays > 365)
      throw bad(
        'paymentTerms.netDays',
        'netDays is required for on_account: a whole number of days, 0 to 365.',
      );
    paymentTerms = { method: terms.method, netDays };
  }
  return { ...s, name, vatId, country, paymentTerms };
}

export function bad(field: string, message: string): VitrineError {
  return VitrineError.badInput(`${message} Nothing was applied.`, { field });
}

/** A decimal amount in the tenant's currency as minor units; null stays null; never negative. */
export function amount(
  field: string,
  value: string | null | undefined,
  currency: string,
): number | null {
  if (value === null || value === undefined) return null;
  let minor: number;
  try {
    minor = parseDecimal(value, currency);
  } catch (err) {
    throw bad(field, `${field}: ${(err as Error).message}`);
  }
  if (minor < 0) throw bad(field, `${field} cannot be negative.`);
  return minor;
}

export function stateParams(s: CompanyState): unknown[] {
  return [
    s.name,
    s.vatId,
    s.country,
    s.paymentTerms ? JSON.stringify(s.paymentTerms) : null,
    s.creditLimitMinor,
    s.poNumberRequired,
  ];
}

export function stateOf(r: CompanyRow): CompanyState {
  return {
    name: r.name,
    vatId: r.vat_id,
    country: r.country.trim(),
    paymentTerms: r.payment_terms,
    creditLimitMinor: r.credit_limit_minor === null ? null : minorFromDb(r.credit_limit_minor),
    poNumberRequired: r.po_number_required,
  };
}

export function toCompany(tenant: TenantSnapshot, r: CompanyRow): AdminCompanyType {
  const s = stateOf(r);
  return {
    tenantSlug: tenant.slug,
    code: r.code,
    name: s.name,
    vatId: s.vatId,
    country: s.country,
    paymentTerms: s.paymentTerms,
    creditLimit:
      s.creditLimitMinor === null ? null : formatDecimal(s.creditLimitMinor, tenant.currency),
    creditUsed: formatDecimal(minorFromDb(r.credit_used_minor), tenant.currency),
    poNumberRequired: s.poNumberRequired,
    status: r.status,
    currency: tenant.currency,
  };
}

export function toUser(tenant: TenantSnapshot, r: UserRow): AdminCompanyUserType {
  return {
    email: r.email,
    name: r.name,
    roles: r.roles,
    spendLimit:
      r.spend_limit_minor === null
        ? null
        : formatDecimal(minorFromDb(r.spend_limit_minor), tenant.currency),
    canSeePrices: r.can_see_prices,
    status: r.status,
    companyCode: r.company_code,
  };
}
