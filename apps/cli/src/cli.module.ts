import { DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '@vitrine/admin';
import { CacheModule } from '@vitrine/cache';
import { ConfigModule, type AppConfig } from '@vitrine/config';
import { DatabaseModule } from '@vitrine/database';
import { OutboxModule } from '@vitrine/outbox';
import { TenancyModule } from '@vitrine/tenancy';

/** The services the CLI drives: the same as the API's, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ config: config.database }),
        CacheModule.forRoot({ redisUrl: config.redisUrl, prefix: config.cachePrefix }),
        OutboxModule,
        TenancyModule,
        AdminModule,
      ],
    };
  }
}
