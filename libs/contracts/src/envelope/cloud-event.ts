// The CloudEvents 1.0 envelope (structured JSON mode) of CONTRACT §3.
export const MAX_ENVELOPE_BYTES = 256 * 1024;

/** An event or outcome as the backbone emits it. */
export interface CloudEvent<TData = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: TData;
  actor?: string;
  correlationid?: string;
  causationid?: string;
  /** Events only: the agency (or operator) in whose name the event was recorded. */
  actingagency?: string;
  streamversion?: number;
  globalposition?: string;
}

export const backboneSource = (service: string): string => `backbone/${service}`;
