import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from './outbox-message';

/**
 * The producer side of the outbox. `enqueue` writes with the caller's EntityManager, inside the
 * caller's unit of work: the messages exist if and only if the change they report committed.
 * A message with a (tenant, topic, dedupeKey) already written is not written twice.
 */
@Injectable()
export class Outbox {
  async enqueue(em: EntityManager, tenantId: string, messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await em.query(
      `INSERT INTO outbox_event (tenant_id, topic, dedupe_key, payload)
       SELECT $1, t, k, p FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS x(t, k, p)
       ON CONFLICT (tenant_id, topic, dedupe_key) DO NOTHING`,
      [
        tenantId,
        messages.map((m) => m.topic),
        messages.map((m) => m.dedupeKey),
        messages.map((m) => JSON.stringify(m.payload)),
      ],
    );
  }
}
