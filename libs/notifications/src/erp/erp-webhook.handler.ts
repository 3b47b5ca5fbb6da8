import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import type { ErpOrderPayload, OutboxEvent, OutboxHandler } from '@vitrine/outbox';
import { TenantLookup } from '../tenant-lookup';
import { signWebhook } from './webhook-signature';

/** A tenant's ERP settings are missing or the secret is not in this process's environment. */
export class ErpConfigError extends Error {
  override name = 'ErpConfigError';
}

/** Webhook secrets shorter than this are refused: an HMAC is only as strong as its key. */
const MIN_SECRET_LENGTH = 16;

/**
 * Delivers `erp-webhook` events: POSTs the order document (JSON) to the tenant's
 * `erp.webhookUrl`, signed (see {@link signWebhook}) and carrying the event id
 * (`X-Vitrine-Event-Id`, the outbox dedupe key) by which the receiver recognises a redelivery.
 * Anything but a 2xx answer within `ERP_WEBHOOK_TIMEOUT_MS` is a failure, retried with backoff.
 */
@Injectable()
export class ErpWebhookHandler implements OutboxHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantLookup,
  ) {}

  async deliver(event: OutboxEvent): Promise<void> {
    const payload = event.payload as ErpOrderPayload;
    if (payload.kind !== 'erp-order')
      throw new Error(`An erp-webhook event carries a "${payload.kind}" payload`);
    const tenant = await this.tenants.snapshot(event.tenantId);
    const erp = tenant.settings.erp;
    if (!erp?.webhookUrl)
      throw new ErpConfigError(
        `tenant ${tenant.slug} has no erp.webhookUrl in its tenant.yaml; nothing to send to`,
      );
    if (!erp.secretEnv)
      throw new ErpConfigError(
        `tenant ${tenant.slug} has no erp.secretEnv in its tenant.yaml; webhooks are never sent unsigned`,
      );
    const secret = this.config.erp.secret(erp.secretEnv);
    if (!secret || secret.length < MIN_SECRET_LENGTH)
      throw new ErpConfigError(
        `environment variable ${erp.secretEnv} (erp.secretEnv of ${tenant.slug}) is ${secret ? `shorter than ${MIN_SECRET_LENGTH} characters` : 'not set'} in the worker's environment`,
      );

    const body = JSON.stringify(payload);
    const url = new URL(erp.webhookUrl);
    const where = `${url.origin}${url.pathname}`; // never the query: it may carry a token
    const timeout = this.config.erp.webhookTimeoutMs;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Vitrine-Webhook/1',
          'x-vitrine-event': payload.event,
          'x-vitrine-event-id': event.dedupeKey,
          'x-vitrine-signature': signWebhook(secret, body),
        },
        body,
        redirect: 'manual', // a redirect is a misconfigured endpoint, not a delivery
        signal: AbortSignal.timeout(timeout),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (e.name === 'TimeoutError')
        throw new Error(`ERP webhook ${where} did not answer within ${timeout} ms`);
      throw new Error(
        `ERP webhook ${where} unreachable: ${e.cause?.code ?? e.cause?.message ?? e.message}`,
      );
    }
    const answer = (await res.text().catch(() => '')).slice(0, 200);
    if (res.status < 200 || res.status > 299)
      throw new Error(
        `ERP webhook ${where} answered HTTP ${res.status}${answer ? `: ${answer}` : ''}`,
      );
  }
}
