import type { PoolClient, Pool } from 'pg';

// Claims the partition's row for this transaction (the upsert locks it, also when it is new),
// and returns the offset of the next record to apply. A second consumer of the same partition
// (a rebalance overtaking a slow batch) waits here and then sees what the first one applied.
const CLAIM_OFFSET = `
  INSERT INTO projector_offsets AS o (consumer_group, topic, partition, next_offset)
  VALUES ($1, $2, $3, 0)
  ON CONFLICT (consumer_group, topic, partition) DO UPDATE SET next_offset = o.next_offset
  RETURNING next_offset::text AS next_offset`;

// Never moves back: a batch made wholly of records applied before leaves the offset alone.
const ADVANCE_OFFSET = `
  UPDATE projector_offsets SET next_offset = GREATEST(next_offset, $4::bigint), updated_at = now()
  WHERE consumer_group = $1 AND topic = $2 AND partition = $3`;

const SELECT_OFFSETS = `
  SELECT topic, partition, next_offset::text AS next_offset FROM projector_offsets
  WHERE consumer_group = $1 AND topic = ANY($2::text[])`;

export interface StoredOffset {
  topic: string;
  partition: number;
  nextOffset: string;
}

/** The projector's Kafka positions, kept in PostgreSQL beside the read models they describe. */
export class ProjectorOffsets {
  constructor(private readonly groupId: string) {}

  async claim(client: PoolClient, topic: string, partition: number): Promise<bigint> {
    const { rows } = await client.query<{ next_offset: string }>(CLAIM_OFFSET, [
      this.groupId,
      topic,
      partition,
    ]);
    return BigInt(rows[0].next_offset);
  }

  async advance(client: PoolClient, topic: string, partition: number, next: bigint) {
    await client.query(ADVANCE_OFFSET, [this.groupId, topic, partition, next.toString()]);
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
