/**
 * What a projection reads of an event: the fields of the CloudEvent the publisher sends, so a
 * published event is one as it is. A rebuild reads the same fields from the store, and parses
 * `data` only when a projection asks for it.
 */
export interface ProjectedEvent {
  readonly type: string;
  /** The referral or case id: the stream id without its category. */
  readonly subject: string;
  /** When the store recorded it (RFC 3339, as `toISOString()` writes it). */
  readonly time: string;
  readonly streamversion?: number;
  readonly data: unknown;
}

/** A stored event as the projections read it (the fields the publisher's CloudEvent has). */
export const projectedFromStore = (event: {
  type: string;
  streamId: string;
  recordedAt: string;
  streamVersion: number;
  data: unknown;
}): ProjectedEvent => ({
  type: event.type,
  subject: event.streamId.slice(event.streamId.indexOf('-') + 1),
  time: event.recordedAt,
  streamversion: event.streamVersion,
  data: event.data,
});
