import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { MasterKeyring } from '@backbone/data-protection';
import { inTransaction } from '@backbone/database';
import { openSecret, sealSecret } from './webhook-secrets';

export type SubscriptionOrigin = 'api' | 'directory';

export interface WebhookSubscription {
  id: string;
  agencyId: string;
  url: string;
  /** The event types wanted; every type of the inbox when absent. */
  types: string[] | null;
  origin: SubscriptionOrigin;
  status: 'active' | 'failing';
  createdAt: string;
  circuitOpenUntil: string | null;
  consecutiveFailures: number;
  pending: number;
  parked: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
}

interface SubscriptionRow {
  id: string;
  agency_id: string;
  url: string;
  types: string[] | null;
  origin: SubscriptionOrigin;
  status: 'active' | 'failing';
  created_at: Date;
  circuit_open_until: Date | null;
  consecutive_failures: number;
  pending: string;
  parked: string;
  last_success_at: Date | null;
  last_failure_at: Date | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

const toSubscription = (row: SubscriptionRow): WebhookSubscription => ({
  id: row.id,
  agencyId: row.agency_id,
  url: row.url,
  types: row.types,
  origin: row.origin,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  circuitOpenUntil: iso(row.circuit_open_until),
  consecutiveFailures: row.consecutive_failures,
  pending: Number(row.pending),
  parked: Number(row.parked),
  lastSuccessAt: iso(row.last_success_at),
  lastFailureAt: iso(row.last_failure_at),
});

const SELECT_SUBSCRIPTIONS = `
  SELECT s.id, s.agency_id, s.url, s.types, s.origin, s.status, s.created_at,
         s.circuit_open_until, s.consecutive_failures, s.last_success_at, s.last_failure_at,
         (SELECT count(*) FROM webhook_deliveries d
           WHERE d.subscription_id = s.id AND d.state = 'pending') AS pending,
         (SELECT count(*) FROM webhook_deliveries d
           WHERE d.subscription_id = s.id AND d.state = 'parked') AS parked
  FROM webhook_subscriptions s`;

export const newSubscriptionId = (): string => `wh_${randomBytes(12).toString('base64url')}`;

export interface NewSubscription {
  id: string;
  agencyId: string;
  url: string;
  types: string[] | null;
  origin: SubscriptionOrigin;
  secret: string;
}

/** Webhook subscriptions and their sealed secrets, in PostgreSQL. */
@Injectable()
export class WebhookSubscriptions {
  constructor(
    private readonly pool: Pool,
    private readonly keyring: MasterKeyring,
  ) {}

