import type { OutboxPayload, OutboxTopic } from './outbox-message';

export type OutboxStatus = 'PENDING' | 'DELIVERED' | 'FAILED';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];

/** One claimed event, as a handler receives it. */
export interface OutboxEvent<P extends OutboxPayload = OutboxPayload> {
  /** The row id (bigint as a decimal string). */
  id: string;
  tenantId: string;
  topic: OutboxTopic;
  /** Unique per tenant and topic: the consumer's key to recognise a redelivery. */
  dedupeKey: string;
  payload: P;
  /** Deliveries started so far, this one included. */
  attempts: number;
  createdAt: Date;
}

/**
 * Delivers the events of one topic. Throwing (or rejecting) means "not delivered": the event is
 * retried with backoff. A handler may be called again for an event it already delivered (the
 * worker died before recording it): deliveries must be idempotent per `dedupeKey`.
 */
export interface OutboxHandler {
  deliver(event: OutboxEvent): Promise<void>;
}

/** An outbox row as operators see it (`vitrine outbox list`). */
export interface OutboxRecord {
  id: string;
  tenantId: string;
  tenantSlug: string;
  topic: OutboxTopic;
  dedupeKey: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}
