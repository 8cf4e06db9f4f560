import type { Producer, ProducerBatch, ProducerRecord } from 'kafkajs';
import { splittingProducer } from './split-sends';

const KiB = 1024;
const big = (n: number) => ({ key: 'stream-1', value: `${n}:`.padEnd(400 * KiB, 'x') });
const numbers = (messages: { value: unknown }[]) =>
  messages.map((m) => String(m.value).split(':')[0]);

describe('splittingProducer', () => {
  function recording() {
    const sent: { how: string; topics: Record<string, string[]>; acks?: number }[] = [];
    let inFlight = 0;
    const track = async (how: string, topics: Record<string, string[]>, acks?: number) => {
      expect(inFlight).toBe(0); // each part only once the one before was acknowledged
      inFlight++;
      await new Promise((resolve) => setTimeout(resolve, 2));
      sent.push({ how, topics, acks });
      inFlight--;
      return [];
    };
    const producer = {
      connect: async () => undefined,
      send: ({ topic, messages, acks }: ProducerRecord) =>
        track('send', { [topic]: numbers(messages) }, acks),
      sendBatch: ({ topicMessages = [], acks }: ProducerBatch) =>
        track(
          'sendBatch',
          Object.fromEntries(topicMessages.map((t) => [t.topic, numbers(t.messages)])),
          acks,
        ),
    } as unknown as Producer;
    return { sent, producer: splittingProducer(producer) };
  }

  it('splits send and sendBatch into parts that fit, in order, keeping the options', async () => {
    const { sent, producer } = recording();
    await producer.connect();
    await producer.send({ topic: 'dl', messages: [1, 2, 3].map(big), acks: -1 });
    await producer.sendBatch({
      topicMessages: [
        { topic: 'dl', messages: [4, 5, 6].map(big) },
        { topic: 'out', messages: [{ value: '7:' }] },
      ],
      acks: -1,
    });
    expect(sent).toEqual([
      { how: 'send', topics: { dl: ['1', '2'] }, acks: -1 },
      { how: 'send', topics: { dl: ['3'] }, acks: -1 },
      { how: 'sendBatch', topics: { dl: ['4', '5'], out: ['7'] }, acks: -1 },
      { how: 'sendBatch', topics: { dl: ['6'] }, acks: -1 },
    ]);
  });
});
