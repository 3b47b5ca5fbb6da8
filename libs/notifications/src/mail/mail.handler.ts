import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@vitrine/config';
import type { MailPayload, OutboxEvent, OutboxHandler } from '@vitrine/outbox';
import { TenantLookup } from '../tenant-lookup';
import { MailDataError, MailRenderer } from './mail-renderer';
import { MailSender } from './mail-sender';

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** Stable, file-name-safe key of an outbox event: readable prefix plus a hash against collisions. */
export function eventFileKey(tenantId: string, topic: string, dedupeKey: string): string {
  const hash = createHash('sha256').update(`${tenantId}/${topic}/${dedupeKey}`).digest('hex');
  const readable = dedupeKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${readable}-${hash.slice(0, 12)}`;
}

/**
 * Delivers `mail` events: renders the template in the tenant's theme and sends it. The
 * Message-ID is derived from the event, so a redelivered mail carries the same id (mail clients
 * and the mailbox folder treat it as the same message).
 */
@Injectable()
export class MailHandler implements OutboxHandler {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenants: TenantLookup,
    private readonly renderer: MailRenderer,
    private readonly sender: MailSender,
  ) {}

  async deliver(event: OutboxEvent): Promise<void> {
    const payload = event.payload as MailPayload;
    if (payload.kind !== 'mail')
      throw new MailDataError(`A mail event carries a "${payload.kind}" payload`);
    const to = Array.isArray(payload.to) ? payload.to : [];
    if (to.length === 0 || !to.every((a) => typeof a === 'string' && ADDRESS.test(a)))
      throw new MailDataError(`Not a list of e-mail addresses: ${JSON.stringify(payload.to)}`);
    const tenant = await this.tenants.snapshot(event.tenantId);
    const rendered = this.renderer.render(
      this.tenants.mailTenant(tenant),
      payload.template,
      payload.locale,
      payload.data ?? {},
    );
    const hash = createHash('sha256')
      .update(`${event.tenantId}/mail/${event.dedupeKey}`)
      .digest('hex');
    await this.sender.send({
      folder: tenant.slug,
      fileKey: eventFileKey(event.tenantId, 'mail', event.dedupeKey),
      messageId: `<${hash.slice(0, 32)}@${tenant.domains[0] ?? 'vitrine.invalid'}>`,
      from: { name: tenant.name, address: fromAddress(this.config.mail.from) },
      replyTo: tenant.theme.contact?.email,
      to,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
    });
  }
}

/** The address of MAIL_FROM ("Name <a@b>" or "a@b"): the tenant's name is shown instead of ours. */
function fromAddress(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}
