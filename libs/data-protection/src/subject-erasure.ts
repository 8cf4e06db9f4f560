import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import {
  SUBJECT_ERASED_V1,
  SubjectErasedV1,
  backboneSource,
  subjectStreamId,
} from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { derivedUuid } from '@backbone/domain';
import { EventIdConflictError, NewEvent, PostgresEventStore } from '@backbone/event-store';
import { SubjectKeys } from './subject-keys';
import { SubjectRegistry } from './subject-registry';

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

/**
 * Erases a person's personal data by destroying their data key. In one transaction: the key is
 * destroyed, their identifier links are removed, and `subject.erased.v1` (no personal data) is
 * recorded. Histories stay whole and verifiable; their personal fields read `[erased]`.
 */
@Injectable()
export class SubjectErasure {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly keys: SubjectKeys,
    private readonly registry: SubjectRegistry,
  ) {}

  async erase(order: ErasureOrder): Promise<ErasureResult> {
    const { subjectId } = order;
    const event = erasureEvent(order);
    const streamId = subjectStreamId(subjectId);
    try {
      const result = await inTransaction(this.pool, async (client): Promise<ErasureResult> => {
        const key = await this.keys.destroy(subjectId, order.operatorId, client);
        if (key === 'unknown') {
          return {
            kind: 'rejected',
            code: 'NOT_FOUND',
            reason: `no subject ${subjectId} is known`,
          };
        }
        if (key === 'already-erased') return this.repeated(streamId, event);
        // Identifier links go too: the person can no longer be found by an identifier.
        await this.registry.unlink(subjectId, client);
        const appended = await this.store.appendToStream(streamId, 'any', [event], { client });
        return { kind: 'erased', eventId: event.eventId, streamVersion: appended.streamVersion };
      });
      if (result.kind === 'erased') this.keys.forget(subjectId);
      return result;
    } catch (error) {
      if (!(error instanceof EventIdConflictError)) throw error;
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
