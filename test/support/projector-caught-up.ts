import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';

// The store's last event in follow order, and whether the publisher's checkpoint is on it.
const PUBLISHER_AT_HEAD = `
  SELECT coalesce((
    SELECT (c.transaction_id, c.global_position) = (e.transaction_id, e.global_position)
    FROM checkpoints c,
         (SELECT transaction_id, global_position FROM events
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1) e
    WHERE c.name = 'publisher'), NOT EXISTS (SELECT 1 FROM events)) AS at_head`;

const PROJECTOR_OFFSETS = `
  SELECT partition, next_offset::text AS next_offset FROM projector_offsets WHERE topic = $1`;

/**
 * Whether live projection has applied everything in the store: the publisher has published
 * the store's last event, and the projector's stored offsets reach the end of every partition
 * of the events topic.
 */
export async function projectorCaughtUp(
  pool: Pool,
  brokers: string[],
  eventsTopic: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ at_head: boolean }>(PUBLISHER_AT_HEAD);
  if (!rows[0].at_head) return false;
  const admin = new Kafka({
    brokers,
    clientId: 'catch-up-probe',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(eventsTopic);
    const stored = await pool.query<{ partition: number; next_offset: string }>(PROJECTOR_OFFSETS, [
      eventsTopic,
    ]);
    const next = new Map(stored.rows.map((row) => [row.partition, BigInt(row.next_offset)]));
    return ends.every(({ partition, high }) => (next.get(partition) ?? 0n) >= BigInt(high));
  } finally {
    await admin.disconnect();
  }
}
