import { Module } from '@nestjs/common';
import { OrderingSellerModule } from '@vitrine/ordering';
import { AdminTokenModule } from '../api/admin-token.module';
import { TenantKpisService } from '../kpis/tenant-kpis.service';
import { TenantsAdminModule } from '../tenants-api/tenants-api.module';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { AdminPageRenderer } from './admin-page-renderer';
import { AdminPageSessions } from './admin-page-session.service';
import { AdminPagesController } from './admin-pages.controller';
import { AdminPagesService } from './admin-pages.service';
import { AdminTenantListsService } from './admin-tenant-lists.service';

/**
 * The server-rendered admin pages (/admin, /admin/login, /admin/tenants/<slug> and its
 * /orders, /quotes, /audit) on the admin host. No resolvers (OrderingSellerModule has none
 * either): importing it into AdminApiModule adds nothing to the admin schema.
 * TenantKpisService is stateless; this module has its own instance.
 */
@Module({
  imports: [AdminTokenModule, TenantsAdminModule, OrderingSellerModule],
  controllers: [AdminPagesController],
  providers: [
    AdminPageSessions,
    AdminPageRenderer,
    AdminPageErrorFilter,
    AdminPagesService,
    AdminTenantListsService,
    TenantKpisService,
  ],
})
export class AdminPagesModule {}
