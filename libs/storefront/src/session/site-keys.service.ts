import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import { TenantDb } from '@vitrine/database';

/**
 * The microsite's own HMAC key: signs the anonymous visitor's CSRF token and one-time notice
 * cookies. Derived from the installation's token secret (AUTH_TOKEN_SECRET, else the random
 * secret in the `installation` row) so every API instance computes the same tokens; a key of
 * its own, so nothing signed here ever verifies as an access or admin token.
 */
@Injectable()
export class SiteKeys implements OnModuleInit {
  private key: Buffer | null = null;

  constructor(
    private readonly db: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    let base = this.config.auth.tokenSecret;
    if (!base) {
      const [row] = await this.db.query<{ token_secret: string }>(
        `SELECT token_secret FROM installation`,
      );
      if (!row) throw new Error('The installation row is missing; run the migrations.');
      base = row.token_secret;
    }
    this.key = createHmac('sha256', base).update('vitrine microsite key v1').digest();
  }

  /** The key itself (for @fastify/cookie's signed cookies). Loaded at module init. */
  secret(): Buffer {
    if (!this.key) throw new Error('SiteKeys used before module init.');
    return this.key;
  }

  /** HMAC-SHA256 of the parts (joined unambiguously), base64url. */
  mac(...parts: string[]): string {
    return createHmac('sha256', this.secret())
      .update(parts.map((p) => `${p.length}:${p}`).join('|'))
      .digest('base64url');
  }
}
