import type { Message } from 'kafkajs';
import type { CloudEvent } from '@backbone/contracts';

/**
 * A CloudEvent as a Kafka record: structured JSON in the value, plus the CloudEvents Kafka
 * binding's `ce_` headers so tools can filter without parsing the value. `traceHeaders` (W3C
 * `traceparent`, `tracestate`) continue the trace that produced it.
 */
export function toKafkaMessage(
  event: CloudEvent,
  key: string,
  traceHeaders: Record<string, string> = {},
): Message {
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json; charset=UTF-8',
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    ce_subject: event.subject,
  };
  if (event.correlationid) headers.ce_correlationid = event.correlationid;
  if (event.causationid) headers.ce_causationid = event.causationid;
  return { key, value: JSON.stringify(event), headers: { ...headers, ...traceHeaders } };
}
