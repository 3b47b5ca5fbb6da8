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

/** The id tenant sync and the seeders give a company: md5(tenant id + '/' + code) as a uuid. */
export function companyIdFor(tenantId: string, code: string): string {
  const h = createHash('md5').update(`${tenantId}/${code}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function buyerAuthorization(
  secret: string,
  tenantId: string,
  companyCode: string | null,
): Promise<string> {
  const token = await new SignJWT({
    tenant: tenantId,
    company: companyCode === null ? null : companyIdFor(tenantId, companyCode),
    prices: true,
    roles: ['BUYER'],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`bench-buyer-${companyCode ?? 'none'}`)
    .setIssuer('vitrine')
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(secret));
  return `Bearer ${token}`;
}
