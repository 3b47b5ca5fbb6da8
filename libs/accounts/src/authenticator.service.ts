import { Injectable } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import type { AuthUser, TenantSnapshot } from '@vitrine/tenancy';
import { AccessTokenService } from './access-token.service';
import { CompanyDirectory } from './company-directory.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who is calling: the bearer of a valid access token for this site, or nobody (anonymous).
 * A request that presents a token that is invalid, expired or for another site is refused
 * (UNAUTHENTICATED) rather than served anonymously, so a client notices at once.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokenService,
    private readonly companies: CompanyDirectory,
  ) {}

  async authenticate(
    authorization: string | undefined,
    tenant: TenantSnapshot,
  ): Promise<AuthUser | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization);
    if (!match)
      throw new VitrineError(
        'UNAUTHENTICATED',
        'The Authorization header must be "Bearer <access token>".',
      );
    const claims = await this.tokens.verify(match[1], tenant.id);
    let company = null;
    if (claims.company) {
      company = UUID.test(claims.company) ? await this.companies.get(tenant, claims.company) : null;
      if (!company)
        throw new VitrineError(
          'UNAUTHENTICATED',
          'Your company is no longer known on this site. Please sign in again.',
        );
    }
    return Object.freeze({
      id: claims.sub,
      company,
      roles: Object.freeze([...claims.roles]),
      canSeePrices: claims.prices,
    });
  }
}
