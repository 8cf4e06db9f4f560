import type { StreamMetadata } from '../event-store.port';

/** A `streams` row as the metadata queries in event-store.sql.ts return it. */
export interface StreamRow {
  stream_id: string;
  category: string;
  version: number;
  closed: boolean;
  /** Hex. */
  last_hash: string;
  created_at: string;
  updated_at: string;
}

export function toStreamMetadata(row: StreamRow): StreamMetadata {
  return {
    streamId: row.stream_id,
    category: row.category,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closed: row.closed,
  };
}
