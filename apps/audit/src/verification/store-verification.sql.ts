// The queries of the whole-store verification. The scan reads the log in the order it was
// written (global position, the primary key), which is the table's physical order: a scan in
// stream order instead jumps across the heap for every stream and measured 3–4× slower here.
import type { ChainLink } from '@backbone/event-store';

// recorded_at as toISOString() writes it: the hash covers that text.
const KEY_COLUMNS = `
  e.global_position::text AS global_position, e.stream_id, e.stream_version, e.event_id,
  e.event_type, encode(e.hash, 'hex') AS hash`;
const RECORDED_AT_TEXT = `
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

/**
 * A page of the log after global position $1; $2 rows at most. Data and metadata come as their
 * stored text, which node-postgres then leaves unparsed (see stored-text-hash.ts), and the
 * recorded time as whole milliseconds since the epoch (truncated, as to_char's MS is): to_char
 * took over half of the query's time, toISOString() in Node costs next to nothing.
 */
export const EVENTS_IN_LOG_ORDER = {
  name: 'audit.events-in-log-order.v2',
  text: `
    SELECT ${KEY_COLUMNS}, e.data::text AS data, e.metadata::text AS metadata,
      floor(extract(epoch FROM e.recorded_at) * 1000)::float8 AS recorded_at_ms
    FROM events e
    WHERE e.global_position > $1::bigint
    ORDER BY e.global_position
    LIMIT $2`,
};

/** One stream's events in stored version order, for its exact verdict. */
export const EVENTS_OF_STREAM = {
  name: 'audit.events-of-stream',
  text: `
    SELECT ${KEY_COLUMNS}, ${RECORDED_AT_TEXT}, e.data, e.metadata FROM events e
    WHERE e.stream_id = $1 ORDER BY e.stream_version`,
};

/** The records of these streams: how many events each says it has and its last hash. */
export const STREAM_HEADS = {
  name: 'audit.stream-heads',
  text: `
    SELECT stream_id, version, encode(last_hash, 'hex') AS last_hash
    FROM streams WHERE stream_id = ANY ($1::text[])`,
};

/** Stream records with no event left at all: every one of their events was removed. */
export const STREAMS_WITHOUT_EVENTS = `
  SELECT s.stream_id, s.version, encode(s.last_hash, 'hex') AS last_hash FROM streams s
  WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id)
  ORDER BY s.stream_id`;

export const COUNT_EVENTS_AND_STREAMS = `
  SELECT (SELECT count(*) FROM events)::float8 AS events,
         (SELECT count(*) FROM streams)::float8 AS streams`;

interface EventKeyRow {
  global_position: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  hash: string;
}

/** A row of EVENTS_IN_LOG_ORDER. */
export interface ScannedEventRow extends EventKeyRow {
  data: string;
  metadata: string;
  recorded_at_ms: number;
}

/** A row of EVENTS_OF_STREAM. */
export interface StreamEventRow extends EventKeyRow {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: string;
}

/** The chain check's view of an EVENTS_OF_STREAM row: its content as stored and its hash. */
export const chainLinkOf = (row: StreamEventRow): ChainLink => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  type: row.event_type,
  data: row.data,
  metadata: row.metadata,
  recordedAt: row.recorded_at,
  hash: row.hash,
});

export interface HeadRow {
  stream_id: string;
  version: number;
  last_hash: string;
}
