import { Module } from '@nestjs/common';
import { AccessTokenService } from './access-token.service';
import { Authenticator } from './authenticator.service';
import { CompanyDirectory } from './company-directory.service';

@Module({
  providers: [AccessTokenService, CompanyDirectory, Authenticator],
  exports: [AccessTokenService, CompanyDirectory, Authenticator],
})
export class AccountsModule {}
