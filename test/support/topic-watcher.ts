import { randomUUID } from 'node:crypto';
import { IHeaders, Kafka, logLevel } from 'kafkajs';
import { KeptRunning, LEADERS_MAX_AGE_MS } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';

export interface WatchedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: IHeaders;
  /** The record's timestamp: when the broker appended it, on topics with `LogAppendTime`. */
  timestamp: number;
  /** The value parsed as JSON, when it is JSON. */
  json?: Record<string, unknown>;
}

/** Reads topics from the beginning, as an agency system or auditor would, and keeps every record. */
export class TopicWatcher {
  readonly records: WatchedRecord[] = [];
  private constructor(private readonly running: KeptRunning) {}

  static async start(brokers: string[], topics: string[]): Promise<TopicWatcher> {
    const kafka = new Kafka({ brokers, clientId: 'test-watcher', logLevel: logLevel.NOTHING });
    // Leaders looked up as often as the backbone's own clients do (see kafka-client.ts): a
    // watcher that clung to a hung broker for minutes would make a fault test wait for it.
    const consumer = kafka.consumer({
      groupId: `test-watcher-${randomUUID()}`,
      maxWaitTimeInMs: 200,
      metadataMaxAge: LEADERS_MAX_AGE_MS,
    });
    // Kept running: a watcher that stopped on a broker's restart would miss what comes after.
    const running = new KeptRunning(consumer, rootLogger.child({ component: 'test-watcher' }));
    const watcher = new TopicWatcher(running);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await running.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = message.value?.toString() ?? null;
        let json: Record<string, unknown> | undefined;
        try {
          json = value ? (JSON.parse(value) as Record<string, unknown>) : undefined;
        } catch {
          json = undefined;
        }
        watcher.records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value,
          headers: message.headers ?? {},
          timestamp: Number(message.timestamp),
          json,
        });
      },
    });
    return watcher;
  }

  /** Resolves with the first record that matches, or fails after `timeoutMs`. */
  async waitFor(
    match: (record: WatchedRecord) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<WatchedRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.records.find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.running.stop();
  }
}
