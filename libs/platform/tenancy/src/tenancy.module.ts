import { Global, Module } from '@nestjs/common';
import { TenantDirectory } from './tenant-directory.service';
import { TenantResolver } from './tenant.resolver';

@Global()
@Module({ providers: [TenantDirectory], exports: [TenantDirectory] })
export class TenancyModule {}

/**
 * The storefront's `tenant` query. Kept out of the global TenancyModule: a GraphQL endpoint's
 * `include` takes in every global module, so a resolver there would leak into every schema
 * (the admin API's too).
 */
@Module({ providers: [TenantResolver] })
export class TenantApiModule {}
