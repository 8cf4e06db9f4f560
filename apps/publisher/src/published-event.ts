import { CloudEvent } from '@backbone/contracts';
import type { StoredEvent } from '@backbone/event-store';

/** The subject of an event is the id of its referral or case: the stream id without its category. */
export const subjectOfStream = (streamId: string): string =>
  streamId.slice(streamId.indexOf('-') + 1);

/** A stored event as the CloudEvent that goes to `referrals.events` and the parties' inboxes. */
export function toPublishedEvent(event: StoredEvent): CloudEvent {
  const { metadata } = event;
  return {
    specversion: '1.0',
    id: event.eventId,
    source: typeof metadata.source === 'string' ? metadata.source : 'backbone/event-store',
    type: event.type,
    time: event.recordedAt,
    subject: subjectOfStream(event.streamId),
    datacontenttype: 'application/json',
    data: event.data,
    ...(metadata.actor ? { actor: metadata.actor } : {}),
    ...(metadata.correlationId ? { correlationid: metadata.correlationId } : {}),
    ...(metadata.causationId ? { causationid: metadata.causationId } : {}),
    ...(metadata.actingAgency ? { actingagency: metadata.actingAgency } : {}),
    streamversion: event.streamVersion,
    globalposition: event.globalPosition,
  };
}

/** The agencies whose inbox topics receive this event. */
export function partiesOf(event: StoredEvent): string[] {
  const parties = event.metadata.parties;
  return Array.isArray(parties) ? parties.filter((p): p is string => typeof p === 'string') : [];
}
