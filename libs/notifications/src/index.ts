export * from './notifications.module';
export {
  MailRenderer,
  MAIL_TEMPLATES,
  MailDataError,
  type MailTenant,
  type RenderedMail,
} from './mail/mail-renderer';
export { MESSAGES, mailLocale } from './mail/messages';
export { readMailbox, type MailboxMessage } from './mail/mailbox-reader';
export { eventFileKey } from './mail/mail.handler';
export { signWebhook, verifyWebhookSignature } from './erp/webhook-signature';
export { ErpConfigError } from './erp/erp-webhook.handler';
export { sampleOrder, sampleQuote } from './sample-documents';
