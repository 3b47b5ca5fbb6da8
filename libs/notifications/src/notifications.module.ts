import { Module, OnModuleInit } from '@nestjs/common';
import { OutboxHandlers } from '@vitrine/outbox';
import { ErpFileHandler } from './erp/erp-file.handler';
import { ErpWebhookHandler } from './erp/erp-webhook.handler';
import { MailHandler } from './mail/mail.handler';
import { MailRenderer } from './mail/mail-renderer';
import { MailSender } from './mail/mail-sender';
import { TenantLookup } from './tenant-lookup';

/**
 * The consumers of the outbox: transactional e-mail (`mail`) and the ERP export (`erp-webhook`,
 * `erp-file`). Importing this module registers them with the worker of the process; a process
 * that does not import it (an API instance with OUTBOX_WORKER=off) delivers nothing.
 */
@Module({
  providers: [
    TenantLookup,
    MailRenderer,
    MailSender,
    MailHandler,
    ErpWebhookHandler,
    ErpFileHandler,
  ],
  exports: [MailRenderer],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly handlers: OutboxHandlers,
    private readonly mail: MailHandler,
    private readonly webhook: ErpWebhookHandler,
    private readonly file: ErpFileHandler,
  ) {}

  onModuleInit(): void {
    this.handlers.register('mail', this.mail);
    this.handlers.register('erp-webhook', this.webhook);
    this.handlers.register('erp-file', this.file);
  }
}
