import { Injectable } from '@nestjs/common';
import type { OutboxHandler } from './outbox-event';
import type { OutboxTopic } from './outbox-message';

/**
 * The consumers known to this process, one per topic. Consumer modules register theirs when the
 * application starts (e.g. NotificationsModule registers mail and the ERP export). The worker
 * claims only events of registered topics, so a process without a consumer for a topic leaves
 * its events to a process that has one, instead of failing them.
 */
@Injectable()
export class OutboxHandlers {
  private readonly byTopic = new Map<OutboxTopic, OutboxHandler>();

  register(topic: OutboxTopic, handler: OutboxHandler): void {
    if (this.byTopic.has(topic))
      throw new Error(`An outbox handler for "${topic}" is already registered`);
    this.byTopic.set(topic, handler);
  }

  get(topic: OutboxTopic): OutboxHandler | undefined {
    return this.byTopic.get(topic);
  }

  topics(): OutboxTopic[] {
    return [...this.byTopic.keys()];
  }
}
