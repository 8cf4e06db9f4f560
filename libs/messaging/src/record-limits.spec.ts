import { randomBytes, randomUUID } from 'node:crypto';
import { sealValue } from '@backbone/data-protection';
import { MAX_EVENT_BYTES } from '@backbone/event-store';
import { estimateRecordBytes } from './split-to-fit';
import {
  BACKBONE_TOPIC_MAX_MESSAGE_BYTES,
  DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES,
  DEAD_LETTER_VALUE_MAX_BYTES,
  EVENT_RECORD_BOUND_BYTES,
  OUTCOME_RECORD_BOUND_BYTES,
  PRODUCE_BATCH_BUDGET_BYTES,
  fitDeadLetterValue,
} from './record-limits';

describe('record limits', () => {
  it('bound the largest event the store takes, as the publisher writes it', () => {
    // Personal data sealed as the store holds it, data and metadata together as large as the
    // store allows, every name as long as the store allows.
    const key = randomBytes(32);
    const keyId = randomUUID();
    const at = (field: string) => ({ streamId: 'referral-1', eventId: randomUUID(), field });
    const metadata = {
      actor: sealValue(keyId, key, at('actor'), 'a'.repeat(200)),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actingAgency: 'a'.repeat(63),
      parties: ['a'.repeat(63), 'b'.repeat(63)],
      traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`,
    };
    const data: Record<string, unknown> = { referralId: randomUUID(), reason: '' };
    const room =
      MAX_EVENT_BYTES - Buffer.byteLength(JSON.stringify(data) + JSON.stringify(metadata));
    // A sealed value is 4/3 of its plaintext: fill the room with it.
    data.reason = sealValue(keyId, key, at('reason'), 'x'.repeat(Math.floor((room * 3) / 4) - 120));
    const stored = Buffer.byteLength(JSON.stringify(data) + JSON.stringify(metadata));
    expect(stored).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(stored).toBeGreaterThan(MAX_EVENT_BYTES - 1024);
    const streamId = `referral-${'r'.repeat(255 - 'referral-'.length)}`;
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      source: 'backbone/sector-service',
      type: 't'.repeat(255),
      time: new Date().toISOString(),
      subject: streamId.slice('referral-'.length),
      datacontenttype: 'application/json',
      data,
      actor: metadata.actor,
      correlationid: metadata.correlationId,
      causationid: metadata.causationId,
      actingagency: metadata.actingAgency,
      streamversion: Number.MAX_SAFE_INTEGER,
      globalposition: '9223372036854775807',
    };
    const bytes = estimateRecordBytes({
      key: streamId,
      value: JSON.stringify(event),
      headers: {
        'content-type': 'application/cloudevents+json; charset=UTF-8',
        ce_id: event.id,
        ce_type: event.type,
        traceparent: metadata.traceparent,
      },
    });
    expect(bytes).toBeLessThan(EVENT_RECORD_BOUND_BYTES);
    expect(EVENT_RECORD_BOUND_BYTES * 4).toBeLessThanOrEqual(BACKBONE_TOPIC_MAX_MESSAGE_BYTES);
    expect(OUTCOME_RECORD_BOUND_BYTES * 4).toBeLessThanOrEqual(BACKBONE_TOPIC_MAX_MESSAGE_BYTES);
    // Batching alone never needs more than a broker's default limit (1 MiB + 12 bytes), and the
    // largest event always fits a batch by itself.
    expect(PRODUCE_BATCH_BUDGET_BYTES).toBeLessThan(1024 * 1024);
    expect(EVENT_RECORD_BOUND_BYTES).toBeLessThan(PRODUCE_BATCH_BUDGET_BYTES);
  });

  it('cuts a dead-letter copy to fit its topic, and says so', () => {
    const small = Buffer.from('{"x":1}');
    expect(fitDeadLetterValue(small)).toEqual({ value: small, truncated: false });
    const huge = Buffer.alloc(DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES + 1, 0x61);
    const fitted = fitDeadLetterValue(huge);
    expect(fitted.truncated).toBe(true);
    expect(fitted.value).toHaveLength(DEAD_LETTER_VALUE_MAX_BYTES);
    expect(
      estimateRecordBytes({
        key: 'k'.repeat(1024),
        value: fitted.value,
        headers: { 'dlq-reason': 'r'.repeat(4096), 'dlq-source-topic': 't'.repeat(249) },
      }),
    ).toBeLessThan(DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES);
  });
});
