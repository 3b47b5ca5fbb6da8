import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';
import { VitrineError } from '@vitrine/errors';
import { ROLES, type Role } from '@vitrine/tenancy';

/** What an access token says about its bearer. */
export interface AccessClaims {
  /** The user's id. */
  sub: string;
  /** The tenant (site) the token was issued for: it is valid on that site only. */
  tenant: string;
  /** The user's company, whose contract prices apply. */
  company: string | null;
  /** False when the company admin hid prices from this user. */
  prices: boolean;
  /** The user's roles when the token was issued (refreshing picks up changes). */
  roles: Role[];
}

const ISSUER = 'vitrine';

/**
 * Short-lived access tokens (JWT, HS256). The `tenant` claim binds a token to one site: a
 * token of site A presented on site B is refused, so one identity can never leak across
 * sites. Issued by login (accounts issue); verified on every request that carries one.
 */
@Injectable()
export class AccessTokenService implements OnModuleInit {
  private key: Promise<Uint8Array> | null = null;
  /**
   * Payloads of tokens verified lately, until their expiry (at most a minute): a buyer sends the
   * same token with every request, and verifying its signature (WebCrypto HMAC) was a sixth of
   * the CPU of a response-cache hit. Same bytes, same key: same verdict.
   */
  private readonly verified = new LRUCache<
    string,
    { payload: Record<string, unknown>; until: number }
  >({ max: 10_000 });

  /**
   * Loads the key at start: signing inside a unit of work must never query the database on
   * the side (PGlite is one session, and a second query would wait for the first to end).
   */
  async onModuleInit(): Promise<void> {
    await this.secret();
  }

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sign(claims: AccessClaims, ttlSeconds = this.config.auth.accessTokenTtlS): Promise<string> {
    return new SignJWT({
      tenant: claims.tenant,
      company: claims.company,
      prices: claims.prices,
      roles: claims.roles,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(await this.secret());
  }

  /** The claims of a valid token for this tenant; UNAUTHENTICATED with the reason otherwise. */
  async verify(token: string, tenantId: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    const now = Date.now();
    const memo = this.verified.get(token);
    try {
      if (memo && memo.until > now) payload = memo.payload;
      else {
        ({ payload } = await jwtVerify(token, await this.secret(), {
          issuer: ISSUER,
          algorithms: ['HS256'],
        }));
        const exp = typeof payload.exp === 'number' ? payload.exp * 1000 : now;
        this.verified.set(token, { payload, until: Math.min(exp, now + 60_000) });
      }
    } catch (err) {
      throw unauthenticated(
        err instanceof errors.JWTExpired
          ? 'Your session has expired. Please sign in again.'
          : 'The access token is not valid. Please sign in again.',
      );
    }
    if (payload.tenant !== tenantId)
      throw unauthenticated('This access token belongs to another site. Please sign in here.');
    if (typeof payload.sub !== 'string' || !payload.sub)
      throw unauthenticated('The access token is not valid. Please sign in again.');
    return {
      sub: payload.sub,
      tenant: tenantId,
      company: typeof payload.company === 'string' ? payload.company : null,
      prices: payload.prices !== false,
      roles: Array.isArray(payload.roles)
        ? (payload.roles.filter((r) => (ROLES as readonly unknown[]).includes(r)) as Role[])
        : [],
    };
  }

  private secret(): Promise<Uint8Array> {
    this.key ??= (async () => {
      const configured = this.config.auth.tokenSecret;
      if (configured) return new TextEncoder().encode(configured);
      const [row] = await this.db.query<{ token_secret: string }>(
        `SELECT token_secret FROM installation`,
      );
      if (!row) throw new Error('The installation row is missing; run the migrations.');
      return new TextEncoder().encode(row.token_secret);
    })();
    return this.key;
  }
}

function unauthenticated(message: string): VitrineError {
  return new VitrineError('UNAUTHENTICATED', message);
}
