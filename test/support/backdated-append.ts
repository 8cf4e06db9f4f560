import type { Pool } from 'pg';
import type { EventData, EventMetadata } from '@backbone/event-store';
import { prepareAppend } from '../../libs/event-store/src/postgres/append-request';
import { APPEND_TO_STREAM } from '../../libs/event-store/src/postgres/event-store.sql';

/** An event of a history, and when it is to have been recorded. */
export interface BackdatedEvent {
  eventId: string;
  type: string;
  data: EventData;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * Appends a new stream's events one by one, each as recorded at its own past moment, through the
 * store's own append function (same checks and hash chain as any append). Only tests use this:
 * commands sent today are recorded today, and some pictures need a past year.
 */
export async function appendBackdated(
  pool: Pool,
  streamId: string,
  events: BackdatedEvent[],
): Promise<void> {
  for (const [index, { recordedAt, ...event }] of events.entries()) {
    const request = prepareAppend(
      streamId,
      index === 0 ? 'no-stream' : index,
      [event],
      recordedAt.toISOString(),
    );
    await pool.query({ ...APPEND_TO_STREAM, values: [...request.values, true] });
  }
}
