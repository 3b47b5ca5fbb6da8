import { DynamicModule, Module } from '@nestjs/common';
import { CacheModule } from '@vitrine/cache';
import { ConfigModule, type AppConfig } from '@vitrine/config';
import { DatabaseModule } from '@vitrine/database';
import { NotificationsModule } from '@vitrine/notifications';
import { OutboxLoopModule, OutboxModule } from '@vitrine/outbox';
import { TenancyModule } from '@vitrine/tenancy';

/** The worker process: the outbox loop and its consumers, no HTTP. Wiring only. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ config: config.database }),
        CacheModule.forRoot({ redisUrl: config.redisUrl, prefix: config.cachePrefix }),
        TenancyModule,
        OutboxModule,
        NotificationsModule,
        OutboxLoopModule.forRoot(true),
      ],
    };
  }
}
