import { Module } from '@nestjs/common';
import { PasswordService } from '@vitrine/accounts';
import { AdminAccountService } from '../accounts/admin-account.service';
import { AdminGate } from '../accounts/admin-gate.service';
import { AdminLoginService } from '../accounts/admin-login.service';
import { AuditModule } from '../audit/audit.module';
import { AdminTokenService } from './admin-token.service';

/**
 * Admin accounts and their tokens, for the admin API and the CLI (`vitrine admin token|create`).
 * No resolvers. PasswordService is the accounts lib's (argon2id), provided here on its own:
 * importing AccountsModule would bring its storefront resolvers into the admin schema.
 */
@Module({
  imports: [AuditModule],
  providers: [
    AdminTokenService,
    AdminAccountService,
    AdminLoginService,
    AdminGate,
    PasswordService,
  ],
  exports: [AdminTokenService, AdminAccountService, AdminLoginService, AdminGate, AuditModule],
})
export class AdminTokenModule {}
