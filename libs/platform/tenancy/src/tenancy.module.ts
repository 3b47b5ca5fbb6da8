import { Global, Module } from '@nestjs/common';
import { TenantDirectory } from './tenant-directory.service';
import { TenantResolver } from './tenant.resolver';

@Global()
@Module({ providers: [TenantDirectory, TenantResolver], exports: [TenantDirectory] })
export class TenancyModule {}
