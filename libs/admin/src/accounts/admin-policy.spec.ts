import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminPolicy, type AdminArea } from './admin-policy';

const A = 'tenant-a';
const B = 'tenant-b';
const as = (roles: string[], tenantIds: string[] = []): AdminIdentity => ({
  subject: 'x',
  id: 'id',
  roles,
  tenantIds,
});

describe('AdminPolicy', () => {
  const AREAS: AdminArea[] = [
    'QUOTES',
    'ORDERS',
    'TENANTS',
    'COMPANIES',
    'AUDIT',
    'CATALOG',
    'PRICES',
    'ADMINS',
  ];

  it.each([
    // roles, area, tenant, allowed
    [['SUPER_ADMIN'], 'ORDERS', B, true],
    [['SUPER_ADMIN'], 'ADMINS', null, true],
    [['ACCOUNT_MANAGER'], 'ORDERS', A, true],
    [['ACCOUNT_MANAGER'], 'QUOTES', A, true],
    [['ACCOUNT_MANAGER'], 'TENANTS', A, true],
    [['ACCOUNT_MANAGER'], 'AUDIT', A, true],
    [['ACCOUNT_MANAGER'], 'COMPANIES', A, true],
    [['ACCOUNT_MANAGER'], 'COMPANIES', B, false],
    [['SUPER_ADMIN'], 'COMPANIES', B, true],
    [['CATALOG_MANAGER'], 'COMPANIES', A, false],
    [['ACCOUNT_MANAGER'], 'ORDERS', B, false],
    [['ACCOUNT_MANAGER'], 'ORDERS', null, false],
    [['ACCOUNT_MANAGER'], 'CATALOG', null, false],
    [['ACCOUNT_MANAGER'], 'ADMINS', null, false],
    [['CATALOG_MANAGER'], 'CATALOG', null, true],
    [['CATALOG_MANAGER'], 'PRICES', A, true],
    [['CATALOG_MANAGER'], 'ORDERS', A, false],
    [['CATALOG_MANAGER'], 'TENANTS', A, false],
    [['CATALOG_MANAGER', 'ACCOUNT_MANAGER'], 'ORDERS', A, true],
    [['CATALOG_MANAGER', 'ACCOUNT_MANAGER'], 'CATALOG', null, true],
    [[], 'ORDERS', A, false],
  ] as Array<[string[], AdminArea, string | null, boolean]>)(
    '%j in %s on %s: %s',
    (roles, area, tenant, allowed) => {
      expect(AdminPolicy.can(as(roles, [A]), area, tenant)).toBe(allowed);
    },
  );

  it('fails closed for an identity without roles', () => {
    for (const area of AREAS) expect(AdminPolicy.can({ subject: 'x' }, area, A)).toBe(false);
  });

  it('narrows an account manager’s listings to their tenants and refuses the rest with FORBIDDEN', () => {
    expect(AdminPolicy.requireUse(as(['ACCOUNT_MANAGER'], [A]), 'ORDERS')).toEqual({
      all: false,
      tenantIds: [A],
    });
    expect(AdminPolicy.requireUse(as(['SUPER_ADMIN']), 'ORDERS')).toEqual({ all: true });
    expect(() => AdminPolicy.requireUse(as(['CATALOG_MANAGER']), 'ORDERS')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => AdminPolicy.require(as(['ACCOUNT_MANAGER'], [A]), 'ORDERS', B, 'b')).toThrow(
      /Tenant "b" is not assigned to you/,
    );
  });
});
