-- Up Migration
-- An append in one round trip: lock (or create) the stream, refuse ids already stored, a closed
-- stream or a wrong expected version, chain the hashes, store the events, advance the stream
-- and wake the followers. Measured on 2 cores, one statement per append is what keeps pace at
-- 16 writers; BEGIN / lock / insert / update / COMMIT from the client was five round trips.
--
-- The hash chain is computed here, under the stream's row lock, because only here is the
-- version known: hash = SHA-256(previous hash ‖ canonical JSON of the event), the canonical JSON
-- built from the very text stored (json keeps the client's canonical text as given), exactly as
-- hash-chain.ts builds it when a stream is verified. The client sends the few strings that need
-- JSON escaping (stream id, types) already escaped, so that no escaping rules are duplicated.
--
-- Waking followers: NOTIFY is delivered at commit, so a woken follower finds the events
-- committed; followers still read only below the transaction horizon and poll when no NOTIFY
-- comes, so a wake-up is only ever early, never required. But a transaction that notifies
-- holds a cluster-wide lock from just before its commit until the commit is flushed, so
-- notifying appends commit one at a time, never in a group: measured here with pgbench at 16
-- clients, 1,380 appends/s with a NOTIFY in each against 4,390/s without. So the adapter asks
-- for it (p_notify) only when the append runs in the caller's own transaction, whose commit it
-- cannot see; otherwise it announces appends itself once they have committed, at most once
-- every few milliseconds per process (postgres/append-announcer.ts).
--
-- Errors the adapter maps (SQLSTATE class RB is this project's own):
--   RB001 wrong expected version (DETAIL = the stream's actual version)
--   RB002 some of these event ids are already stored (the caller checks for an idempotent retry)
--   RB003 the stream is soft-closed
CREATE FUNCTION append_to_stream(
  p_stream_id   text,
  p_category    text,
  -- 'any', 'no-stream', 'stream-exists' or an exact version number
  p_expected    text,
  p_event_ids   uuid[],
  p_types       text[],
  -- canonical JSON text, stored and hashed as given
  p_data        json[],
  p_metadata    json[],
  -- JSON.stringify(type) of each event, and of the stream id
  p_types_json  text[],
  p_stream_json text,
  -- the recorded time as toISOString() wrote it: hashed as this text
  p_recorded_at text,
  -- NOTIFY in this transaction? See "Waking followers" above.
  p_notify      boolean,
  OUT new_version integer,
  OUT positions   bigint[]
) LANGUAGE plpgsql AS $$
DECLARE
  v_count   integer := cardinality(p_event_ids);
  v_version integer;
  v_hash    bytea;
  v_closed  boolean;
  v_created boolean;
  v_hashes  bytea[];
BEGIN
  LOOP
    SELECT s.version, s.last_hash, s.closed INTO v_version, v_hash, v_closed
      FROM streams s WHERE s.stream_id = p_stream_id FOR UPDATE;
    v_created := NOT FOUND;
    IF v_created THEN
      v_version := 0;
      v_hash := decode(repeat('00', 32), 'hex');
      v_closed := false;
    END IF;

    IF v_closed OR NOT (p_expected = 'any'
                        OR (p_expected = 'no-stream' AND v_version = 0)
                        OR (p_expected = 'stream-exists' AND v_version > 0)
                        OR p_expected = v_version::text) THEN
      -- A retried append must come back as a retry even if the stream moved on (or closed)
      -- since. Looked for only here: on the way to success the unique index on event_id
      -- catches a reused id by itself (23505), one index probe per event cheaper.
      IF EXISTS (SELECT 1 FROM events e WHERE e.event_id = ANY (p_event_ids)) THEN
        RAISE EXCEPTION 'some of these event ids are already stored' USING ERRCODE = 'RB002';
      END IF;
      IF v_closed THEN
        RAISE EXCEPTION 'stream % is closed', p_stream_id USING ERRCODE = 'RB003';
      END IF;
      RAISE EXCEPTION 'stream % is at version %, expected %', p_stream_id, v_version, p_expected
        USING ERRCODE = 'RB001', DETAIL = v_version::text;
    END IF;

    v_hashes := ARRAY[]::bytea[];
    FOR i IN 1 .. v_count LOOP
      v_hash := sha256(v_hash || convert_to(
        '{"data":' || p_data[i]::text || ',"eventId":"' || p_event_ids[i]::text ||
        '","metadata":' || p_metadata[i]::text || ',"recordedAt":"' || p_recorded_at ||
        '","streamId":' || p_stream_json || ',"streamVersion":' || (v_version + i)::text ||
        ',"type":' || p_types_json[i] || '}', 'UTF8'));
      v_hashes := v_hashes || v_hash;
    END LOOP;

    IF NOT v_created THEN
      UPDATE streams
        SET version = v_version + v_count, last_hash = v_hash, updated_at = p_recorded_at::timestamptz
        WHERE stream_id = p_stream_id;
      EXIT;
    END IF;
    INSERT INTO streams (stream_id, category, version, last_hash, created_at, updated_at)
      VALUES (p_stream_id, p_category, v_count, v_hash, p_recorded_at::timestamptz,
              p_recorded_at::timestamptz)
      ON CONFLICT (stream_id) DO NOTHING;
    EXIT WHEN FOUND;
    -- Another transaction created the stream meanwhile: start over, under its row lock.
  END LOOP;

  WITH inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, hash)
    SELECT e.id, p_stream_id, v_version + e.n, e.t, e.d, e.m, p_recorded_at::timestamptz, v_hashes[e.n]
      FROM unnest(p_event_ids, p_types, p_data, p_metadata) WITH ORDINALITY AS e (id, t, d, m, n)
    RETURNING events.stream_version AS v, events.global_position AS p
  )
  SELECT array_agg(i.p ORDER BY i.v) INTO positions FROM inserted i;
  new_version := v_version + v_count;

  IF p_notify THEN
    PERFORM pg_notify('event_store_appended', '');
  END IF;
END
$$;

-- Down Migration
DROP FUNCTION append_to_stream(text, text, text, uuid[], text[], json[], json[], text[], text, text, boolean);
