import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * Buyers for the bench. The bench starts the API with a signing key of its own
 * (AUTH_TOKEN_SECRET) and mints access tokens exactly as login does: HS256, issuer `vitrine`,
 * bound to the tenant, naming the company whose contract prices apply.
 */
export function benchTokenSecret(): string {
  return randomBytes(32).toString('hex');
}

/** md5 of a text as PostgreSQL's `md5(text)::uuid` prints it. */
function md5Uuid(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The id tenant sync and the seeders give a company: md5(tenant id + '/' + code) as a uuid. */
export function companyIdFor(tenantId: string, code: string): string {
  return md5Uuid(`${tenantId}/${code}`);
}

/**
 * The user id of bench buyer `index` (1-based) of a tenant, as the seed gives it
 * (`benchBuyerIdSql` in libs/admin/src/bench-buyers.ts): md5(tenant id + '/buyer-' + index).
 * Those users exist (ACTIVE BUYERs of company bench-contract on bench-0001), so the orders
 * their tokens place satisfy the foreign keys to app_user.
 */
export function benchBuyerIdFor(tenantId: string, index: number): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`buyer index ${index}`);
  return md5Uuid(`${tenantId}/buyer-${index}`);
}

/**
 * The Authorization header of a buyer of a tenant's company. Without `userId` the subject is a
 * made-up id: enough to read prices, not to own a cart or an order (no such user row).
 */
export async function buyerAuthorization(
  secret: string,
  tenantId: string,
  companyCode: string | null,
  userId?: string,
): Promise<string> {
  const token = await new SignJWT({
    tenant: tenantId,
    company: companyCode === null ? null : companyIdFor(tenantId, companyCode),
    prices: true,
    roles: ['BUYER'],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId ?? `bench-buyer-${companyCode ?? 'none'}`)
    .setIssuer('vitrine')
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(secret));
  return `Bearer ${token}`;
}
