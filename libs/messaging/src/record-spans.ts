import type { Span } from '@opentelemetry/api';
import type { KafkaMessage } from 'kafkajs';
import { contextOfHeaders, startConsumerSpan } from '@backbone/observability';

/**
 * One consumer span per record of a partition's batch, each continuing the trace its sender
 * put in the record's headers (a root span when it sent none).
 */
export function recordSpans(
  name: string,
  at: { topic: string; partition: number },
  messages: KafkaMessage[],
): Span[] {
  return messages.map((message) =>
    startConsumerSpan(name, contextOfHeaders(message.headers), {
      'messaging.system': 'kafka',
      'messaging.destination.name': at.topic,
      'messaging.kafka.partition': at.partition,
      'messaging.kafka.offset': message.offset,
    }),
  );
}
