import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PasswordService } from '@vitrine/accounts';
import { CACHE_STORE, type CacheStore } from '@vitrine/cache';
import { VitrineError } from '@vitrine/errors';
import { AdminTokenService, type IssuedAdminToken } from '../api/admin-token.service';
import { AuditLog } from '../audit/audit-log.service';
import { AdminAccountService, type AdminAccount } from './admin-account.service';

/** Sign-in attempts per 15 minutes: per admin account (by e-mail) and per client address. */
export const ADMIN_LOGIN_LIMITS = { windowSeconds: 15 * 60, perAccount: 10, perIp: 50 };
/** Lifetime of a token from `adminLogin`: a working day. */
export const ADMIN_LOGIN_TTL_HOURS = 10;

const WRONG = 'Wrong e-mail or password, or the admin account is deactivated.';

/**
 * Admins sign in with e-mail and password (`adminLogin`) and get an admin token carrying their
 * id and roles. Attempts are limited per account and per client address (shared counters, as
 * for buyers); the password check costs the same for unknown e-mails. A deactivated account
 * gets the same answer as a wrong password — the response says nothing about which accounts
 * exist. Every refused attempt goes to the audit log ('admin.login', REFUSED, with the reason).
 */
@Injectable()
export class AdminLoginService {
  private readonly log = new Logger('AdminLogin');

  constructor(
    private readonly accounts: AdminAccountService,
    private readonly passwords: PasswordService,
    private readonly tokens: AdminTokenService,
    private readonly audit: AuditLog,
    @Inject(CACHE_STORE) private readonly cache: CacheStore,
  ) {}

  async login(
    email: string,
    password: string,
    clientIp: string,
  ): Promise<{ issued: IssuedAdminToken; admin: AdminAccount }> {
    const normalized = email.trim().toLowerCase();
    if (!normalized || !password)
      throw VitrineError.badInput(
        'Give the e-mail address and the password of your admin account.',
      );
    await this.limit(
      'account',
      createHash('sha256').update(normalized).digest('hex'),
      ADMIN_LOGIN_LIMITS.perAccount,
    );
    await this.limit('ip', clientIp, ADMIN_LOGIN_LIMITS.perIp);
    const found = await this.accounts.credentials(normalized);
    const valid = await this.passwords.verifyOrDummy(found?.passwordHash ?? null, password);
    if (!found || !valid || found.status !== 'ACTIVE') {
      await this.audit.refused({
        actor: found?.id ?? normalized.slice(0, 254),
        action: 'admin.login',
        tenantId: null,
        target: normalized.slice(0, 254),
        before: null,
        after: null,
        reason: !found ? 'unknown e-mail' : !valid ? 'wrong password' : 'account deactivated',
      });
      throw new VitrineError('UNAUTHENTICATED', WRONG);
    }
    const admin = (await this.accounts.find(found.id))!;
    const issued = await this.tokens.signAccount(admin.id, admin.roles, ADMIN_LOGIN_TTL_HOURS);
    return { issued, admin };
  }

  private async limit(kind: string, subject: string, max: number): Promise<void> {
    let hit: { count: number; resetInSeconds: number };
    try {
      hit = await this.cache.hit(
        `admin-login:${kind}:${subject}`,
        ADMIN_LOGIN_LIMITS.windowSeconds,
      );
    } catch (err) {
      // Without the shared counter there is no limit worth the name: refuse rather than allow.
      this.log.error(`Admin login rate limit unavailable: ${(err as Error).message}`);
      throw new VitrineError(
        'SERVICE_UNAVAILABLE',
        'Signing in is briefly unavailable. Please try again.',
      );
    }
    if (hit.count > max)
      throw new VitrineError(
        'RATE_LIMITED',
        `Too many sign-in attempts. Please wait ${Math.ceil(hit.resetInSeconds / 60)} minutes and try again.`,
        { retryAfterSeconds: hit.resetInSeconds },
      );
  }
}
