import { Inject, Injectable } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import type { ErpOrderPayload, OutboxEvent, OutboxHandler } from '@vitrine/outbox';
import { TenantLookup } from '../tenant-lookup';
import { ErpConfigError } from './erp-webhook.handler';

/**
 * Delivers `erp-file` events: writes the order document (the webhook's JSON body) to
 * `ERP_DROP_DIR/<tenant slug>/<order number>.json` for ERPs that poll a folder. Written to a
 * temp file and renamed, so the ERP never reads half a file; a redelivery replaces the file
 * with the same content, so it is idempotent.
 */
@Injectable()
export class ErpFileHandler implements OutboxHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantLookup,
  ) {}

  async deliver(event: OutboxEvent): Promise<void> {
    const payload = event.payload as ErpOrderPayload;
    if (payload.kind !== 'erp-order')
      throw new Error(`An erp-file event carries a "${payload.kind}" payload`);
    const number = payload.order?.number;
    // The order number becomes a file name: nothing that could leave the folder.
    if (typeof number !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(number))
      throw new Error(`Not an order number usable as a file name: ${JSON.stringify(number)}`);
    const tenant = await this.tenants.snapshot(event.tenantId);
    if (tenant.settings.erp?.dropFolder === false)
      throw new ErpConfigError(
        `tenant ${tenant.slug} has erp.dropFolder: false; no file is written`,
      );
    const dir = join(this.config.erp.dropDir, tenant.slug);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${number}.json`);
    const temp = join(dir, `.${number}.json.${process.pid}.tmp`);
    await writeFile(temp, `${JSON.stringify(payload, null, 2)}\n`);
    await rename(temp, file);
  }
}
