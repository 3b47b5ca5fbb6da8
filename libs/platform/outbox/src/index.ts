export * from './outbox-message';
export * from './outbox.service';
export * from './outbox.module';
