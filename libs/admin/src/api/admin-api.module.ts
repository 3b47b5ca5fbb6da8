import { Module } from '@nestjs/common';
import { OrderingSellerModule } from '@vitrine/ordering';
import { AdminGuard } from './admin-access';
import { AdminOrderResolver } from './admin-order.resolver';
import { AdminQuoteResolver } from './admin-quote.resolver';
import { AdminTokenModule } from './admin-token.module';
import { TenantKpisResolver } from '../kpis/tenant-kpis.resolver';
import { TenantKpisService } from '../kpis/tenant-kpis.service';

/**
 * The admin GraphQL API (served at /admin/graphql on the admin host, its own schema). The
 * admin endpoint `include`s this module and, transitively, what it imports: it must import no
 * module with storefront resolvers.
 */
@Module({
  imports: [AdminTokenModule, OrderingSellerModule],
  providers: [
    AdminGuard,
    AdminQuoteResolver,
    AdminOrderResolver,
    TenantKpisService,
    TenantKpisResolver,
  ],
})
export class AdminApiModule {}
