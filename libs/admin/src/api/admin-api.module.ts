import { Module } from '@nestjs/common';
import { OrderingSellerModule } from '@vitrine/ordering';
import { AdminGuard } from './admin-access';
import { AdminAuditResolver } from './admin-audit.resolver';
import { AdminLoginResolver } from './admin-login.resolver';
import { AdminOrderResolver } from './admin-order.resolver';
import { AdminQuoteResolver } from './admin-quote.resolver';
import { AdminTokenModule } from './admin-token.module';
import { AdminUserResolver } from './admin-user.resolver';
import { AdminUsersModule } from './admin-users.module';
import { TenantAdminResolver } from '../tenants-api/tenant-admin.resolver';
import { TenantsAdminModule } from '../tenants-api/tenants-api.module';
import { TenantKpisResolver } from '../kpis/tenant-kpis.resolver';
import { TenantKpisService } from '../kpis/tenant-kpis.service';
import { AdminPagesModule } from '../pages/admin-pages.module';
import { CompaniesAdminModule } from '../companies-api/companies-api.module';
import { CompanyAdminApiResolver } from '../companies-api/company-admin-api.resolver';
import { PricesAdminModule } from '../prices-api/prices-api.module';
import { PriceAdminResolver } from '../prices-api/price-admin.resolver';
import { AdminImportsModule } from '../imports/admin-imports.module';
import { AdminImportResolver } from '../imports/admin-import.resolver';

/**
 * The admin GraphQL API (served at /admin/graphql on the admin host, its own schema). The
 * admin endpoint `include`s this module and, transitively, what it imports: it must import no
 * module with storefront resolvers.
 */
@Module({
  imports: [
    AdminTokenModule,
    OrderingSellerModule,
    TenantsAdminModule,
    CompaniesAdminModule,
    PricesAdminModule,
    AdminPagesModule,
    AdminUsersModule,
    AdminImportsModule,
  ],
  providers: [
    AdminGuard,
    AdminLoginResolver,
    AdminAuditResolver,
    AdminQuoteResolver,
    AdminOrderResolver,
    TenantAdminResolver,
    TenantKpisService,
    TenantKpisResolver,
    CompanyAdminApiResolver,
    PriceAdminResolver,
    AdminUserResolver,
    AdminImportResolver,
  ],
})
export class AdminApiModule {}
