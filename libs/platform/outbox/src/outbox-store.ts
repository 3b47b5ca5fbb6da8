import { Injectable } from '@nestjs/common';
import { returnedRows, TenantDb } from '@vitrine/database';
import type { OutboxEvent, OutboxRecord, OutboxStatus } from './outbox-event';
import type { OutboxPayload, OutboxTopic } from './outbox-message';

/** A claimed event and the lease that fences its outcome (see {@link OutboxStore.fail}). */
export interface Claimed {
  event: OutboxEvent;
  /** `locked_until` as written by the claim, verbatim: the claim's fencing token. */
  lease: string;
  /** The tenant's slug, for the delivery's log lines. */
  tenantSlug: string | null;
}

interface ClaimRow {
  id: string;
  tenant_id: string;
  topic: OutboxTopic;
  dedupe_key: string;
  payload: OutboxPayload | string;
  attempts: number;
  created_at: Date;
  lease: string;
  tenant_slug: string | null;
}

interface RecordRow {
  id: string;
  tenant_id: string;
  slug: string;
  topic: OutboxTopic;
  dedupe_key: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const MAX_ERROR_LENGTH = 2000;

/**
 * The outbox_event table as the consumer side sees it. Every statement runs in a maintenance
 * unit of work (the worker serves all tenants) and is short: deliveries happen between them,
 * never inside a transaction, so a slow SMTP server or webhook holds no row lock.
 */
@Injectable()
export class OutboxStore {
  constructor(private readonly db: TenantDb) {}

