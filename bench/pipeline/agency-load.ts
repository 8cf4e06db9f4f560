// Plays the agency systems: produces referral.make.v1 commands to their command topics and
// times each until its outcome arrives on the sender's outcomes topic.
import { randomUUID } from 'node:crypto';
import { Consumer, Kafka, Producer, logLevel } from 'kafkajs';
import { TopicNames } from '@backbone/contracts';

/** Sender → receiver pairs of the demo directory where the receiver takes the category. */
const PAIRS: [string, string, string][] = [
  ['randers-school', 'randers-social', 'child-social-care'],
  ['redbridge-gp-team', 'redbridge-adult-social-care', 'adult-social-care'],
  ['ilford-jobcentre', 'redbridge-debt-advice', 'debt-advice'],
  ['east-jutland-police', 'randers-social', 'safeguarding'],
  ['redbridge-housing', 'redbridge-drug-rehab', 'substance-misuse'],
];

export function makeCommand(index: number): {
  from: string;
  id: string;
  value: string;
  key: string;
} {
  const [from, to, category] = PAIRS[index % PAIRS.length];
  const referralId = randomUUID();
  const id = randomUUID();
  const command = {
    specversion: '1.0',
    id,
    source: `agency/${from}`,
    type: 'referral.make.v1',
    time: new Date().toISOString(),
    subject: referralId,
    datacontenttype: 'application/json',
    data: {
      referralId,
      to,
      category,
      priority: 'routine',
      reason: 'Benchmark referral: concerns raised at a routine contact, consent given to share.',
      subject: {
        identifiers: [{ system: 'bench', value: `person-${index}` }],
        birthDate: '1990-01-01',
      },
      lawfulBasis: { basis: 'consent', consentRef: `bench-${index}` },
    },
  };
  return { from, id, key: referralId, value: JSON.stringify(command) };
}

export class AgencyLoad {
  /** When each command was sent, and when its outcome arrived (ms, performance clock). */
  readonly sentAt = new Map<string, number>();
  readonly answeredAt = new Map<string, number>();
  private sequence = 0;
  private readonly sentListeners: ((referralId: string, sentAt: number) => void)[] = [];

  private constructor(
    private readonly producer: Producer,
    private readonly consumer: Consumer,
    private readonly topics: TopicNames,
  ) {}

  static async start(brokers: string[], topics: TopicNames): Promise<AgencyLoad> {
    const kafka = new Kafka({ brokers, clientId: 'bench-agencies', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({
      groupId: `bench-outcomes-${randomUUID()}`,
      maxWaitTimeInMs: 50,
    });
    const load = new AgencyLoad(producer, consumer, topics);
    await producer.connect();
    await consumer.connect();
    const senders = [...new Set(PAIRS.map(([from]) => from))];
    await consumer.subscribe({
      topics: senders.map((s) => topics.outcomes(s)),
      fromBeginning: false,
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          const causation = (JSON.parse(String(message.value)) as { causationid?: string })
            .causationid;
          if (causation && !load.answeredAt.has(causation)) load.answeredAt.set(causation, now);
        }
      },
    });
    await new Promise((r) => setTimeout(r, 2_000)); // the group must be assigned before timing
    return load;
  }

  /**
   * Sends `count` commands in batches per sender topic. With `sentTwiceEvery`, one command in
   * that many is produced twice in a row, as by an agency system that sends again when its first
   * attempt seemed to fail: the backbone must answer the copy with the same outcome.
   */
  async send(count: number, { sentTwiceEvery }: { sentTwiceEvery?: number } = {}): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    const now = performance.now();
    for (let i = 0; i < count; i++) {
      const sequence = this.sequence++;
      const command = makeCommand(sequence);
      this.sentAt.set(command.id, now);
      for (const listener of this.sentListeners) listener(command.key, now);
      const topic = this.topics.commands(command.from);
      const messages = byTopic.get(topic) ?? [];
      byTopic.set(topic, messages);
      const record = { key: command.key, value: command.value };
      messages.push(record);
      if (sentTwiceEvery && sequence % sentTwiceEvery === 0) messages.push(record);
    }
    await this.producer.sendBatch({
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      acks: -1,
    });
  }

  /** Tells `listener` of each command's referral (its record key) as it is produced. */
  onSent(listener: (referralId: string, sentAt: number) => void): void {
    this.sentListeners.push(listener);
  }

  /** Resolves once every command sent so far has its outcome, or rejects after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.answeredAt.size < this.sentAt.size) {
      if (performance.now() > deadline) {
        throw new Error(`only ${this.answeredAt.size} of ${this.sentAt.size} commands answered`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  latenciesSince(since: number): number[] {
    return [...this.sentAt]
      .filter(([, sent]) => sent >= since)
      .map(([id, sent]) => (this.answeredAt.get(id) ?? NaN) - sent)
      .filter((ms) => !Number.isNaN(ms));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.producer.disconnect();
  }
}
