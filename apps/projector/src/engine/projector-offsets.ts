import type { PoolClient, Pool } from 'pg';

// The two statements of every group transaction are named: prepared once per connection.

// Claims the partitions' rows for this transaction (the upsert locks them, also when new; in
// the order given), and returns the offset of the next record to apply in each. A second
// consumer of a partition (a rebalance overtaking a slow batch) waits here and then sees what
// the first one applied.
const CLAIM_OFFSETS = {
  name: 'projector-offsets.claim',
  text: `
  INSERT INTO projector_offsets AS o (consumer_group, topic, partition, next_offset)
  SELECT $1, t.topic, t.partition, 0 FROM unnest($2::text[], $3::int[]) AS t (topic, partition)
  ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = o.next_offset
  RETURNING topic, partition, next_offset::text AS next_offset`,
};

// Never moves back: a batch made wholly of records applied before leaves the offset alone.
const ADVANCE_OFFSETS = {
  name: 'projector-offsets.advance',
  text: `
  UPDATE projector_offsets o
  SET next_offset = GREATEST(o.next_offset, t.next_offset), updated_at = now()
  FROM unnest($2::text[], $3::int[], $4::bigint[]) AS t (topic, partition, next_offset)
  WHERE o.consumer_group = $1 AND o.topic = t.topic AND o.partition = t.partition`,
};

const SELECT_OFFSETS = `
  SELECT topic, partition, next_offset::text AS next_offset FROM projector_offsets
  WHERE consumer_group = $1 AND topic = ANY($2::text[])`;

/** How claimed offsets are keyed. */
export const partitionKey = ({ topic, partition }: { topic: string; partition: number }): string =>
  `${topic}:${partition}`;

export interface StoredOffset {
  topic: string;
  partition: number;
  nextOffset: string;
}

/** The projector's Kafka positions, kept in PostgreSQL beside the read models they describe. */
export class ProjectorOffsets {
  constructor(private readonly groupId: string) {}

  /**
   * Locks the partitions' offsets for the caller's transaction, sorted so that concurrent
   * transactions lock them in one order; the next offset to apply, by `topic:partition`.
   */
  async claim(
    client: PoolClient,
    partitions: { topic: string; partition: number }[],
  ): Promise<Map<string, bigint>> {
    const sorted = [...partitions].sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition,
    );
    const { rows } = await client.query<{ topic: string; partition: number; next_offset: string }>({
      ...CLAIM_OFFSETS,
      values: [this.groupId, sorted.map((p) => p.topic), sorted.map((p) => p.partition)],
    });
    return new Map(rows.map((row) => [partitionKey(row), BigInt(row.next_offset)]));
  }

  async advance(
    client: PoolClient,
    partitions: { topic: string; partition: number; next: bigint }[],
  ): Promise<void> {
    await client.query({
      ...ADVANCE_OFFSETS,
      values: [
        this.groupId,
        partitions.map((p) => p.topic),
        partitions.map((p) => p.partition),
        partitions.map((p) => p.next.toString()),
      ],
    });
  }

  async readAll(pool: Pool, topics: string[]): Promise<StoredOffset[]> {
    const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string }>(
      SELECT_OFFSETS,
      [this.groupId, topics],
    );
    return rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      nextOffset: row.next_offset,
    }));
  }
}