  /**
   * Claims up to `limit` due events of the given topics for `leaseMs`: rows locked by another
   * claimer are skipped (FOR UPDATE SKIP LOCKED), rows leased by a live worker are not due, rows
   * whose lease expired (that worker died) are due again. The attempt is counted here, at the
   * claim, so an event that kills its worker every time still runs out of attempts; such an
   * event (out of attempts with an expired lease) is marked FAILED first.
   */
  async claim(
    topics: readonly OutboxTopic[],
    limit: number,
    leaseMs: number,
    maxAttempts: number,
  ): Promise<Claimed[]> {
    if (topics.length === 0) return [];
    // One write: the unit's start, both statements and the commit are sent together (the first
    // statement's answer is not needed before the second; TenantDb.commitWith).
    const rows = await this.db.maintenance(async (em) => {
      const dead = em.query(
        `WITH dead AS (
           SELECT id FROM outbox_event
            WHERE status = 'PENDING' AND attempts >= $1 AND locked_until <= now()
            FOR UPDATE SKIP LOCKED)
         UPDATE outbox_event e SET status = 'FAILED', locked_until = NULL,
                last_error = 'the worker stopped during the last delivery attempt (lease expired); last error: '
                             || coalesce(e.last_error, 'none')
           FROM dead WHERE e.id = dead.id`,
        [maxAttempts],
      );
      const [, claimed] = await Promise.all([
        dead,
        this.db.commitWith(
          em,
          `WITH due AS (
             SELECT id FROM outbox_event
              WHERE status = 'PENDING' AND next_attempt_at <= now()
                AND (locked_until IS NULL OR locked_until <= now())
                AND attempts < $4 AND topic = ANY($1::text[])
              ORDER BY next_attempt_at, id
              LIMIT $2
              FOR UPDATE SKIP LOCKED)
           UPDATE outbox_event e
              SET locked_until = now() + make_interval(secs => $3::double precision / 1000),
                  attempts = e.attempts + 1
             FROM due WHERE e.id = due.id
           RETURNING e.id::text AS id, e.tenant_id, e.topic, e.dedupe_key, e.payload, e.attempts,
                     e.created_at, e.locked_until::text AS lease,
                     (SELECT t.slug FROM tenant t WHERE t.id = e.tenant_id) AS tenant_slug`,
          [topics, limit, leaseMs, maxAttempts],
        ),
      ]);
      return returnedRows<ClaimRow>(claimed);
    });
    return rows
      .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))
      .map((r) => ({
        lease: r.lease,
        tenantSlug: r.tenant_slug,
        event: {
          id: r.id,
          tenantId: r.tenant_id,
          topic: r.topic,
          dedupeKey: r.dedupe_key,
          payload:
            typeof r.payload === 'string' ? (JSON.parse(r.payload) as OutboxPayload) : r.payload,
          attempts: Number(r.attempts),
          createdAt: new Date(r.created_at),
        },
      }));
  }

  /**
   * Records deliveries (a batch's, in one statement). Not fenced by the lease: if this worker's
   * lease had expired and another worker is delivering the event again, the event *was*
   * delivered, and the other worker's outcome will find nothing left to record.
   */
  async delivered(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // Start, statement and commit leave in one write (TenantDb.commitWith).
    await this.db.maintenance((em) =>
      this.db.commitWith(
        em,
        `UPDATE outbox_event SET status = 'DELIVERED', delivered_at = now(), locked_until = NULL
          WHERE id = ANY($1::bigint[]) AND status = 'PENDING'`,
        [ids],
      ),
    );
  }

  /**
   * Records a failed attempt: PENDING again after `delayMs`, or FAILED when the attempts are
   * used up. Fenced by the claim's lease, so a worker that overran its lease cannot push back an
   * event another worker has since claimed (or delivered).
   * @returns the new status, or null when the lease was no longer this worker's.
   */
  async fail(
    claimed: Claimed,
    error: string,
    delayMs: number,
    maxAttempts: number,
  ): Promise<OutboxStatus | null> {
    const rows = await this.db.maintenance(async (em) =>
      returnedRows<{ status: OutboxStatus }>(
        await em.query(
          `UPDATE outbox_event
              SET status = CASE WHEN attempts >= $3 THEN 'FAILED' ELSE 'PENDING' END,
                  next_attempt_at = now() + make_interval(secs => $4::double precision / 1000),
                  last_error = $5, locked_until = NULL
            WHERE id = $1 AND status = 'PENDING' AND locked_until = $2::timestamptz
           RETURNING status`,
          [claimed.event.id, claimed.lease, maxAttempts, delayMs, error.slice(0, MAX_ERROR_LENGTH)],
        ),
      ),
    );
    return rows[0]?.status ?? null;
  }

  /** Events by status and tenant slug, newest first. */
  async list(
    filter: { status?: OutboxStatus; tenant?: string; limit?: number } = {},
  ): Promise<OutboxRecord[]> {
    const rows = await this.db.maintenance(
      (em) =>
        em.query(
          `SELECT e.id::text AS id, e.tenant_id, t.slug, e.topic, e.dedupe_key, e.status, e.attempts,
                  e.next_attempt_at, e.locked_until, e.last_error, e.created_at, e.delivered_at
             FROM outbox_event e JOIN tenant t ON t.id = e.tenant_id
            WHERE ($1::text IS NULL OR e.status = $1) AND ($2::text IS NULL OR t.slug = $2)
            ORDER BY e.id DESC LIMIT $3`,
          [filter.status ?? null, filter.tenant ?? null, filter.limit ?? 100],
        ) as Promise<RecordRow[]>,
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      tenantSlug: r.slug,
      topic: r.topic,
      dedupeKey: r.dedupe_key,
      status: r.status,
      attempts: Number(r.attempts),
      nextAttemptAt: new Date(r.next_attempt_at),
      lockedUntil: r.locked_until ? new Date(r.locked_until) : null,
      lastError: r.last_error,
      createdAt: new Date(r.created_at),
      deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
    }));
  }

  /**
   * Makes events due now with a fresh set of attempts: the given ids (FAILED or PENDING;
   * DELIVERED ones are left alone), or every FAILED event (of one tenant, by slug).
   * @returns the ids that were reset.
   */
  async retry(
    target: { ids: readonly string[] } | { failed: true; tenant?: string },
  ): Promise<string[]> {
    const ids = 'ids' in target ? target.ids : null;
    if (ids)
      for (const id of ids)
        if (!/^\d{1,19}$/.test(id)) throw new OutboxInputError(`Not an outbox event id: "${id}"`);
    const tenant = 'failed' in target ? (target.tenant ?? null) : null;
    const rows = await this.db.maintenance(async (em) =>
      returnedRows<{ id: string }>(
        await em.query(
          `UPDATE outbox_event e SET status = 'PENDING', attempts = 0, next_attempt_at = now(), locked_until = NULL
             FROM tenant t
            WHERE t.id = e.tenant_id
              -- an event being delivered right now keeps its lease: no second concurrent delivery
              AND (e.locked_until IS NULL OR e.locked_until <= now())
              AND (CASE WHEN $1::bigint[] IS NULL THEN e.status = 'FAILED' AND ($2::text IS NULL OR t.slug = $2)
                        ELSE e.id = ANY($1::bigint[]) AND e.status IN ('FAILED', 'PENDING') END)
           RETURNING e.id::text AS id`,
          [ids, tenant],
        ),
      ),
    );
    return rows.map((r) => r.id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
  }
}

/** Bad operator input (an id that is not one); the CLI prints the message. */
export class OutboxInputError extends Error {
  override name = 'OutboxInputError';
}
