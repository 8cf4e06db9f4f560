import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import type { Producer, TopicMessages } from 'kafkajs';
import { LogProducer, isProducerStateError } from './log-producer';
import { isTooLargeError } from './split-sends';
import { messagingMetrics } from './messaging-metrics';

const protocolError = (type: string) =>
  Object.assign(new KafkaJSProtocolError('broker said no'), { type });

describe('isProducerStateError', () => {
  it('knows the answers only a new producer id gets past, also when wrapped', () => {
    expect(isProducerStateError(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(true);
    expect(isProducerStateError(protocolError('UNKNOWN_PRODUCER_ID'))).toBe(true);
    // As kafkajs's retrier hands it on once it gives up.
    const inner = protocolError('INVALID_PRODUCER_EPOCH');
    expect(
      isProducerStateError(Object.assign(new KafkaJSNonRetriableError(inner), { cause: inner })),
    ).toBe(true);
  });

  it('leaves other failures to the usual retry', () => {
    expect(isProducerStateError(protocolError('NOT_LEADER_FOR_PARTITION'))).toBe(false);
    expect(isProducerStateError(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(isProducerStateError(undefined)).toBe(false);
  });
});

describe('LogProducer', () => {
  /** Producers that answer each send from `answers`, in order, and count what was done to them. */
  function producers(answers: (Error | undefined)[]) {
    const made: { sends: number; connects: number; disconnects: number }[] = [];
    const factory = (): Producer => {
      const stats = { sends: 0, connects: 0, disconnects: 0 };
      made.push(stats);
      return {
        connect: async () => void stats.connects++,
        disconnect: async () => void stats.disconnects++,
        sendBatch: async () => {
          stats.sends++;
          const answer = answers.shift();
          if (answer) throw answer;
          return [];
        },
      } as unknown as Producer;
    };
    return { made, factory };
  }

  it('sends the next batch through a new producer once the broker no longer knows its sequence', async () => {
    const outOfOrder = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER');
    const { made, factory } = producers([undefined, outOfOrder, undefined]);
    const log = new LogProducer(factory);
    await log.connect();
    await log.sendBatch({ topicMessages: [] });
    // The failed send is reported: the publisher sends again from its checkpoint.
    await expect(log.sendBatch({ topicMessages: [] })).rejects.toBe(outOfOrder);
    await log.sendBatch({ topicMessages: [] });
    expect(made).toEqual([
      { sends: 2, connects: 1, disconnects: 1 },
      { sends: 1, connects: 1, disconnects: 0 },
    ]);
  });

  it('keeps its producer through other failures', async () => {
    const refused = new Error('connect ECONNREFUSED');
    const { made, factory } = producers([refused, undefined]);
    const log = new LogProducer(factory);
    await log.connect();
    await expect(log.sendBatch({ topicMessages: [] })).rejects.toBe(refused);
    await log.sendBatch({ topicMessages: [] });
    expect(made).toEqual([{ sends: 2, connects: 1, disconnects: 0 }]);
  });

  it('never connects again by itself once disconnected, as at shutdown', async () => {
    const { made, factory } = producers([undefined]);
    const log = new LogProducer(factory);
    await log.connect();
    await log.disconnect();
    await log.sendBatch({ topicMessages: [] }); // kafkajs's own producer would refuse it
    expect(made).toEqual([{ sends: 1, connects: 1, disconnects: 1 }]);
  });
});

describe('LogProducer splitting sends', () => {
  const KiB = 1024;
  const big = (n: number) => ({ key: 'stream-1', value: `${n}:`.padEnd(400 * KiB, 'x') });

  it('sends a run of large records as several requests, each after the one before is acknowledged', async () => {
    const sent: string[][] = [];
    let inFlight = 0;
    const producer = {
      connect: async () => undefined,
      sendBatch: async ({ topicMessages }: { topicMessages: TopicMessages[] }) => {
        expect(inFlight).toBe(0);
        inFlight++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        sent.push(
          topicMessages.flatMap((t) => t.messages.map((m) => String(m.value).split(':')[0])),
        );
        inFlight--;
        return [];
      },
    } as unknown as Producer;
    const log = new LogProducer(() => producer);
    await log.sendBatch({
      topicMessages: [
        { topic: 'events', messages: Array.from({ length: 6 }, (_, i) => big(i + 1)) },
      ],
      acks: -1,
    });
    expect(sent).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('reports a record too large for its topic loudly, and still fails the send', async () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE');
    const producer = {
      connect: async () => undefined,
      sendBatch: async () => {
        throw tooLarge;
      },
    } as unknown as Producer;
    const log = new LogProducer(() => producer);
    const counted = async () =>
      (await messagingMetrics.recordsTooLarge.get()).values.find(
        (v) => v.labels.topic === 'events-too-large',
      )?.value ?? 0;
    const before = await counted();
    await expect(
      log.sendBatch({ topicMessages: [{ topic: 'events-too-large', messages: [big(1)] }] }),
    ).rejects.toBe(tooLarge);
    expect(await counted()).toBe(before + 1);
    expect(isTooLargeError(tooLarge)).toBe(true);
  });
});
