import type { EventData, StoredEvent } from '@backbone/event-store';

/** One event of a history as an auditor reads it: who did what, when, under which basis. */
export interface HistoryEntry {
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  eventId: string;
  type: string;
  /** The type as stored, when the event was stored in an older version and read as this one. */
  storedType?: string;
  recordedAt: string;
  /** The agency (or operator, auditor, `backbone`) in whose name it was recorded. */
  actingAgency: string | null;
  /** The person acting at that agency, opened; `[erased]` once the subject was erased. */
  actor: string | null;
  /** The lawful basis, on the events that record one (`referral.made.v1`, `case.opened.v1`). */
  lawfulBasis?: EventData;
  correlationId?: string;
  /** The command that produced it. */
  causationId?: string;
  /** The referral's or case's status right after this event, where it has one. */
  statusAfter?: string;
  /** A case's responsible agency right after this event. */
  responsibleAfter?: string;
  /** The event's data with its personal fields opened (or `[erased]`, `[unreadable]`). */
  data: EventData;
  /** Hex SHA-256 of the chain up to this event, as stored. */
  hash: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Where the event left its referral or case. */
export type EntryState = Pick<HistoryEntry, 'statusAfter' | 'responsibleAfter'>;

/** An entry from a stored event whose personal fields were already opened. */
export function toHistoryEntry(event: StoredEvent, after: EntryState = {}): HistoryEntry {
  const { metadata, data } = event;
  const lawfulBasis = data.lawfulBasis;
  const correlationId = text(metadata.correlationId);
  const causationId = text(metadata.causationId);
  return {
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    eventId: event.eventId,
    type: event.type,
    ...(event.storedType ? { storedType: event.storedType } : {}),
    recordedAt: event.recordedAt,
    actingAgency: text(metadata.actingAgency) ?? null,
    actor: text(metadata.actor) ?? null,
    ...(lawfulBasis && typeof lawfulBasis === 'object'
      ? { lawfulBasis: lawfulBasis as EventData }
      : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(causationId ? { causationId } : {}),
    ...after,
    data,
    hash: event.hash,
  };
}
