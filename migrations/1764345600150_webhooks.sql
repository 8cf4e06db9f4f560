-- Up Migration
-- Webhook subscriptions (CONTRACT §8), their signing secrets and their deliveries. Shared by
-- every instance: the log-following cursor of each subscription, the circuit breaker of each
-- endpoint and each delivery's state live here, never in a process's memory, so deliveries
-- survive a restart and two instances never both hold the same delivery.
CREATE TABLE webhook_subscriptions (
  id                    text PRIMARY KEY,
  agency_id             text NOT NULL,
  url                   text NOT NULL,
  -- The event types wanted; NULL for every event of the agency's inbox.
  types                 text[],
  -- 'api': made by the agency over HTTP; 'directory': declared in the directory file.
  origin                text NOT NULL CHECK (origin IN ('api', 'directory')),
  -- 'failing' once a delivery was parked, until the parked ones are delivered or re-driven.
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
  created_at            timestamptz NOT NULL DEFAULT now(),
  -- Where in the store's global log this subscription has queued deliveries up to (inclusive).
  after_transaction_id  xid8 NOT NULL,
  after_global_position bigint NOT NULL,
  -- The endpoint's circuit breaker: open (no attempts) until circuit_open_until.
  consecutive_failures  integer NOT NULL DEFAULT 0,
  circuit_open_until    timestamptz,
  last_success_at       timestamptz,
  last_failure_at       timestamptz
);
CREATE INDEX webhook_subscriptions_by_agency ON webhook_subscriptions (agency_id, created_at);

-- Signing secrets, sealed under the master keyring (AES-256-GCM, bound to the subscription and
-- secret id): a copy of this table signs nothing. Several at once during a rotation.
CREATE TABLE webhook_secrets (
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  secret_id        integer NOT NULL,
  master_key_id    text NOT NULL,
  sealed           bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- NULL while current; a rotated-out secret signs beside the new one until then.
  expires_at       timestamptz,
  PRIMARY KEY (subscription_id, secret_id)
);

-- One row per event per subscription. The event is kept as the store holds it (personal data
-- sealed), so erasure reaches it too; it is opened only to be sent.
CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  subscription_id  text NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id         uuid NOT NULL,
  stream_id        text NOT NULL,
  event_type       text NOT NULL,
  event            jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'parked')),
  attempts         integer NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL DEFAULT now(),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- Held by an instance sending it until then; a crashed sender's lease runs out.
  lease_until      timestamptz,
  last_attempt_at  timestamptz,
  delivered_at     timestamptz,
  last_status      integer,
  last_error       text,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due
  ON webhook_deliveries (subscription_id, next_attempt_at) WHERE state = 'pending';
-- The earlier, unfinished deliveries of a stream: a later one waits for them.
CREATE INDEX webhook_deliveries_unfinished_by_stream
  ON webhook_deliveries (subscription_id, stream_id, id) WHERE state <> 'delivered';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id DESC);

-- Each attempt: what the receiver answered, in at most a short excerpt.
CREATE TABLE webhook_attempts (
  delivery_id      bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  started_at       timestamptz NOT NULL,
  duration_ms      integer NOT NULL,
  status           integer,
  error            text,
  response_excerpt text,
  PRIMARY KEY (delivery_id, attempt)
);

-- Down Migration
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_secrets;
DROP TABLE webhook_subscriptions;
