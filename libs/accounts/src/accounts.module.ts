import { Module } from '@nestjs/common';
import { OutboxModule } from '@vitrine/outbox';
import { AccessTokenService } from './access-token.service';
import { AccountsResolver } from './accounts.resolver';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator.service';
import { CompanyAdminResolver } from './company-admin.resolver';
import { CompanyAdminService } from './company-admin.service';
import { CompanyDirectory } from './company-directory.service';
import { PasswordService } from './password.service';
import { InvitationService } from './invitation.service';
import { UserService } from './user.service';

/** The services other modules use. */
const SERVICES = [
  AccessTokenService,
  CompanyDirectory,
  Authenticator,
  PasswordService,
  AuthService,
  UserService,
  InvitationService,
];

// Invitation and password-reset mails are queued in the outbox (delivered by @vitrine/notifications).
@Module({
  imports: [OutboxModule],
  providers: [...SERVICES, AccountsResolver, CompanyAdminService, CompanyAdminResolver],
  exports: [...SERVICES, CompanyAdminService],
})
export class AccountsModule {}
