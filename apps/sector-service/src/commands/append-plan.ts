// Turning a decision's events into the appends that record them: one per stream, stamped with
// who and what caused them, the parties that will hear of them and the person they concern.
import { randomUUID } from 'node:crypto';
import { backboneSource } from '@backbone/contracts';
import type { DomainEvent } from '@backbone/domain';
import type { ExpectedVersion, NewEvent } from '@backbone/event-store';
import { peopleAcross, shapeOfStream } from './aggregate-shapes';

/** Who and what caused the events a decision records. */
export interface EventStamp {
  causationId: string;
  correlationId: string;
  /** The agency in whose name the events are recorded (`backbone` for the backbone itself). */
  actingAgency: string;
  actor?: string;
  /** The trace the events continue (W3C `traceparent`), published with them. */
  traceparent?: string;
}

export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
  /** The person the stream is about, whose key seals the events' personal fields. */
  subjectId: string | undefined;
}

/**
 * The appends for events decided on `streamId` at `version` in `state`. Events for other
 * streams (the case an acceptance opens, the referral a redirect makes) must start them.
 */
export function planAppends(
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
      ...(stamp.traceparent ? { traceparent: stamp.traceparent } : {}),
    },
  };
}
