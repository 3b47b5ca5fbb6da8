import 'reflect-metadata';
import {
  DEMO_ADMIN_EMAIL,
  DemoSeedService,
  loadTenantDir,
  TenantSyncService,
} from '@vitrine/admin';
import { ConfigError, loadConfig } from '@vitrine/config';
import { DatabaseInUseError, SchemaBehindError } from '@vitrine/database';
import { bootLog, createApp, siteUrls } from './bootstrap';
import { serveOperations } from './observability';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.init();
  if (config.demo.seedOnStart) {
    const seed = app.get(DemoSeedService);
    if (await seed.isEmpty()) {
      bootLog.log(
        `First start: seeding the demo (${config.demo.products} variants, ${config.demo.extraTenants} extra tenants)…`,
      );
      await seed.seed({ variants: config.demo.products, extraTenants: config.demo.extraTenants });
    } else {
      // Pick up edits to tenants/*.yaml on every development start (unchanged tenants are skipped).
      await app.get(TenantSyncService).sync(loadTenantDir(config.tenantsDir));
      await seed.ensureDemoAdmin();
    }
  }
  await app.listen({ port: config.port, host: config.host });
  // Metrics port, SIGTERM/SIGINT: drain and exit 0 (docs/operations.md).
  await serveOperations(app, config);
  const port = Number(new URL(await app.getUrl()).port) || config.port;
  const urls = await siteUrls(app, port);
  bootLog.log(`Vitrine is serving ${urls.length} microsite domain(s):\n  ${urls.join('\n  ')}`);
  if (config.demo.password && config.demo.seedOnStart)
    bootLog.warn(
      `DEVELOPMENT ONLY: the demo users of tenants/*/tenant.yaml (company.users) sign in with the ` +
        `password "${config.demo.password}", e.g. inkoop@jansenbouw.example on jansen-bouw; ` +
        `so does the SUPER_ADMIN ${DEMO_ADMIN_EMAIL} at http://${config.adminHost}:${port}/admin/login ` +
        `(and adminLogin on /admin/graphql).`,
    );
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof SchemaBehindError ||
    err instanceof DatabaseInUseError
  ) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exit(1);
});
