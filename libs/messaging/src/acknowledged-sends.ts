// A kafkajs producer whose sends resolve only once every record is acknowledged.
//
// kafkajs 2.2.4 (its latest release) can resolve a send with records never sent: its retry keeps
// the answers of brokers that already acknowledged their share and sends nothing more to them,
// so when a broker is lost and its partitions' leadership moves to a broker that had already
// answered, the records for those partitions are dropped without an error (kafkajs issue 1303;
// `src/producer/sendMessages.js`, `brokersWithoutResponse`). The broker-loss fault test lost
// commands, events and inbox copies that way. The answer kafkajs returns still tells the truth:
// it lists only the partitions a broker acknowledged. So the partitioner here notes where each
// record was put, each send checks that every record's partition is in the answer, and the
// records whose partition is missing are sent again, through the same producer (their sequence
// numbers were never used, so an idempotent producer stays in step).
import {
  Kafka,
  Message,
  Partitioners,
  Producer,
  ProducerBatch,
  ProducerConfig,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
} from 'kafkajs';
import type { ICustomPartitioner } from 'kafkajs';
import { rootLogger } from '@backbone/observability';
import { LEADERS_MAX_AGE_MS } from './kafka-client';
import { messagingMetrics } from './messaging-metrics';

/** How many times records left out of an acknowledged send are sent again before failing it. */
const RESENDS = 5;

const logger = rootLogger.child({ component: 'producer' });

/**
 * Where the partitioner put each record, by the record's own object (kafkajs hands the caller's
 * message objects to the partitioner unchanged). A record put in more than one partition during
 * one send (a key-less record, or a topic that grew partitions during a retry) cannot be proved
 * delivered by its partition, so it counts as not delivered: sending it again may duplicate it,
 * which consumers tolerate; assuming it delivered could lose it.
 */
export class PartitionLedger {
  private readonly placed = new WeakMap<Message, Set<number>>();

  constructor(private readonly inner: ICustomPartitioner = Partitioners.DefaultPartitioner) {}

  /** The partitioner to give kafkajs (`createPartitioner`): the inner one, noting its choices. */
  readonly partitioner: ICustomPartitioner = () => {
    const choose = this.inner();
    return (args) => {
      const partition = choose(args);
      const seen = this.placed.get(args.message) ?? new Set<number>();
      seen.add(partition);
      this.placed.set(args.message, seen);
      return partition;
    };
  };

  /** The records of `topicMessages` that `answer` does not show acknowledged. */
  unacknowledged(topicMessages: TopicMessages[], answer: RecordMetadata[]): TopicMessages[] {
    const acknowledged = new Set(answer.map((r) => `${r.topicName}\u0000${r.partition}`));
    return topicMessages
      .map(({ topic, messages }) => ({
        topic,
        messages: messages.filter((message) => {
          const partitions = this.placed.get(message);
          if (!partitions || partitions.size !== 1) return true;
          const [partition] = partitions;
          return !acknowledged.has(`${topic}\u0000${partition}`);
        }),
      }))
      .filter(({ messages }) => messages.length > 0);
  }
}

/** Fresh message objects, so that the ledger's notes belong to this one send. */
const copied = (topicMessages: TopicMessages[]): TopicMessages[] =>
  topicMessages.map(({ topic, messages }) => ({
    topic,
    messages: messages.map((m) => ({ ...m })),
  }));

const count = (topicMessages: TopicMessages[]): number =>
  topicMessages.reduce((sum, { messages }) => sum + messages.length, 0);

/**
 * Sends `topicMessages` through `send` (one kafkajs `sendBatch`) and sends again whatever the
 * answer leaves out, until every record is acknowledged; fails after `RESENDS` such rounds.
 * With `acks: 0` there is no answer to check, so the send is taken as it is.
 */
export async function sendEveryRecord(
  ledger: PartitionLedger,
  batch: ProducerBatch,
  send: (batch: ProducerBatch) => Promise<RecordMetadata[]>,
): Promise<RecordMetadata[]> {
  if (batch.acks === 0) return send(batch);
  const answers: RecordMetadata[] = [];
  let pending = copied(batch.topicMessages ?? []);
  for (let round = 0; ; round++) {
    const answer = await send({ ...batch, topicMessages: pending });
    answers.push(...answer);
    const missing = ledger.unacknowledged(pending, answer);
    if (missing.length === 0) return answers;
    const records = count(missing);
    if (round === RESENDS) {
      throw new Error(
        `${records} records were still not acknowledged after ${RESENDS} resends ` +
          `(topics ${missing.map((t) => t.topic).join(', ')})`,
      );
    }
    logger.warn(
      { records, topics: missing.map((t) => t.topic), round: round + 1 },
      'the producer left records of an acknowledged send unsent (kafkajs issue 1303, after a ' +
        "partition's leader moved): sending them again",
    );
    messagingMetrics.recordsResent.inc(records);
    pending = copied(missing);
  }
}

/**
 * A kafkajs producer (made from `config`) whose `send` and `sendBatch` resolve only once every
 * record is acknowledged (see the top of this file), and which looks for partitions' new leaders
 * after `LEADERS_MAX_AGE_MS` at most. Its other methods are kafkajs's own.
 */
export function acknowledgingProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  const ledger = new PartitionLedger(config.createPartitioner ?? Partitioners.DefaultPartitioner);
  const producer = kafka.producer({
    metadataMaxAge: LEADERS_MAX_AGE_MS,
    ...config,
    createPartitioner: ledger.partitioner,
  });
  const sendBatch = (batch: ProducerBatch): Promise<RecordMetadata[]> =>
    sendEveryRecord(ledger, batch, (part) => producer.sendBatch(part));
  return {
    ...producer,
    sendBatch,
    send: ({ topic, messages, ...options }: ProducerRecord) =>
      sendBatch({ ...options, topicMessages: [{ topic, messages }] }),
  };
}
