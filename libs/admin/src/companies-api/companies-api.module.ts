import { Module } from '@nestjs/common';
import { InvitationService, PasswordService } from '@vitrine/accounts';
import { AdminTokenModule } from '../api/admin-token.module';
import { CompanyAdminApiService } from './company-admin-api.service';
import { CompanyUserAdminApiService } from './company-user-admin-api.service';

/**
 * Companies and users for the admin API. Like TenantsAdminModule it provides the accounts
 * services it needs instead of importing AccountsModule (which carries storefront resolvers).
 */
@Module({
  imports: [AdminTokenModule],
  providers: [
    CompanyAdminApiService,
    CompanyUserAdminApiService,
    InvitationService,
    PasswordService,
  ],
  exports: [CompanyAdminApiService, CompanyUserAdminApiService],
})
export class CompaniesAdminModule {}
