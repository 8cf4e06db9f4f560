// The named queries of the PostgreSQL event store. Parameters are always bound, never spliced.

/** Creates the stream row if needed and locks it for the rest of the transaction. */
export const LOCK_STREAM = `
  INSERT INTO streams AS s (stream_id, category, version, last_hash, created_at, updated_at)
  VALUES ($1, $2, 0, $3, $4, $4)
  ON CONFLICT (stream_id) DO UPDATE SET stream_id = s.stream_id
  RETURNING version, last_hash`;

export const INSERT_EVENTS = `
  INSERT INTO events (event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, hash)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[],
                       $7::timestamptz[], $8::bytea[])
  ON CONFLICT (event_id) DO NOTHING
  RETURNING event_id, stream_version, global_position`;

export const ADVANCE_STREAM = `
  UPDATE streams SET version = $2, last_hash = $3, updated_at = $4 WHERE stream_id = $1`;

const EVENT_COLUMNS = `
  global_position::text AS global_position, transaction_id::text AS transaction_id, event_id,
  stream_id, stream_version, event_type, data, metadata, recorded_at, hash`;

export const SELECT_EVENTS_BY_ID = `
  SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY global_position`;

export const SELECT_STREAM = `
  SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`;

/**
 * Events after a log position, only from transactions older than every transaction still
 * running: a transaction that commits late still has an id below the horizon when it is read,
 * so no follower ever passes it by. Paged by the same key it is ordered and indexed by.
 */
export const SELECT_ALL_AFTER = `
  SELECT ${EVENT_COLUMNS} FROM events
  WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY transaction_id, global_position
  LIMIT $3`;
