import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { startBackbone } from '@backbone/backbone';
import { TestDatabase, createTestDatabase, testConfig } from './test-stack';
import { TopicWatcher } from './topic-watcher';

/**
 * The whole backbone in this process, on its own database and topics, with the tools an
 * agency system has: a Kafka producer, a reader of its topics, and the HTTP base address.
 */
export class BackboneUnderTest {
  private constructor(
    readonly config: BackboneConfig,
    readonly topics: TopicNames,
    readonly baseUrl: string,
    readonly producer: Producer,
    readonly watcher: TopicWatcher,
    private readonly app: INestApplication,
    private readonly database: TestDatabase,
  ) {}

  static async start(
    watchedTopics: (topics: TopicNames) => string[],
    overrides: Partial<BackboneConfig> = {},
  ): Promise<BackboneUnderTest> {
    const database = await createTestDatabase();
    const config = testConfig(database.url, overrides);
    const topics = new TopicNames(config.topicPrefix);
    const app = await startBackbone(config, { handleSignals: false });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const kafka = new Kafka({
      brokers: config.kafkaBrokers,
      clientId: 'agency-system',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const watcher = await TopicWatcher.start(config.kafkaBrokers, watchedTopics(topics));
    return new BackboneUnderTest(config, topics, baseUrl, producer, watcher, app, database);
  }

  async sendCommand(agencyId: string, value: string | Buffer, key?: string): Promise<void> {
    await this.producer.send({
      topic: this.topics.commands(agencyId),
      messages: [{ key: key ?? null, value }],
    });
  }

  http(path: string, apiKey: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${apiKey}`, ...(init.headers ?? {}) },
    });
  }

  /** Every route the HTTP server has, as `METHOD /path` with `{param}` placeholders. */
  registeredRoutes(): string[] {
    type Layer = { route?: { path: string | string[]; methods: Record<string, boolean> } };
    const express = this.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    return express.router.stack.flatMap(({ route }) =>
      route
        ? [route.path]
            .flat()
            .flatMap((path) =>
              Object.keys(route.methods).map(
                (method) => `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`,
              ),
            )
        : [],
    );
  }

  async stop(): Promise<void> {
    await this.watcher.stop();
    await this.producer.disconnect();
    await this.app.close();
    await this.database.drop();
  }
}