  /**
   * A new subscription, following the log from now: its cursor starts below every transaction
   * still running, so an event committed after this returns is delivered (and a few committed
   * just before may be too: at least once).
   */
  async create(subscription: NewSubscription): Promise<WebhookSubscription> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO webhook_subscriptions
           (id, agency_id, url, types, origin, after_transaction_id, after_global_position)
         VALUES ($1, $2, $3, $4, $5, pg_snapshot_xmin(pg_current_snapshot()), 0)`,
        [
          subscription.id,
          subscription.agencyId,
          subscription.url,
          subscription.types,
          subscription.origin,
        ],
      );
      await this.insertSecret(client, subscription.id, 1, subscription.secret);
    });
    return (await this.get(subscription.agencyId, subscription.id))!;
  }

  async list(agencyId: string): Promise<WebhookSubscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `${SELECT_SUBSCRIPTIONS} WHERE s.agency_id = $1 ORDER BY s.created_at, s.id`,
      [agencyId],
    );
    return rows.map(toSubscription);
  }

  /** Every subscription, for operators and metrics. */
  async all(): Promise<WebhookSubscription[]> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `${SELECT_SUBSCRIPTIONS} ORDER BY s.agency_id, s.created_at, s.id`,
    );
    return rows.map(toSubscription);
  }

  async get(agencyId: string, id: string): Promise<WebhookSubscription | undefined> {
    const { rows } = await this.pool.query<SubscriptionRow>(
      `${SELECT_SUBSCRIPTIONS} WHERE s.agency_id = $1 AND s.id = $2`,
      [agencyId, id],
    );
    return rows[0] && toSubscription(rows[0]);
  }

  /** Every subscription's id and agency: what the queuer follows the log for. */
  async followed(): Promise<{ id: string; agencyId: string }[]> {
    const { rows } = await this.pool.query<{ id: string; agency_id: string }>(
      'SELECT id, agency_id FROM webhook_subscriptions ORDER BY id',
    );
    return rows.map((row) => ({ id: row.id, agencyId: row.agency_id }));
  }

  /** Where a subscription sends, read per attempt (it may have changed or gone). */
  async endpoint(id: string): Promise<{ id: string; agencyId: string; url: string } | undefined> {
    const { rows } = await this.pool.query<{ id: string; agency_id: string; url: string }>(
      'SELECT id, agency_id, url FROM webhook_subscriptions WHERE id = $1',
      [id],
    );
    return rows[0] && { id: rows[0].id, agencyId: rows[0].agency_id, url: rows[0].url };
  }

  /** Removes the subscription with its deliveries and secrets; whether it existed. */
  async delete(agencyId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM webhook_subscriptions WHERE agency_id = $1 AND id = $2',
      [agencyId, id],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Puts `secret` in force; the secrets in force before it keep signing beside it for
   * `graceMs`, so receivers can change over without missing a delivery.
   */
  async rotate(id: string, secret: string, graceMs: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // Locks the subscription: two rotations at once take ids one after the other.
      await client.query('SELECT 1 FROM webhook_subscriptions WHERE id = $1 FOR UPDATE', [id]);
      await client.query(
        `UPDATE webhook_secrets
         SET expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => $2::float8 / 1000))
         WHERE subscription_id = $1`,
        [id, graceMs],
      );
      const { rows } = await client.query<{ next: number }>(
        'SELECT coalesce(max(secret_id), 0) + 1 AS next FROM webhook_secrets WHERE subscription_id = $1',
        [id],
      );
      await this.insertSecret(client, id, rows[0].next, secret);
      await client.query(
        'DELETE FROM webhook_secrets WHERE subscription_id = $1 AND expires_at <= now()',
        [id],
      );
    });
  }

  /** The secrets that sign a delivery now, newest first. */
  async secretsInForce(id: string): Promise<string[]> {
    const { rows } = await this.pool.query<{
      secret_id: number;
      master_key_id: string;
      sealed: Buffer;
    }>(
      `SELECT secret_id, master_key_id, sealed FROM webhook_secrets
       WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now())
       ORDER BY secret_id DESC`,
      [id],
    );
    return rows.map((row) =>
      openSecret(this.keyring, id, row.secret_id, {
        masterKeyId: row.master_key_id,
        wrapped: row.sealed,
      }),
    );
  }

  /** The directory's subscriptions of every agency, made or brought up to date; others removed. */
  async syncFromDirectory(
    declared: {
      id: string;
      agencyId: string;
      url: string;
      types: string[] | null;
      secret: string;
    }[],
    graceMs: number,
  ): Promise<void> {
    for (const entry of declared) {
      const existing = await this.get(entry.agencyId, entry.id);
      if (!existing) {
        await this.create({ ...entry, origin: 'directory' });
        continue;
      }
      await this.pool.query(
        `UPDATE webhook_subscriptions SET url = $2, types = $3 WHERE id = $1 AND origin = 'directory'`,
        [entry.id, entry.url, entry.types],
      );
      const [current] = await this.secretsInForce(entry.id);
      if (current !== entry.secret) await this.rotate(entry.id, entry.secret, graceMs);
    }
    await this.pool.query(
      `DELETE FROM webhook_subscriptions WHERE origin = 'directory' AND NOT (id = ANY($1::text[]))`,
      [declared.map(({ id }) => id)],
    );
  }

  private async insertSecret(
    client: PoolClient,
    subscriptionId: string,
    secretId: number,
    secret: string,
  ): Promise<void> {
    const sealed = sealSecret(this.keyring, subscriptionId, secretId, secret);
    await client.query(
      `INSERT INTO webhook_secrets (subscription_id, secret_id, master_key_id, sealed)
       VALUES ($1, $2, $3, $4)`,
      [subscriptionId, secretId, sealed.masterKeyId, sealed.wrapped],
    );
  }
}
