import type { KafkaMessage } from 'kafkajs';
import { contractFieldRules } from './contract-fields';
import { MAX_REASON_CHARS, deadLetterOf, storableText } from './dead-letter-record';

const context = { fields: contractFieldRules(), isKnownAgency: () => false };
const now = new Date('2026-01-01T00:00:00Z');
const record = (headers: KafkaMessage['headers'], timestamp = '1700000000000'): KafkaMessage =>
  ({ key: null, value: Buffer.from('{}'), headers, offset: '5', timestamp }) as KafkaMessage;
const letter = (headers: KafkaMessage['headers'], timestamp?: string) =>
  deadLetterOf('dl', 0, record(headers, timestamp), context, now);

describe('dead-letter record', () => {
  it('makes text PostgreSQL takes: no NUL, no lone surrogate, pairs kept, cut to length', () => {
    expect(storableText('a\u0000b', 10)).toBe('a\uFFFDb');
    expect(storableText('\ud800x\udc00', 10)).toBe('\uFFFDx\uFFFD');
    expect(storableText('😀', 10)).toBe('😀');
    const cut = storableText(`${'x'.repeat(MAX_REASON_CHARS - 1)}😀`, MAX_REASON_CHARS);
    expect(cut.startsWith(`${'x'.repeat(MAX_REASON_CHARS - 1)}\uFFFD…`)).toBe(true);
  });

  it('keeps a source only when it is a real place on a real topic', () => {
    const source = (topic: string, partition: string, offset: string) =>
      letter({
        'dlq-source-topic': topic,
        'dlq-source-partition': partition,
        'dlq-source-offset': offset,
      }).source;
    expect(source('referrals.commands.a', '2', '9223372036854775807')).toEqual({
      topic: 'referrals.commands.a',
      partition: 2,
      offset: '9223372036854775807',
    });
    expect(source('referrals.commands.a', '2147483648', '1')).toBeUndefined();
    expect(source('referrals.commands.a', '1', '9223372036854775808')).toBeUndefined();
    expect(source('referrals.commands.a', '-1', '1')).toBeUndefined();
    expect(source('a b', '1', '1')).toBeUndefined();
    expect(source('a'.repeat(250), '1', '1')).toBeUndefined();
  });

  it('dates a record whose timestamp PostgreSQL would refuse by its arrival', () => {
    expect(letter({}, '1700000000000').deadLetteredAt.getTime()).toBe(1700000000000);
    for (const timestamp of ['-5', '9000000000000000', 'NaN', ''])
      expect(letter({}, timestamp).deadLetteredAt).toBe(now);
  });
});
