import { Module } from '@nestjs/common';
import { AccessTokenService } from './access-token.service';
import { AccountsResolver } from './accounts.resolver';
import { AuthService } from './auth.service';
import { Authenticator } from './authenticator.service';
import { CompanyDirectory } from './company-directory.service';
import { PasswordService } from './password.service';
import { UserService } from './user.service';

@Module({
  providers: [
    AccessTokenService,
    CompanyDirectory,
    Authenticator,
    PasswordService,
    AuthService,
    UserService,
    AccountsResolver,
  ],
  exports: [
    AccessTokenService,
    CompanyDirectory,
    Authenticator,
    PasswordService,
    AuthService,
    UserService,
  ],
})
export class AccountsModule {}
