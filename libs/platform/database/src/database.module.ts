import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '@vitrine/config';
import { createDataSource, ensureSchema, type DataSourceOptions } from './data-source';
import { checkRuntimeRole } from './runtime-role';
import { DATA_SOURCE, TenantDb } from './tenant-db';

export interface DatabaseModuleOptions extends DataSourceOptions {
  config: DatabaseConfig;
  /** Tests and the CLI pass an initialized DataSource they own. */
  dataSource?: DataSource;
}

class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    @Inject('DATABASE_OWNED') private readonly owned: boolean,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.owned && this.ds.isInitialized) await this.ds.destroy();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            if (options.dataSource) return options.dataSource;
            const ds = await createDataSource(options.config, options);
            await ensureSchema(ds, options.config);
            await checkRuntimeRole(ds, options.config);
            return ds;
          },
        },
        { provide: 'DATABASE_OWNED', useValue: !options.dataSource },
        DatabaseLifecycle,
        TenantDb,
      ],
      exports: [DATA_SOURCE, TenantDb],
    };
  }
}
