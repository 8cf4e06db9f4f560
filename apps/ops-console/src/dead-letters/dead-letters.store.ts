import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import type { DeadLetterPreview } from './dead-letter-preview';
import type { DeadLetterTies } from './dead-letter-ties';

// Idempotent by the record's place on the dead-letter topic and by the original command's.
const INSERT = `
  INSERT INTO dead_letters (
    dead_letter_id, dead_letter_topic, dead_letter_partition, dead_letter_offset,
    source_topic, source_partition, source_offset, reason, record_key, record_value,
    value_bytes, preview, dead_lettered_at, identifier_keys, stream_ids)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
  ON CONFLICT DO NOTHING`;

// The copies tied to an erased person, by their identifiers' keyed hashes or their streams.
const ERASE_TIED = {
  name: 'dead-letters.erase-tied',
  text: `DELETE FROM dead_letters WHERE identifier_keys && $1::text[] OR stream_ids && $2::text[]`,
};
// At most $2 copies dead-lettered more than $1 milliseconds ago, so one round stays short.
const PURGE_EXPIRED = {
  name: 'dead-letters.purge-expired',
  text: `
    DELETE FROM dead_letters WHERE dead_letter_id IN (
      SELECT dead_letter_id FROM dead_letters
      WHERE dead_lettered_at < now() - make_interval(secs => $1::double precision / 1000)
      LIMIT $2)`,
};
// Copies not looked at for ties yet (copied before migration …_dead-letter-ties).
const UNTIED = `
  SELECT dead_letter_id, record_value FROM dead_letters
  WHERE identifier_keys IS NULL AND record_value IS NOT NULL LIMIT $1`;
const TIE = `UPDATE dead_letters SET identifier_keys = $2, stream_ids = $3 WHERE dead_letter_id = $1`;

const COLUMNS = `
  dead_letter_id, dead_letter_topic, dead_letter_partition, dead_letter_offset::text,
  source_topic, source_partition, source_offset::text, reason, value_bytes, preview,
  dead_lettered_at, redriven_at, redriven_by`;

const LIST = `
  SELECT ${COLUMNS} FROM dead_letters
  WHERE ($1::boolean OR redriven_at IS NULL)
  ORDER BY dead_lettered_at DESC, dead_letter_id LIMIT $2`;

const COUNTS = `
  SELECT count(*) FILTER (WHERE redriven_at IS NULL)::int AS pending,
         count(*) FILTER (WHERE redriven_at > now() - interval '1 minute')::int AS redriven_last_minute
  FROM dead_letters`;

const FIND = `
  SELECT ${COLUMNS}, record_key, record_value FROM dead_letters WHERE dead_letter_id = ANY($1::uuid[])`;

// Claims the record for sending: only one re-drive ever sends it, however many ask at once.
const CLAIM = `
  UPDATE dead_letters SET redriven_at = now(), redriven_by = $2
  WHERE dead_letter_id = $1 AND redriven_at IS NULL
  RETURNING dead_letter_id`;
// Sent: the plain-text record is not kept any longer (it is on its command topic again; if it
// fails again, it comes back as a new dead letter).
const SENT = `UPDATE dead_letters SET record_value = NULL, record_key = NULL WHERE dead_letter_id = $1`;
const UNCLAIM = `UPDATE dead_letters SET redriven_at = NULL, redriven_by = NULL WHERE dead_letter_id = $1`;

export interface NewDeadLetter {
  deadLetterId: string;
  topic: string;
  partition: number;
  offset: string;
  source?: { topic: string; partition: number; offset: string };
  reason: string;
  key: Buffer | null;
  value: Buffer | null;
  preview: DeadLetterPreview;
  deadLetteredAt: Date;
}

/** A dead letter as the console shows it: never the record itself. */
export interface DeadLetterSummary {
  deadLetterId: string;
  reason: string;
  deadLetter: { topic: string; partition: number; offset: string };
  source?: { topic: string; partition: number; offset: string };
  bytes: number;
  preview: DeadLetterPreview;
  deadLetteredAt: string;
  redriven?: { at: string; by: string };
}

export interface StoredDeadLetter extends DeadLetterSummary {
  key: Buffer | null;
  /** What the agency sent, until it was re-driven. */
  value: Buffer | null;
}

interface Row {
  dead_letter_id: string;
  dead_letter_topic: string;
  dead_letter_partition: number;
  dead_letter_offset: string;
  source_topic: string | null;
  source_partition: number | null;
  source_offset: string | null;
  reason: string;
  value_bytes: number;
  preview: DeadLetterPreview;
  dead_lettered_at: Date;
  redriven_at: Date | null;
  redriven_by: string | null;
}

