import { Inject, Injectable } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { TopicNames } from '@backbone/contracts';
import { ANSWER_PRODUCER, countOutcome, toKafkaMessage } from '@backbone/messaging';
import type { OutcomeEvent } from '@backbone/contracts';

/**
 * Puts an outcome on the sender's outcomes topic (acks=all), keyed by the command's subject so
 * one referral's outcomes stay in order. Every answer goes there, whichever way the command came.
 */
@Injectable()
export class OutcomeSender {
  constructor(
    private readonly topics: TopicNames,
    @Inject(ANSWER_PRODUCER) private readonly producer: Producer,
  ) {}

  async send(
    agencyId: string,
    outcome: OutcomeEvent,
    channel: 'kafka' | 'http',
    traceHeaders: Record<string, string> = {},
  ): Promise<void> {
    await this.producer.send({
      topic: this.topics.outcomes(agencyId),
      acks: -1,
      messages: [toKafkaMessage(outcome, outcome.subject || outcome.data.commandId, traceHeaders)],
    });
    countOutcome(outcome, channel);
  }
}
