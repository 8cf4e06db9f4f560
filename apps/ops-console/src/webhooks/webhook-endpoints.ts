import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

/** One webhook endpoint as operators see it: its state, backlog and recent attempts. */
export interface WebhookEndpoint {
  subscriptionId: string;
  agencyId: string;
  url: string;
  origin: string;
  status: string;
  circuitOpenUntil: string | null;
  pending: number;
  parked: number;
  oldestUndeliveredSeconds: number;
  /** Attempts in the last five minutes, by outcome. */
  deliveredLast5m: number;
  failedLast5m: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
}

/**
 * The webhook tables the publisher keeps (migration 1764345600150), read for the console: the
 * console is an app of its own and reads them as it reads other shared tables. Re-driving goes
 * through the agency API, which operators may use (`POST .../deliveries/redrive`).
 */
@Injectable()
export class WebhookEndpoints {
  constructor(private readonly pool: Pool) {}

  async list(): Promise<WebhookEndpoint[]> {
    const { rows } = await this.pool.query<{
      id: string;
      agency_id: string;
      url: string;
      origin: string;
      status: string;
      circuit_open_until: Date | null;
      pending: string;
      parked: string;
      oldest_seconds: number | null;
      delivered_5m: string;
      failed_5m: string;
      last_success_at: Date | null;
      last_failure_at: Date | null;
    }>(
      `SELECT s.id, s.agency_id, s.url, s.origin, s.status,
              CASE WHEN s.circuit_open_until > now() THEN s.circuit_open_until END AS circuit_open_until,
              s.last_success_at, s.last_failure_at,
              (SELECT count(*) FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending,
              (SELECT count(*) FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.state = 'parked') AS parked,
              (SELECT extract(epoch FROM now() - min(d.created_at))::float8 FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.state <> 'delivered') AS oldest_seconds,
              (SELECT count(*) FROM webhook_deliveries d
                WHERE d.subscription_id = s.id AND d.state = 'delivered'
                  AND d.delivered_at > now() - interval '5 minutes') AS delivered_5m,
              (SELECT count(*) FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id
                WHERE d.subscription_id = s.id AND a.started_at > now() - interval '5 minutes'
                  AND (a.status IS NULL OR a.status NOT BETWEEN 200 AND 299)) AS failed_5m
       FROM webhook_subscriptions s
       ORDER BY s.agency_id, s.created_at, s.id`,
    );
    return rows.map((row) => ({
      subscriptionId: row.id,
      agencyId: row.agency_id,
      url: row.url,
      origin: row.origin,
      status: row.status,
      circuitOpenUntil: row.circuit_open_until?.toISOString() ?? null,
      pending: Number(row.pending),
      parked: Number(row.parked),
      oldestUndeliveredSeconds: row.oldest_seconds ?? 0,
      deliveredLast5m: Number(row.delivered_5m),
      failedLast5m: Number(row.failed_5m),
      lastSuccessAt: row.last_success_at?.toISOString() ?? null,
      lastFailureAt: row.last_failure_at?.toISOString() ?? null,
    }));
  }
}
