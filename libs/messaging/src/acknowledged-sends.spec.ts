import fc from 'fast-check';
import type { Message, PartitionerArgs, ProducerBatch, RecordMetadata } from 'kafkajs';
import { PartitionLedger, sendEveryRecord } from './acknowledged-sends';
import { messagingMetrics } from './messaging-metrics';

const PARTITIONS = 6;
const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
  partitionId,
  leader: 0,
  replicas: [],
  isr: [],
  partitionErrorCode: 0,
}));

/**
 * A cluster and a producer that behave as kafkajs 2.2.4's `sendMessages` does when a broker is
 * lost: the first request to the failing broker fails, leadership of its partitions moves, and
 * the retry sends nothing to brokers that already answered, yet resolves with their answers.
 */
function clusterLosingABroker(leaders: number[], failing: number, movedTo: number[]) {
  const written = new Map<string, string[]>(); // topic/partition → record values, in order
  const leaderOf = [...leaders];
  let lost = false;
  const producer = (partitioner: (args: PartitionerArgs) => number) => {
    return async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
      const answered = new Map<number, RecordMetadata[]>();
      for (let attempt = 0; attempt < 10; attempt++) {
        const perBroker = new Map<number, { topic: string; partition: number; m: Message }[]>();
        for (const { topic, messages } of batch.topicMessages ?? []) {
          for (const m of messages) {
            const partition = partitioner({ topic, partitionMetadata, message: m });
            const broker = leaderOf[partition];
            if (answered.has(broker)) continue; // kafkajs's `brokersWithoutResponse`
            perBroker.set(broker, [...(perBroker.get(broker) ?? []), { topic, partition, m }]);
          }
        }
        let failed = false;
        for (const [broker, records] of perBroker) {
          if (broker === failing && !lost) {
            lost = true;
            failed = true;
            movedTo.forEach((to, i) => {
              if (leaderOf[i] === failing) leaderOf[i] = to;
            });
            continue;
          }
          for (const { topic, partition, m } of records) {
            const key = `${topic}/${partition}`;
            written.set(key, [...(written.get(key) ?? []), String(m.value)]);
          }
          const partitions = new Set(records.map((r) => `${r.topic}\u0000${r.partition}`));
          answered.set(
            broker,
            [...partitions].map((p) => {
              const [topicName, partition] = p.split('\u0000');
              return { topicName, partition: Number(partition), errorCode: 0 };
            }),
          );
        }
        if (!failed) return [...answered.values()].flat();
      }
      throw new Error('no answer');
    };
  };
  return { written, producer };
}

const keyed = (n: number): Message => ({ key: `stream-${n % 11}`, value: `record-${n}` });

describe('sendEveryRecord', () => {
  it('sends again what a producer left out of an acknowledged send when a broker was lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2 }), {
          minLength: PARTITIONS,
          maxLength: PARTITIONS,
        }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: 0, max: 2 }), {
          minLength: PARTITIONS,
          maxLength: PARTITIONS,
        }),
        fc.integer({ min: 1, max: 40 }),
        async (leaders, failing, moves, records) => {
          // Leadership moves to a broker that is not the lost one.
          const movedTo = moves.map((to) => (to === failing ? (to + 1) % 3 : to));
          const cluster = clusterLosingABroker(leaders, failing, movedTo);
          const ledger = new PartitionLedger();
          const send = cluster.producer(ledger.partitioner());
          const messages = Array.from({ length: records }, (_, n) => keyed(n));
          await sendEveryRecord(
            ledger,
            { topicMessages: [{ topic: 'events', messages }], acks: -1 },
            send,
          );
          const written = new Set([...cluster.written.values()].flat());
          expect(messages.filter((m) => !written.has(String(m.value)))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps each partition in order when its records are sent again', async () => {
    // Partitions led by broker 0 and 1; broker 1 is lost and its partitions move to broker 0,
    // which has already answered: kafkajs's retry alone would leave them out.
    const cluster = clusterLosingABroker([0, 1, 0, 1, 0, 1], 1, [0, 0, 0, 0, 0, 0]);
    const ledger = new PartitionLedger();
    const messages = Array.from({ length: 30 }, (_, n) => keyed(n));
    await sendEveryRecord(
      ledger,
      { topicMessages: [{ topic: 'events', messages }] },
      cluster.producer(ledger.partitioner()),
    );
    const choose = new PartitionLedger().partitioner();
    const expected = new Map<string, string[]>();
    for (const message of messages) {
      const key = `events/${choose({ topic: 'events', partitionMetadata, message })}`;
      expected.set(key, [...(expected.get(key) ?? []), String(message.value)]);
    }
    expect(new Map([...cluster.written].sort())).toEqual(new Map([...expected].sort()));
  });

  it('counts what it sent again, and fails once resending does not get records acknowledged', async () => {
    const ledger = new PartitionLedger();
    const choose = ledger.partitioner();
    let sends = 0;
    const neverAcknowledges = async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
      sends++;
      for (const { topic, messages } of batch.topicMessages ?? [])
        for (const message of messages) choose({ topic, partitionMetadata, message });
      return [];
    };
    const resent = async () => (await messagingMetrics.recordsResent.get()).values[0]?.value ?? 0;
    const before = await resent();
    await expect(
      sendEveryRecord(
        ledger,
        { topicMessages: [{ topic: 'events', messages: [keyed(1), keyed(2)] }] },
        neverAcknowledges,
      ),
    ).rejects.toThrow('2 records were still not acknowledged after 5 resends');
    expect(sends).toBe(6);
    expect(await resent()).toBe(before + 10);
  });

  it('cannot prove a record put in two partitions delivered, so sends it again', () => {
    const ledger = new PartitionLedger();
    const choose = ledger.partitioner();
    const keyless: Message = { value: 'no key' };
    // The default partitioner spreads key-less records round-robin: each attempt moves it on.
    const first = choose({ topic: 'events', partitionMetadata, message: keyless });
    const second = choose({ topic: 'events', partitionMetadata, message: keyless });
    expect(first).not.toBe(second);
    const both = [first, second].map((partition) => ({ topicName: 'events', partition }));
    expect(
      ledger.unacknowledged([{ topic: 'events', messages: [keyless] }], both as RecordMetadata[]),
    ).toEqual([{ topic: 'events', messages: [keyless] }]);
  });

  it('takes a send without acknowledgements (acks 0) as it is', async () => {
    const answer = await sendEveryRecord(
      new PartitionLedger(),
      { topicMessages: [{ topic: 'events', messages: [keyed(1)] }], acks: 0 },
      async () => [],
    );
    expect(answer).toEqual([]);
  });
});
