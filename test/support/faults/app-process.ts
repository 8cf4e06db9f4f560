// The entry point of a backbone service run as a child process by the fault tests. Its modules
// come from APP (comma-separated: sector-service, publisher, projector); configuration from the
// usual environment. FAULT makes it kill itself with SIGKILL at one precise moment:
//   kill-before-answers:N  before producing the Nth batch of command answers (its events and
//                          outcomes are committed; the answers never leave)
//   kill-after-publish:N   after Kafka acknowledged the Nth batch of published events, before
//                          the publisher's checkpoint moves
import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { Kafka, Producer, ProducerBatch } from 'kafkajs';
import { loadConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { startService } from '@backbone/platform';
import { ProjectorModule } from '@backbone/projector';
import { PublisherModule } from '@backbone/publisher';
import { SectorServiceModule } from '@backbone/sector-service';

const MODULES: Record<string, Type> = {
  'sector-service': SectorServiceModule,
  publisher: PublisherModule,
  projector: ProjectorModule,
};

function armFault(spec: string, topics: TopicNames): void {
  const [fault, countText] = spec.split(':');
  const at = Number(countText);
  const isAnswers = (batch: ProducerBatch): boolean =>
    (batch.topicMessages ?? []).some((t) => t.topic.startsWith(topics.outcomes('')));
  const isPublished = (batch: ProducerBatch): boolean =>
    (batch.topicMessages ?? []).some((t) => t.topic === topics.events);
  let seen = 0;
  const die = (): never => {
    process.stdout.write(`FAULT ${fault} fired\n`);
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to its own Kafka below
  const makeProducer = Kafka.prototype.producer;
  Kafka.prototype.producer = function (
    this: Kafka,
    ...args: Parameters<Kafka['producer']>
  ): Producer {
    const producer = makeProducer.apply(this, args);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch) => {
      if (fault === 'kill-before-answers' && isAnswers(batch) && ++seen === at) die();
      const sent = await sendBatch(batch);
      if (fault === 'kill-after-publish' && isPublished(batch) && ++seen === at) die();
      return sent;
    };
    return producer;
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (process.env.FAULT) armFault(process.env.FAULT, new TopicNames(config.topicPrefix));
  const features = (process.env.APP ?? '').split(',').map((name) => {
    const feature = MODULES[name.trim()];
    if (!feature) throw new Error(`unknown APP part "${name}"`);
    return feature;
  });
  const app = await startService(`fault-test ${process.env.APP}`, config, features, {
    handleSignals: true,
  });
  process.stdout.write(`READY ${await app.getUrl()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
