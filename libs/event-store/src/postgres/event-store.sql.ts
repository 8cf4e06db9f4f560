// The named queries of the PostgreSQL event store. Parameters are always bound, never spliced.
// Each has a `name` so that node-postgres prepares it once per connection: parse and plan are
// then paid once, not on every append or page.

import type { NamedQuery } from '@backbone/database';

/** See migrations/…_event-store-append-function.sql for what the function checks and does. */
export const APPEND_TO_STREAM: NamedQuery = {
  name: 'event-store.append',
  text: `
    SELECT new_version, positions::text[] AS positions
    FROM append_to_stream($1, $2, $3, $4::uuid[], $5::text[], $6::json[], $7::json[],
                          $8::text[], $9, $10, $11::boolean)`,
};

export const APPEND_TO_STREAMS: NamedQuery = {
  name: 'event-store.append-many',
  text: `
    SELECT stream_id, new_version, positions::text[] AS positions
    FROM append_to_streams($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[],
                           $6::uuid[], $7::text[], $8::json[], $9::json[], $10::text[], $11,
                           $12::boolean)`,
};

// Selected from `events e`. The output names shadow the columns they are cast from, so every
// ORDER BY names the table's column (e.global_position): a bare `global_position` would sort
// the text and put 100 before 97. recorded_at is formatted as JavaScript's toISOString()
// would: the hash covers this very text, and it spares parsing a Date per row in a replay.
/** The `events` columns as `EventRow` (postgres/event-row.ts) reads them; `e` is the table. */
export const EVENT_COLUMNS = `
  e.global_position::text AS global_position, e.transaction_id::text AS transaction_id,
  e.event_id, e.stream_id, e.stream_version, e.event_type, e.data, e.metadata,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at,
  encode(e.hash, 'hex') AS hash`;

export const SELECT_EVENTS_BY_ID: NamedQuery = {
  name: 'event-store.events-by-id',
  text: `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.event_id = ANY ($1::uuid[]) ORDER BY e.global_position`,
};

/** $2: first version (inclusive); $3: limit, NULL for all. */
export const SELECT_STREAM_FORWARDS: NamedQuery = {
  name: 'event-store.stream-forwards',
  text: `
    SELECT ${EVENT_COLUMNS} FROM events e
    WHERE e.stream_id = $1 AND e.stream_version >= $2
    ORDER BY e.stream_version LIMIT $3`,
};

/** Every event of each of the streams $1, stream by stream in version order. */
export const SELECT_STREAMS: NamedQuery = {
  name: 'event-store.streams',
  text: `
    SELECT ${EVENT_COLUMNS} FROM events e
    WHERE e.stream_id = ANY($1::text[])
    ORDER BY e.stream_id, e.stream_version`,
};

/** $2: first version (inclusive), counting down; $3: limit, NULL for all. */
export const SELECT_STREAM_BACKWARDS: NamedQuery = {
  name: 'event-store.stream-backwards',
  text: `
    SELECT ${EVENT_COLUMNS} FROM events e
    WHERE e.stream_id = $1 AND e.stream_version <= $2
    ORDER BY e.stream_version DESC LIMIT $3`,
};

/**
 * Events after a log position, only from transactions older than every transaction still
 * running: a transaction that commits late still has an id below the horizon when it is read,
 * so no follower ever passes it by. Paged by the same key it is ordered and indexed by.
 * The cost: one long-running transaction anywhere in the cluster holds the horizon back and
 * every follower waits for it (see metrics/database-gauges.ts, oldest transaction age).
 * $4: event types or NULL; $5: stream id prefix or NULL; $6: an agency among the event's parties,
 * or NULL.
 */
export const SELECT_ALL_AFTER: NamedQuery = {
  name: 'event-store.all-after',
  text: `
    SELECT ${EVENT_COLUMNS} FROM events e
    WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
      AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      AND ($4::text[] IS NULL OR e.event_type = ANY ($4::text[]))
      AND ($5::text IS NULL OR starts_with(e.stream_id, $5::text))
      AND ($6::text IS NULL OR (e.metadata -> 'parties')::jsonb @> jsonb_build_array($6::text))
    ORDER BY e.transaction_id, e.global_position
    LIMIT $3`,
};

/**
 * A party's events after a log position, looking at no more than $5 events of the log (below
 * the same horizon as SELECT_ALL_AFTER), with where that look ended: a party's reader moves
 * past the others' events it was shown none of, so a quiet agency's cursor never falls behind a
 * busy log. One row per event of the party ($3, at most $4) carrying the end of the look, or one
 * row of the end alone (event columns NULL) when none of the looked-at events was the party's;
 * no row when there was nothing to look at.
 */
export const SELECT_PARTY_AFTER: NamedQuery = {
  name: 'event-store.party-after',
  text: `
    WITH looked AS MATERIALIZED (
      SELECT e.transaction_id, e.global_position, e.metadata
      FROM events e
      WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id, e.global_position
      LIMIT $5
    ), look_end AS (
      SELECT l.transaction_id::text AS looked_to_transaction,
             l.global_position::text AS looked_to_position
      FROM looked l ORDER BY l.transaction_id DESC, l.global_position DESC LIMIT 1
    )
    SELECT look_end.*, party_events.*
    FROM look_end LEFT JOIN LATERAL (
      SELECT ${EVENT_COLUMNS}
      FROM looked l JOIN events e ON e.global_position = l.global_position
      WHERE (l.metadata -> 'parties')::jsonb @> jsonb_build_array($3::text)
      ORDER BY e.transaction_id, e.global_position
      LIMIT $4
    ) party_events ON true`,
};

/**
 * Whether events after a log position are still to be read, asked after a read came back short:
 * ones an older transaction still open holds back, or ones (of the filter, $3 to $5 as $4 to $6
 * of SELECT_ALL_AFTER) that became safe since that read, when the holder ended between the read and
 * this question. The row comparison is an index condition.
 */
export const SELECT_UNREAD_AFTER: NamedQuery = {
  name: 'event-store.unread-after',
  text: `
    SELECT EXISTS (
      SELECT 1 FROM events e
      WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        AND (e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
             OR (($3::text[] IS NULL OR e.event_type = ANY ($3::text[]))
                 AND ($4::text IS NULL OR starts_with(e.stream_id, $4::text))
                 AND ($5::text IS NULL OR (e.metadata -> 'parties')::jsonb @> jsonb_build_array($5::text))))
    ) AS any`,
};

/** Everything the chain check needs, exactly as stored. */
export const SELECT_STREAM_FOR_VERIFY: NamedQuery = {
  name: 'event-store.stream-for-verify',
  text: `
    SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 ORDER BY e.stream_version`,
};

const STREAM_COLUMNS = `
  stream_id, category, version, closed, encode(last_hash, 'hex') AS last_hash,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at`;

export const SELECT_STREAM_METADATA: NamedQuery = {
  name: 'event-store.stream-metadata',
  text: `SELECT ${STREAM_COLUMNS} FROM streams WHERE stream_id = $1`,
};

/** $2: the last stream id of the previous page ('' for the first); $3: page size. */
export const LIST_STREAMS: NamedQuery = {
  name: 'event-store.list-streams',
  text: `
    SELECT ${STREAM_COLUMNS} FROM streams
    WHERE category = $1 AND stream_id > $2
    ORDER BY stream_id LIMIT $3`,
};

export const CLOSE_STREAM: NamedQuery = {
  name: 'event-store.close-stream',
  text: `UPDATE streams SET closed = true, updated_at = now() WHERE stream_id = $1 RETURNING 1`,
};