const toSummary = (row: Row): DeadLetterSummary => ({
  deadLetterId: row.dead_letter_id,
  reason: row.reason,
  deadLetter: {
    topic: row.dead_letter_topic,
    partition: row.dead_letter_partition,
    offset: row.dead_letter_offset,
  },
  ...(row.source_topic !== null && row.source_partition !== null && row.source_offset !== null
    ? {
        source: {
          topic: row.source_topic,
          partition: row.source_partition,
          offset: row.source_offset,
        },
      }
    : {}),
  bytes: row.value_bytes,
  preview: row.preview,
  deadLetteredAt: row.dead_lettered_at.toISOString(),
  ...(row.redriven_at && row.redriven_by
    ? { redriven: { at: row.redriven_at.toISOString(), by: row.redriven_by } }
    : {}),
});

/** The console's copy of the dead-letter topic, in PostgreSQL. */
@Injectable()
export class DeadLetters {
  constructor(private readonly pool: Pool) {}

  /** Copies one dead letter, with what ties it to people; false when it was copied before. */
  async add(letter: NewDeadLetter, ties: DeadLetterTies): Promise<boolean> {
    const { rowCount } = await this.pool.query(INSERT, [
      letter.deadLetterId,
      letter.topic,
      letter.partition,
      letter.offset,
      letter.source?.topic ?? null,
      letter.source?.partition ?? null,
      letter.source?.offset ?? null,
      letter.reason,
      letter.key,
      letter.value,
      letter.value?.length ?? 0,
      JSON.stringify(letter.preview),
      letter.deadLetteredAt,
      ties.identifierKeys,
      ties.streamIds,
    ]);
    return rowCount === 1;
  }

  /** Deletes, in the erasure's transaction, the copies tied to an erased person; how many. */
  async eraseTied(
    { identifierKeys, streamIds }: DeadLetterTies,
    client: PoolClient,
  ): Promise<number> {
    if (!identifierKeys.length && !streamIds.length) return 0;
    const { rowCount } = await client.query({ ...ERASE_TIED, values: [identifierKeys, streamIds] });
    return rowCount ?? 0;
  }

  /** Deletes up to `limit` copies dead-lettered more than `retentionMs` ago; how many. */
  async purgeExpired(retentionMs: number, limit: number): Promise<number> {
    const { rowCount } = await this.pool.query({ ...PURGE_EXPIRED, values: [retentionMs, limit] });
    return rowCount ?? 0;
  }

  /** Up to `limit` copies whose ties were never looked for, with their records. */
  async untied(limit: number): Promise<{ deadLetterId: string; value: Buffer }[]> {
    const { rows } = await this.pool.query<{ dead_letter_id: string; record_value: Buffer }>(
      UNTIED,
      [limit],
    );
    return rows.map((row) => ({ deadLetterId: row.dead_letter_id, value: row.record_value }));
  }

  async tie(deadLetterId: string, ties: DeadLetterTies): Promise<void> {
    await this.pool.query(TIE, [deadLetterId, ties.identifierKeys, ties.streamIds]);
  }

  async list(includeRedriven: boolean, limit: number): Promise<DeadLetterSummary[]> {
    const { rows } = await this.pool.query<Row>(LIST, [includeRedriven, limit]);
    return rows.map(toSummary);
  }

  async counts(): Promise<{ pending: number; redrivenLastMinute: number }> {
    const { rows } = await this.pool.query<{ pending: number; redriven_last_minute: number }>(
      COUNTS,
    );
    return { pending: rows[0].pending, redrivenLastMinute: rows[0].redriven_last_minute };
  }

  async find(ids: string[]): Promise<StoredDeadLetter[]> {
    const { rows } = await this.pool.query<
      Row & { record_key: Buffer | null; record_value: Buffer | null }
    >(FIND, [ids]);
    return rows.map((row) => ({ ...toSummary(row), key: row.record_key, value: row.record_value }));
  }

  async claim(deadLetterId: string, operatorId: string, client?: PoolClient): Promise<boolean> {
    const { rowCount } = await (client ?? this.pool).query(CLAIM, [deadLetterId, operatorId]);
    return rowCount === 1;
  }

  async sent(deadLetterId: string): Promise<void> {
    await this.pool.query(SENT, [deadLetterId]);
  }

  async unclaim(deadLetterId: string): Promise<void> {
    await this.pool.query(UNCLAIM, [deadLetterId]);
  }
}
