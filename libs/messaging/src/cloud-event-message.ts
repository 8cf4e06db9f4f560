import type { Message } from 'kafkajs';
import type { CloudEvent } from '@backbone/contracts';

/**
 * A CloudEvent as a Kafka record in structured mode (CONTRACT §3): the whole event is the JSON
 * value. Besides `content-type`, only `ce_id` and `ce_type` are copied into headers, so tools can
 * filter and deduplicate without parsing the value: kafkajs allocates a 512-byte buffer for each
 * header of each record it encodes, on every hop, so every header copied costs. `traceHeaders`
 * (W3C `traceparent`, `tracestate`) continue the trace that produced it.
 */
export function toKafkaMessage(
  event: CloudEvent,
  key: string,
  traceHeaders: Record<string, string> = {},
): Message {
  const headers: Record<string, string> = {
    'content-type': 'application/cloudevents+json; charset=UTF-8',
    ce_id: event.id,
    ce_type: event.type,
  };
  return { key, value: JSON.stringify(event), headers: { ...headers, ...traceHeaders } };
}
