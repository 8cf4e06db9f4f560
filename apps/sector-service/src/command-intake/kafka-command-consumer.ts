import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { Sector, TopicNames } from '@backbone/contracts';
import { Directory } from '@backbone/directory';
import { BACKBONE_PRODUCER, createConsumer, toKafkaMessage } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { CommandProcessor } from './command-processor';

/**
 * Consumes the command topics of this sector's agencies and answers every record on the
 * sender's outcomes topic. The offset is committed only after the answer is acknowledged.
 */
@Injectable()
export class KafkaCommandConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'command-consumer' });
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly directory: Directory,
    private readonly processor: CommandProcessor,
    @Inject(BACKBONE_PRODUCER) private readonly producer: Producer,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const sector = this.config.sector as Sector | undefined;
    const agencies = this.directory.agenciesInSector(sector);
    if (!agencies.length) {
      this.logger.warn({ sector }, 'no agencies in this sector; consuming nothing');
      return;
    }
    const groupId = `${this.config.topicPrefix}referral-backbone.sector-service.${sector ?? 'all'}`;
    this.consumer = createConsumer(this.kafka, groupId);
    await this.consumer.connect();
    // From the beginning for a new group: commands sent before the first start are answered too.
    await this.consumer.subscribe({
      topics: agencies.map((agency) => this.topics.commands(agency.id)),
      fromBeginning: true,
    });
    await this.consumer.run({ eachMessage: (payload) => this.answer(payload) });
    this.logger.info({ groupId, agencies: agencies.length }, 'consuming command topics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async answer({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const agencyId = this.topics.agencyOfCommandTopic(topic) as string;
    const result = await this.processor.process(message.value, agencyId);
    if (result.kind === 'answered') {
      const { outcome } = result;
      await this.producer.send({
        topic: this.topics.outcomes(agencyId),
        acks: -1,
        messages: [toKafkaMessage(outcome, outcome.subject || outcome.data.commandId)],
      });
      return;
    }
    this.logger.warn(
      { topic, partition, offset: message.offset, reason: result.reason },
      'dead-lettered a command',
    );
    await this.producer.send({
      topic: this.topics.deadLetter,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            'dlq-reason': result.reason,
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
          },
        },
      ],
    });
  }
}
