import type { RejectionCode } from '@backbone/contracts';

/** An event the domain decided on, before the store gives it an id and position. */
export interface DomainEvent<TData = Record<string, unknown>> {
  type: string;
  /** The stream the event belongs to (a command may produce events for several streams). */
  streamId: string;
  data: TData;
}

export interface Rejection {
  code: RejectionCode;
  /** A sentence the agency's staff can act on. */
  reason: string;
}

export type Decision =
  { kind: 'accepted'; events: DomainEvent[] } | { kind: 'rejected'; rejection: Rejection };

export const accept = (...events: DomainEvent[]): Decision => ({ kind: 'accepted', events });
export const reject = (code: RejectionCode, reason: string): Decision => ({
  kind: 'rejected',
  rejection: { code, reason },
});
