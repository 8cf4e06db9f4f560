// What the store holds of the seeded year, read back after seeding.
import type { Client } from 'pg';

const EVENTS_BY_TYPE = `
  SELECT event_type, count(*)::int AS n FROM events
  WHERE recorded_at >= $1 AND recorded_at < $2
  GROUP BY event_type ORDER BY n DESC, event_type`;

// An event recorded earlier than the one before it in the store's order.
const RECORDED_OUT_OF_ORDER = `
  SELECT count(*)::int AS n FROM (
    SELECT recorded_at < lag(recorded_at) OVER (ORDER BY global_position) AS earlier
    FROM events WHERE global_position >= (
      SELECT coalesce(min(global_position), 0) FROM events WHERE recorded_at >= $1)
  ) AS ordered WHERE earlier`;

/** The year's events, counted by type. */
export async function eventsByType(
  client: Client,
  start: Date,
  end: Date,
): Promise<Record<string, number>> {
  const { rows } = await client.query<{ event_type: string; n: number }>(EVENTS_BY_TYPE, [
    start,
    end,
  ]);
  return Object.fromEntries(rows.map((row) => [row.event_type, row.n]));
}

/**
 * How many events from the year's first on were recorded earlier than the event before them:
 * none, unless something else wrote to the store at today's time while the year was seeded.
 */
export async function recordedOutOfOrder(client: Client, start: Date): Promise<number> {
  const { rows } = await client.query<{ n: number }>(RECORDED_OUT_OF_ORDER, [start]);
  return rows[0].n;
}
