import { checkAccess, permissionsOf, type Access, type Role } from './permissions';
import { createTenantContext } from './tenant-context';
import type { TenantSnapshot } from './tenant-snapshot';

const tenant = (publicBrowsing: boolean) =>
  ({
    id: 't1',
    slug: 's',
    name: 'Shop',
    status: 'ACTIVE',
    locales: ['en'],
    currency: 'EUR',
    timeZone: 'Europe/Amsterdam',
    publicBrowsing,
    showListPrices: true,
    theme: { primaryColor: '#000000' },
    version: 1,
    domains: ['s.localhost'],
    settings: {},
  }) as TenantSnapshot;

const as = (roles: Role[] | null, publicBrowsing = false) =>
  createTenantContext(
    tenant(publicBrowsing),
    'r',
    undefined,
    roles ? { id: 'u', company: null, roles, canSeePrices: true } : null,
  );

describe('checkAccess', () => {
  it.each<[string, Role[] | null, boolean, Access, string | null]>([
    ['anyone may run PUBLIC operations', null, false, 'PUBLIC', null],
    ['anonymous may browse a public site', null, true, 'BROWSE', null],
    ['anonymous may not browse a login-only site', null, false, 'BROWSE', 'UNAUTHENTICATED'],
    ['a VIEWER browses', ['VIEWER'], false, 'BROWSE', null],
    ['a VIEWER may not fill carts', ['VIEWER'], false, 'MANAGE_CART', 'FORBIDDEN'],
    [
      'a REQUISITIONER fills carts and requests quotes',
      ['REQUISITIONER'],
      false,
      'REQUEST_QUOTE',
      null,
    ],
    ['a REQUISITIONER may not place orders', ['REQUISITIONER'], false, 'PLACE_ORDER', 'FORBIDDEN'],
    ['a BUYER places orders', ['BUYER'], false, 'PLACE_ORDER', null],
    ['a BUYER may not approve', ['BUYER'], false, 'APPROVE_ORDER', 'FORBIDDEN'],
    ['an APPROVER approves', ['APPROVER'], false, 'APPROVE_ORDER', null],
    [
      'a BUYER may not manage the company',
      ['BUYER', 'APPROVER'],
      false,
      'MANAGE_COMPANY',
      'FORBIDDEN',
    ],
    ['a COMPANY_ADMIN manages the company', ['COMPANY_ADMIN'], false, 'MANAGE_COMPANY', null],
    [
      'anonymous is asked to sign in for a permission',
      null,
      true,
      'PLACE_ORDER',
      'UNAUTHENTICATED',
    ],
    ['any signed-in user is AUTHENTICATED', ['VIEWER'], false, 'AUTHENTICATED', null],
  ])('%s', (_name, roles, publicBrowsing, access, expected) => {
    expect(checkAccess(as(roles, publicBrowsing), access)?.code ?? null).toBe(expected);
  });

  it('unions the permissions of several roles', () => {
    expect([...permissionsOf(['REQUISITIONER', 'APPROVER'])].sort()).toEqual([
      'APPROVE_ORDER',
      'BROWSE',
      'MANAGE_CART',
      'REQUEST_QUOTE',
      'SUBMIT_ORDER',
      'VIEW_COMPANY_ORDERS',
      'VIEW_ORDERS',
    ]);
  });
});
