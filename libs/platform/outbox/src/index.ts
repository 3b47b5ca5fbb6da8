export * from './outbox-message';
export * from './outbox-event';
export * from './outbox.service';
export * from './outbox-handlers';
export * from './outbox-worker';
export { OutboxInputError, OutboxStore } from './outbox-store';
export * from './backoff';
export * from './outbox.module';
export * from './outbox-metrics';
