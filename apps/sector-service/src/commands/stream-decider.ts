import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { backboneSource } from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { PersonalDataSealer, SubjectErasedError } from '@backbone/data-protection';
import { Decision, DomainEvent, Rejection } from '@backbone/domain';
import {
  ExpectedVersion,
  NewEvent,
  PostgresEventStore,
  WrongExpectedVersionError,
} from '@backbone/event-store';
import { peopleAcross, shapeOfStream } from './aggregate-shapes';

/** Who and what caused the events a decision records. */
export interface EventStamp {
  causationId: string;
  correlationId: string;
  /** The agency in whose name the events are recorded (`backbone` for the backbone itself). */
  actingAgency: string;
  actor?: string;
}

export interface Appended {
  eventIds: string[];
  /** The decided stream's version after the append. */
  streamVersion: number;
}

export type StreamDecision<R> =
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'appended'; result: R }
  | { kind: 'conflict'; attempts: number };

interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
  /** The person the stream is about, whose key seals the events' personal fields. */
  subjectId: string | undefined;
}

/** Races lost this many times in a row end as a conflict. */
const MAX_ATTEMPTS = 5;

/**
 * Loads a stream, decides, and appends with the version it decided on. A lost race re-decides
 * against the new state rather than appending blindly. Events for other streams (the case an
 * acceptance opens, the referral a redirect makes) must start those streams. `onAppended`
 * writes in the same transaction as the events (a command's outcome). Personal fields are
 * sealed before they reach the store; state rebuilt from the store keeps them sealed.
 */
@Injectable()
export class StreamDecider {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly sealer: PersonalDataSealer,
  ) {}

  async decide<S, R>(
    streamId: string,
    decide: (state: S) => Decision,
    stamp: EventStamp,
    onAppended: (client: PoolClient, appended: Appended) => Promise<R>,
  ): Promise<StreamDecision<R>> {
    const shape = shapeOfStream(streamId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(streamId);
      const state = history.reduce(shape.evolve, shape.initial);
      const decision = decide(state as S);
      if (decision.kind === 'rejected') return decision;
      const appends = await this.sealed(
        this.appendsFor(streamId, history.length, state, decision.events, stamp),
      );
      if (!appends) {
        const subjectId = shape.subjectOf(state);
        return {
          kind: 'rejected',
          rejection: {
            code: 'INVALID_TRANSITION',
            reason: `the personal data of this ${shape.name}'s subject${subjectId ? ` (${subjectId})` : ''} was erased: it takes no new personal data`,
          },
        };
      }
      try {
        const result = await inTransaction(this.pool, async (client) => {
          let streamVersion = history.length;
          for (const append of appends) {
            const appended = await this.store.appendToStream(
              append.streamId,
              append.expected,
              append.events,
              { client },
            );
            if (append.streamId === streamId) streamVersion = appended.streamVersion;
          }
          const eventIds = appends.flatMap((append) => append.events.map((event) => event.eventId));
          return onAppended(client, { eventIds, streamVersion });
        });
        return { kind: 'appended', result };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return { kind: 'conflict', attempts: MAX_ATTEMPTS };
  }

  private appendsFor(
    streamId: string,
    version: number,
    state: unknown,
    events: DomainEvent[],
    stamp: EventStamp,
  ): StreamAppend[] {
    const streams = [...new Set(events.map((event) => event.streamId))];
    return streams.map((target) => {
      const own = events.filter((event) => event.streamId === target);
      const shape = shapeOfStream(target);
      const isPrimary = target === streamId;
      const { parties, subjectId } = peopleAcross(shape, isPrimary ? state : shape.initial, own);
      return {
        streamId: target,
        expected: isPrimary ? version : 'no-stream',
        events: own.map((event) => toNewEvent(event, stamp, parties, subjectId)),
        subjectId,
      };
    });
  }

  /** The appends with their personal fields sealed; none when a subject's data was erased. */
  private async sealed(appends: StreamAppend[]): Promise<StreamAppend[] | undefined> {
    try {
      return await Promise.all(
        appends.map(async (append) => ({
          ...append,
          events: await this.sealer.seal(append.events, append.subjectId),
        })),
      );
    } catch (error) {
      if (error instanceof SubjectErasedError) return undefined;
      throw error;
    }
  }
}

function toNewEvent(
  event: DomainEvent,
  stamp: EventStamp,
  parties: string[],
  subjectId: string | undefined,
): NewEvent {
  return {
    eventId: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      source: backboneSource('sector-service'),
      causationId: stamp.causationId,
      correlationId: stamp.correlationId,
      actingAgency: stamp.actingAgency,
      parties,
      ...(subjectId ? { subjectId } : {}),
      ...(stamp.actor ? { actor: stamp.actor } : {}),
    },
  };
}
