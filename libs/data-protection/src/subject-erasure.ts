import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import {
  CASE_OPENED_V1,
  REFERRAL_MADE_V1,
  SUBJECT_ERASED_V1,
  SubjectErasedV1,
  backboneSource,
  subjectStreamId,
} from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { derivedUuid } from '@backbone/domain';
import { EventIdsAlreadyStoredError, NewEvent, PostgresEventStore } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { ErasureStep, ErasureSteps } from './erasure-steps';
import { SubjectKeys } from './subject-keys';
import { SubjectRegistry } from './subject-registry';

/**
 * The streams about a person: each referral and case names its subject in its first event
 * (the partial index of migrations/…_audit-subject-streams.sql finds them).
 */
const STREAMS_OF_SUBJECT = {
  name: 'erasure.streams-of-subject',
  text: `
    SELECT stream_id FROM events
    WHERE event_type IN ('${REFERRAL_MADE_V1}', '${CASE_OPENED_V1}') AND (data->>'subjectId') = $1::text`,
};

export interface ErasureOrder {
  subjectId: string;
  operatorId: string;
  /** The operator command's id: the same id again is the same erasure. */
  commandId: string;
  correlationId: string;
}

export type ErasureResult =
  | { kind: 'erased'; eventId: string; streamVersion: number }
  | { kind: 'rejected'; code: 'NOT_FOUND' | 'INVALID_TRANSITION' | 'DUPLICATE'; reason: string };

/** The erasing transaction's outcome: a subject erased before is answered once it has ended. */
type Erasing = ErasureResult | 'already-erased';

/**
 * Erases a person's personal data by destroying their data key. In one transaction: the key is
 * destroyed, their identifier links are removed, the copies other parts keep are erased (the
 * registered ErasureSteps), and `subject.erased.v1` (no personal data) is recorded. Histories
 * stay whole and verifiable; their personal fields read `[erased]`.
 */
@Injectable()
export class SubjectErasure {
  private readonly logger = rootLogger.child({ component: 'subject-erasure' });

  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly keys: SubjectKeys,
    private readonly registry: SubjectRegistry,
    private readonly steps: ErasureSteps,
  ) {}

  async erase(order: ErasureOrder): Promise<ErasureResult> {
    const { subjectId } = order;
    const event = erasureEvent(order);
    const streamId = subjectStreamId(subjectId);
    const copiesErased = new Map<ErasureStep, number>();
    try {
      const result = await inTransaction(this.pool, async (client): Promise<Erasing> => {
        const key = await this.keys.destroy(subjectId, order.operatorId, client);
        if (key === 'unknown') {
          return {
            kind: 'rejected',
            code: 'NOT_FOUND',
            reason: `no subject ${subjectId} is known`,
          };
        }
        // Answered once the transaction has ended: the store reads on a connection of the pool,
        // and waiting for one while this one holds the key's row can wait for good under load.
        if (key === 'already-erased') return key;
        // Identifier links go too: the person can no longer be found by an identifier.
        const identifierKeys = await this.registry.unlink(subjectId, client);
        const subject = {
          subjectId,
          identifierKeys,
          streamIds: await streamsOf(subjectId, client),
        };
        for (const step of this.steps.all())
          copiesErased.set(step, await step.eraseCopies(subject, client));
        const appended = await this.store.appendToStream(streamId, 'any', [event], { client });
        return { kind: 'erased', eventId: event.eventId, streamVersion: appended.streamVersion };
      });
      if (result === 'already-erased') return await this.repeated(streamId, event);
      if (result.kind === 'erased') {
        this.keys.forget(subjectId);
        for (const [step, count] of copiesErased) step.committed?.(count);
        // Not the subject id: logs outlive the erasure.
        const copies = Object.fromEntries([...copiesErased].map(([step, n]) => [step.name, n]));
        this.logger.info({ copiesErased: copies }, 'subject erased');
      }
      return result;
    } catch (error) {
      // Not a retry of this erasure: its event commits only with the key's destruction, and the
      // key was still there. So the command id went to another subject's erasure.
      if (!(error instanceof EventIdsAlreadyStoredError)) throw error;
      return {
        kind: 'rejected',
        code: 'DUPLICATE',
        reason: `command ${order.commandId} was already used for another erasure`,
      };
    }
  }

  /** The subject was erased before: by this very command (its outcome again), or by another. */
  private async repeated(streamId: string, event: NewEvent): Promise<ErasureResult> {
    const history = await this.store.readStream(streamId);
    const earlier = history.find((stored) => stored.eventId === event.eventId);
    if (earlier) {
      return { kind: 'erased', eventId: earlier.eventId, streamVersion: earlier.streamVersion };
    }
    return {
      kind: 'rejected',
      code: 'INVALID_TRANSITION',
      reason: `subject ${(event.data as unknown as SubjectErasedV1).subjectId} was already erased`,
    };
  }
}

async function streamsOf(subjectId: string, client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ stream_id: string }>({
    ...STREAMS_OF_SUBJECT,
    values: [subjectId],
  });
  return rows.map((row) => row.stream_id);
}

function erasureEvent(order: ErasureOrder): NewEvent {
  const data: SubjectErasedV1 = { subjectId: order.subjectId, erasedBy: order.operatorId };
  return {
    eventId: derivedUuid('subject-erasure', `${order.operatorId}:${order.commandId}`),
    type: SUBJECT_ERASED_V1,
    data: { ...data },
    metadata: {
      source: backboneSource('ops-console'),
      causationId: order.commandId,
      correlationId: order.correlationId,
      actingAgency: order.operatorId,
    },
  };
}
