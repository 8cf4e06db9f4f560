import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import type { LogPosition, StoredEvent } from '@backbone/event-store';
import { inTransaction } from '@backbone/database';

/** A delivery claimed by this instance for one attempt. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  event: StoredEvent;
  /** This attempt's number, from 1. */
  attempt: number;
  queuedAt: Date;
}

/** What one attempt came to. */
export interface AttemptResult {
  startedAt: Date;
  durationMs: number;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why it failed without an answer, or why the answer was not a success. */
  error?: string;
  /** At most the first bytes of the receiver's answer. */
  excerpt?: string;
}

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  eventType: string;
  subject: string;
  state: 'pending' | 'delivered' | 'parked';
  attempts: number;
  queuedAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastResponseExcerpt: string | null;
}

export interface EndpointBacklog {
  subscriptionId: string;
  agencyId: string;
  status: 'active' | 'failing';
  circuitOpen: boolean;
  pending: number;
  parked: number;
  /** Seconds since the oldest delivery not yet made was queued; 0 when none waits. */
  oldestUndeliveredSeconds: number;
}

/**
 * Queuing and attempt outcomes need not wait for the disk: should PostgreSQL crash, the last of
 * them are lost whole and done again (re-queued from the older cursor, or the attempt made
 * again), which at-least-once delivery allows. Re-driving and subscriptions wait as usual.
 */
const RECOVERABLE = { synchronousCommit: false };

export interface BreakerSettings {
  threshold: number;
  cooldownMs: number;
}

/**
 * Deliveries in PostgreSQL, one row per event per subscription. Every instance sends: a
 * delivery is claimed with FOR UPDATE SKIP LOCKED and a lease, so two instances never hold the
 * same one, and a crashed instance's lease runs out for another to take over.
 */
@Injectable()
export class WebhookDeliveries {
  constructor(private readonly pool: Pool) {}

  /**
   * Queues the subscription's next events and moves its cursor past them. The events are read
   * before any transaction starts: holding the subscription's row while the read waits for a
   * connection of the same pool froze the whole process under load (every other connection
   * taken by attempts waiting for that row). The cursor then moves only from where the read
   * began (and only if the subscribed types are still the ones read for), so a queuer that lost
   * a race queues nothing and reads again; `(subscription, event)` is unique besides.
   */
  async queue(
    subscriptionId: string,
    read: (
      after: LogPosition,
      types: string[] | null,
    ) => Promise<{ events: StoredEvent[]; nextPosition: LogPosition }>,
  ): Promise<number> {
    const { rows } = await this.pool.query<{
      transaction_id: string;
      global_position: string;
      types: string[] | null;
    }>(
      `SELECT after_transaction_id::text AS transaction_id,
              after_global_position::text AS global_position, types
       FROM webhook_subscriptions WHERE id = $1`,
      [subscriptionId],
    );
    if (!rows.length) return 0;
    const [cursor] = rows;
    const page = await read(
      { transactionId: cursor.transaction_id, globalPosition: cursor.global_position },
      cursor.types,
    );
    const wanted = cursor.types
      ? page.events.filter((e) => cursor.types!.includes(e.type))
      : page.events;
    return inTransaction(
      this.pool,
      async (client) => {
        const moved = await client.query(
          `UPDATE webhook_subscriptions
           SET after_transaction_id = $4::xid8, after_global_position = $5::bigint
           WHERE id = $1 AND after_transaction_id = $2::xid8
             AND after_global_position = $3::bigint AND types IS NOT DISTINCT FROM $6::text[]`,
          [
            subscriptionId,
            cursor.transaction_id,
            cursor.global_position,
            page.nextPosition.transactionId,
            page.nextPosition.globalPosition,
            cursor.types,
          ],
        );
        if (!moved.rowCount || !wanted.length) return 0;
        await client.query(
          `INSERT INTO webhook_deliveries (subscription_id, event_id, stream_id, event_type, event)
           SELECT $1, e.event_id, e.stream_id, e.event_type, e.event
           FROM jsonb_to_recordset($2::jsonb)
             AS e(ord int, event_id uuid, stream_id text, event_type text, event jsonb)
           ORDER BY e.ord
           ON CONFLICT (subscription_id, event_id) DO NOTHING`,
          [
            subscriptionId,
            JSON.stringify(
              wanted.map((event, ord) => ({
                ord,
                event_id: event.eventId,
                stream_id: event.streamId,
                event_type: event.type,
                event,
              })),
            ),
          ],
        );
        return wanted.length;
      },
      RECOVERABLE,
    );
  }

