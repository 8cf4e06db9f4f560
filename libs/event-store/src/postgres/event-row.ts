import type { StoredEvent } from '../event-store.port';

/** An `events` row as the read queries in event-store.sql.ts return it. */
export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  data: StoredEvent['data'];
  metadata: StoredEvent['metadata'];
  /** Already in toISOString() form. */
  recorded_at: string;
  /** Hex. */
  hash: string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    type: row.event_type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    hash: row.hash,
  };
}
