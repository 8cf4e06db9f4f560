import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { CloudEvent } from '@backbone/contracts';
import {
  describeQuarantineError,
  inTransaction,
  isSystemicFault,
  isTransientFault,
  quarantineMetrics,
  quarantinedEvents,
} from '@backbone/database';
import { projectorMetrics } from '../metrics/projector-metrics';
import { applyEventsToTable } from './apply-to-table';
import { FreshEvents, OffsetGapError, ParsedRecord, freshOf, readRecords } from './fresh-records';
import { ProjectorOffsets, partitionKey } from './projector-offsets';
import { READ_MODELS } from './read-models';

/** One partition's records to apply on their own, and the offset after them. */
export interface IsolatedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  next: bigint;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The event's id, or for a record that names none (not from the publisher), an id derived from
 * its place on the topic: the quarantine must never fail on what it quarantines.
 */
function eventIdOf(batch: IsolatedBatch, record: ParsedRecord, id: unknown): string {
  if (typeof id === 'string' && UUID.test(id)) return id;
  const hex = createHash('sha256')
    .update(`${batch.topic}:${batch.partition}:${record.offset}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Whether a failed group is worth taking apart: not for a passing fault (the same group is
 * tried again later, as before), nor for a gap (the partition is read again from its offset).
 */
export const worthIsolating = (error: unknown): boolean =>
  !(error instanceof OffsetGapError) && !isTransientFault(error) && !isSystemicFault(error);

/**
 * Records failing alone one after another, beyond which the cause is taken to be no record's
 * (the partition is read again later, from the first not quarantined): a fault that every
 * record meets must not quarantine them all.
 */
const MAX_CULPRITS_IN_A_ROW = 20;

/**
 * Applies one partition's batch apart from the group it failed in, and if it fails alone, one
 * record at a time: a record that fails alone, for a reason other than a passing fault, is
 * quarantined in the transaction that moves the partition's offset past it; every other record
 * is applied, each with its offset, so none is applied twice or lost. Throws on a passing fault
 * or a gap (the caller reads the partition again).
 */
export class CulpritIsolation {
  constructor(
    private readonly pool: Pool,
    private readonly offsets: ProjectorOffsets,
    private readonly logger: Logger,
  ) {}

  async apply(batch: IsolatedBatch): Promise<FreshEvents> {
    const records = readRecords(batch.messages);
    try {
      return await this.applyAlone(batch, records, batch.next);
    } catch (error) {
      if (!worthIsolating(error)) throw error;
    }
    const applied: FreshEvents = { events: [], producedAt: [] };
    let inARow = 0;
    for (let i = 0; i < records.length; i++) {
      const next = i + 1 < records.length ? records[i + 1].offset : batch.next;
      try {
        const fresh = await this.applyAlone(batch, [records[i]], next);
        applied.events.push(...fresh.events);
        applied.producedAt.push(...fresh.producedAt);
        inARow = 0;
      } catch (error) {
        if (!worthIsolating(error) || ++inARow > MAX_CULPRITS_IN_A_ROW) throw error;
        await this.quarantine(batch, records[i], next, error);
      }
    }
    return applied;
  }

  /** `records` and the partition's offset (`next`) in one transaction, as a group does. */
  private async applyAlone(
    batch: IsolatedBatch,
    records: ParsedRecord[],
    next: bigint,
  ): Promise<FreshEvents> {
    const counts: [string, number][] = [];
    const fresh = await inTransaction(
      this.pool,
      async (client) => {
        counts.length = 0;
        const from = (await this.offsets.claim(client, [batch])).get(partitionKey(batch)) ?? 0n;
        const fresh = freshOf(batch, records, from, (offset) =>
          this.logger.error(
            { offset: String(offset) },
            'unreadable record on the events topic; skipped',
          ),
        );
        for (const model of Object.values(READ_MODELS)) {
          const taken = await applyEventsToTable(
            client,
            model.projection,
            fresh.events,
            model.table,
          );
          if (taken) counts.push([model.name, taken]);
        }
        await this.offsets.advance(client, [{ ...batch, next }]);
        return fresh;
      },
      { synchronousCommit: false },
    );
    for (const [model, count] of counts) projectorMetrics.eventsApplied.inc({ model }, count);
    return fresh;
  }

  /** Sets `record`'s event aside and moves the partition's offset past it, in one transaction. */
  private async quarantine(
    batch: IsolatedBatch,
    record: ParsedRecord,
    next: bigint,
    cause: unknown,
  ): Promise<void> {
    const event = record.event as Partial<CloudEvent> & { globalposition?: unknown };
    const type = String(event.type ?? '').slice(0, 200);
    const ref = {
      eventId: eventIdOf(batch, record, event.id),
      globalPosition: /^\d{1,18}$/.test(String(event.globalposition))
        ? String(event.globalposition)
        : '0',
      streamId: `${type.split('.')[0]}-${String(event.subject ?? '').slice(0, 200)}`,
      type,
    };
    const recorded = await inTransaction(this.pool, async (client) => {
      const from = (await this.offsets.claim(client, [batch])).get(partitionKey(batch)) ?? 0n;
      if (record.offset < from) return false; // applied or set aside meanwhile
      if (record.offset > from)
        throw new OffsetGapError(batch.topic, batch.partition, from, record.offset);
      await quarantinedEvents.record(client, 'projector', ref, cause);
      await this.offsets.advance(client, [{ ...batch, next }]);
      return true;
    });
    if (!recorded) return;
    quarantineMetrics.quarantined.inc({ consumer: 'projector' });
    this.logger.error(
      {
        eventId: ref.eventId,
        globalPosition: ref.globalPosition,
        type: ref.type,
        partition: partitionKey(batch),
        offset: String(record.offset),
        error: describeQuarantineError(cause),
      },
      'event quarantined: the read models cannot apply it; the projector goes on without it (re-apply after a fix: npm run projections:reapply-quarantined)',
    );
  }
}