  /** Subscriptions with a delivery due now and a closed (or resting-over) circuit. */
  async dueSubscriptions(breaker: BreakerSettings): Promise<{ id: string; probing: boolean }[]> {
    const { rows } = await this.pool.query<{ id: string; probing: boolean }>(
      `SELECT s.id, s.consecutive_failures >= $1 AS probing
       FROM webhook_subscriptions s
       WHERE (s.circuit_open_until IS NULL OR s.circuit_open_until <= now())
         AND EXISTS (
           SELECT 1 FROM webhook_deliveries d
           WHERE d.subscription_id = s.id AND d.state = 'pending' AND d.next_attempt_at <= now()
             AND (d.lease_until IS NULL OR d.lease_until < now()))`,
      [breaker.threshold],
    );
    return rows;
  }

  /**
   * Claims up to `limit` due deliveries of one subscription, each the earliest unfinished one of
   * its stream: a later event of a referral waits until the earlier ones are delivered (a
   * parked one holds its stream until re-driven), while other referrals go on.
   */
  async claim(subscriptionId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const { rows } = await this.pool.query<{
      id: string;
      subscription_id: string;
      event_id: string;
      event: StoredEvent;
      attempts: number;
      created_at: Date;
    }>(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.subscription_id = $1 AND d.state = 'pending' AND d.next_attempt_at <= now()
           AND (d.lease_until IS NULL OR d.lease_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.subscription_id = d.subscription_id AND e.stream_id = d.stream_id
               AND e.id < d.id AND e.state <> 'delivered')
         ORDER BY d.id
         LIMIT $2
         FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d
       SET lease_until = now() + make_interval(secs => $3::float8 / 1000),
           attempts = d.attempts + 1, last_attempt_at = now()
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.subscription_id, d.event_id, d.event, d.attempts, d.created_at`,
      [subscriptionId, limit, leaseMs],
    );
    return rows
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((row) => ({
        id: row.id,
        subscriptionId: row.subscription_id,
        eventId: row.event_id,
        event: row.event,
        attempt: row.attempts,
        queuedAt: row.created_at,
      }));
  }

  /** A made delivery: its attempt, its state and the endpoint's breaker in one statement. */
  async recordSuccess(delivery: ClaimedDelivery, result: AttemptResult): Promise<void> {
    await inTransaction(
      this.pool,
      (client) =>
        client.query(
          `WITH attempt AS (
             INSERT INTO webhook_attempts
               (delivery_id, attempt, started_at, duration_ms, status, response_excerpt)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (delivery_id, attempt) DO NOTHING
           ), made AS (
             UPDATE webhook_deliveries
             SET state = 'delivered', delivered_at = now(), lease_until = NULL,
                 last_status = $5, last_error = NULL
             WHERE id = $1 AND state = 'pending'
             RETURNING subscription_id
           )
           UPDATE webhook_subscriptions s
           SET consecutive_failures = 0, circuit_open_until = NULL, last_success_at = now(),
               status = CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries p
                                          WHERE p.subscription_id = s.id AND p.state = 'parked')
                             THEN s.status ELSE 'active' END
           FROM made
           WHERE s.id = made.subscription_id
             AND (s.consecutive_failures <> 0 OR s.circuit_open_until IS NOT NULL
                  OR s.status <> 'active' OR s.last_success_at IS NULL
                  OR s.last_success_at < now() - interval '1 second')`,
          [
            delivery.id,
            delivery.attempt,
            result.startedAt,
            Math.round(result.durationMs),
            result.status ?? null,
            result.excerpt ?? null,
          ],
        ),
      RECOVERABLE,
    );
  }

  /**
   * A failed attempt: retried at `retryAt`, or parked (and the subscription marked failing)
   * without one. Failures in a row open the endpoint's circuit for the cool-off.
   */
  async recordFailure(
    delivery: ClaimedDelivery,
    result: AttemptResult,
    retryAt: Date | undefined,
    breaker: BreakerSettings,
  ): Promise<void> {
    await inTransaction(
      this.pool,
      async (client) => {
        await this.recordAttempt(client, delivery, result);
        await client.query(
          `UPDATE webhook_deliveries
         SET state = CASE WHEN $2::timestamptz IS NULL THEN 'parked' ELSE 'pending' END,
             next_attempt_at = coalesce($2::timestamptz, next_attempt_at), lease_until = NULL,
             last_status = $3, last_error = $4
         WHERE id = $1 AND state = 'pending' AND attempts = $5`,
          [
            delivery.id,
            retryAt ?? null,
            result.status ?? null,
            result.error ?? null,
            delivery.attempt,
          ],
        );
        await client.query(
          `UPDATE webhook_subscriptions
         SET consecutive_failures = consecutive_failures + 1, last_failure_at = now(),
             circuit_open_until = CASE WHEN consecutive_failures + 1 >= $2
               THEN now() + make_interval(secs => $3::float8 / 1000) ELSE NULL END,
             status = CASE WHEN $4 THEN 'failing' ELSE status END
         WHERE id = $1`,
          [delivery.subscriptionId, breaker.threshold, breaker.cooldownMs, retryAt === undefined],
        );
      },
      RECOVERABLE,
    );
  }

  /** The subscription's deliveries, newest first, `before` a delivery id for the next page. */
  async log(
    subscriptionId: string,
    limit: number,
    before?: string,
    state?: string,
  ): Promise<DeliveryLogEntry[]> {
    const { rows } = await this.pool.query<{
      id: string;
      event_id: string;
      event_type: string;
      stream_id: string;
      state: DeliveryLogEntry['state'];
      attempts: number;
      created_at: Date;
      next_attempt_at: Date;
      delivered_at: Date | null;
      last_status: number | null;
      last_error: string | null;
      response_excerpt: string | null;
    }>(
      `SELECT d.id, d.event_id, d.event_type, d.stream_id, d.state, d.attempts, d.created_at,
              d.next_attempt_at, d.delivered_at, d.last_status, d.last_error,
              (SELECT a.response_excerpt FROM webhook_attempts a
                WHERE a.delivery_id = d.id ORDER BY a.attempt DESC LIMIT 1) AS response_excerpt
       FROM webhook_deliveries d
       WHERE d.subscription_id = $1 AND ($3::bigint IS NULL OR d.id < $3::bigint)
         AND ($4::text IS NULL OR d.state = $4::text)
       ORDER BY d.id DESC LIMIT $2`,
      [subscriptionId, limit, before ?? null, state ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      subject: row.stream_id.slice(row.stream_id.indexOf('-') + 1),
      state: row.state,
      attempts: row.attempts,
      queuedAt: row.created_at.toISOString(),
      nextAttemptAt: row.state === 'pending' ? row.next_attempt_at.toISOString() : null,
      deliveredAt: row.delivered_at?.toISOString() ?? null,
      lastStatus: row.last_status,
      lastError: row.last_error,
      lastResponseExcerpt: row.response_excerpt,
    }));
  }

  /**
   * Parked deliveries back to pending, due now, with a fresh retry window; the circuit closed
   * and the subscription active again. How many were re-driven.
   */
  async redrive(subscriptionId: string): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE webhook_deliveries
         SET state = 'pending', next_attempt_at = now(), created_at = now(), lease_until = NULL
         WHERE subscription_id = $1 AND state = 'parked'`,
        [subscriptionId],
      );
      await client.query(
        `UPDATE webhook_subscriptions
         SET status = 'active', consecutive_failures = 0, circuit_open_until = NULL WHERE id = $1`,
        [subscriptionId],
      );
      return rowCount ?? 0;
    });
  }

  /**
   * Forgets deliveries made longer ago than `retentionMs` (their attempts go with them): the
   * log shows recent ones, and a made delivery no longer holds its stream's order.
   */
  async forgetDeliveredBefore(retentionMs: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM webhook_deliveries
       WHERE state = 'delivered' AND delivered_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [retentionMs],
    );
    return rowCount ?? 0;
  }

  /** Per endpoint: what waits, what is parked, and how long the oldest has waited. */
  async backlog(): Promise<EndpointBacklog[]> {
    const { rows } = await this.pool.query<{
      id: string;
      agency_id: string;
      status: 'active' | 'failing';
      circuit_open: boolean;
      pending: string;
      parked: string;
      oldest_seconds: number | null;
    }>(
      `SELECT s.id, s.agency_id, s.status,
              coalesce(s.circuit_open_until > now(), false) AS circuit_open,
              count(*) FILTER (WHERE d.state = 'pending') AS pending,
              count(*) FILTER (WHERE d.state = 'parked') AS parked,
              extract(epoch FROM now() - min(d.created_at)
                FILTER (WHERE d.state <> 'delivered'))::float8 AS oldest_seconds
       FROM webhook_subscriptions s
       LEFT JOIN webhook_deliveries d ON d.subscription_id = s.id AND d.state <> 'delivered'
       GROUP BY s.id ORDER BY s.agency_id, s.id`,
    );
    return rows.map((row) => ({
      subscriptionId: row.id,
      agencyId: row.agency_id,
      status: row.status,
      circuitOpen: row.circuit_open,
      pending: Number(row.pending),
      parked: Number(row.parked),
      oldestUndeliveredSeconds: row.oldest_seconds ?? 0,
    }));
  }

  private async recordAttempt(
    client: { query: Pool['query'] },
    delivery: ClaimedDelivery,
    result: AttemptResult,
  ): Promise<void> {
    await client.query(
      `INSERT INTO webhook_attempts
         (delivery_id, attempt, started_at, duration_ms, status, error, response_excerpt)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [
        delivery.id,
        delivery.attempt,
        result.startedAt,
        Math.round(result.durationMs),
        result.status ?? null,
        result.error ?? null,
        result.excerpt ?? null,
      ],
    );
  }
}
