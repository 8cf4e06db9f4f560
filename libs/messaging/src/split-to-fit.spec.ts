import type { Message, TopicMessages } from 'kafkajs';
import { BATCH_OVERHEAD_BYTES, estimateRecordBytes, splitToFit } from './split-to-fit';

const KiB = 1024;
const record = (key: string, n: number, bytes: number): Message => ({
  key,
  value: `${n}:`.padEnd(bytes, 'x'),
  headers: { ce_id: `id-${n}`, 'content-type': 'application/cloudevents+json' },
});
const numbers = (messages: Message[]) => messages.map((m) => String(m.value).split(':')[0]);
/** Per request, per topic: the numbers of its records. */
const shape = (requests: TopicMessages[][]) =>
  requests.map((request) =>
    Object.fromEntries(request.map(({ topic, messages }) => [topic, numbers(messages)])),
  );
const topicBytes = (messages: Message[]) =>
  messages.reduce((sum, m) => sum + estimateRecordBytes(m), BATCH_OVERHEAD_BYTES);

describe('estimateRecordBytes', () => {
  it('counts key, value (in UTF-8), every header and a record overhead', () => {
    const bare = estimateRecordBytes({ key: null, value: null });
    expect(bare).toBeGreaterThanOrEqual(21); // the most a record's framing can take besides varints
    expect(estimateRecordBytes({ key: 'k', value: 'é' })).toBe(bare + 1 + 2);
    expect(estimateRecordBytes({ key: null, value: Buffer.alloc(1000) })).toBe(bare + 1000);
    expect(
      estimateRecordBytes({
        key: null,
        value: null,
        headers: { a: 'bc', d: ['e', Buffer.from('f')] },
      }),
    ).toBeGreaterThan(bare + 1 + 2 + 1 + 1 + 1 + 1);
  });
});

describe('splitToFit', () => {
  const budget = { batchBytes: 900 * KiB, requestBytes: 16 * 1024 * KiB };

  it('keeps a send that fits as one request', () => {
    const send = [
      { topic: 'events', messages: [record('s1', 1, 1000), record('s2', 2, 1000)] },
      { topic: 'inbox.a', messages: [record('s1', 3, 1000)] },
    ];
    expect(splitToFit(send, budget)).toEqual([send]);
    expect(splitToFit([], budget)).toEqual([]);
  });

  it('splits a run of large records on one stream into requests under the budget, in order', () => {
    const events = Array.from({ length: 12 }, (_, i) => record('stream-1', i + 1, 400 * KiB));
    const inbox = Array.from({ length: 12 }, (_, i) => record('stream-1', i + 101, 300 * KiB));
    const requests = splitToFit(
      [
        { topic: 'events', messages: events },
        { topic: 'inbox.a', messages: inbox },
      ],
      budget,
    );
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests)
      for (const { messages } of request)
        expect(topicBytes(messages)).toBeLessThanOrEqual(900 * KiB);
    // Each topic's records, request after request, are the send's, in the send's order.
    const sent = (topic: string) =>
      requests.flatMap((r) =>
        r.filter((t) => t.topic === topic).flatMap((t) => numbers(t.messages)),
      );
    expect(sent('events')).toEqual(numbers(events));
    expect(sent('inbox.a')).toEqual(numbers(inbox));
    expect(shape(requests)[0]).toEqual({ events: ['1', '2'], 'inbox.a': ['101', '102'] });
  });

  it('sends a record over the budget by itself alone for its topic, and goes on after it', () => {
    const requests = splitToFit(
      [
        {
          topic: 'events',
          messages: [
            record('a', 1, 10 * KiB),
            record('b', 2, 3 * 1024 * KiB),
            record('c', 3, 10 * KiB),
            record('d', 4, 10 * KiB),
          ],
        },
        { topic: 'inbox.a', messages: [record('b', 5, 10 * KiB)] },
      ],
      budget,
    );
    expect(shape(requests)).toEqual([
      { events: ['1'], 'inbox.a': ['5'] },
      { events: ['2'] },
      { events: ['3', '4'] },
    ]);
  });

  it('keeps every request under the request budget', () => {
    const topics = Array.from({ length: 10 }, (_, t) => ({
      topic: `inbox.${t}`,
      messages: Array.from({ length: 3 }, (_, i) => record(`s${i}`, t * 10 + i, 200 * KiB)),
    }));
    const requests = splitToFit(topics, { batchBytes: 900 * KiB, requestBytes: 2 * 1024 * KiB });
    for (const request of requests) {
      const bytes = request
        .flatMap((t) => t.messages)
        .reduce((s, m) => s + estimateRecordBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(2 * 1024 * KiB);
    }
    expect(requests.flatMap((r) => r.flatMap((t) => t.messages))).toHaveLength(30);
    for (const { topic, messages } of topics) {
      const sent = requests.flatMap((r) =>
        r.filter((t) => t.topic === topic).flatMap((t) => t.messages),
      );
      expect(sent).toEqual(messages);
    }
  });
});
