import { Injectable, OnApplicationBootstrap, OnApplicationShutdown, Inject } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { CloudEvent, TopicNames } from '@backbone/contracts';
import { inTransaction } from '@backbone/database';
import { createConsumer } from '@backbone/messaging';
import { rootLogger } from '@backbone/observability';
import { applyToCaseViews } from './case-views.projection';
import { applyToReferralViews } from './referral-views.projection';

/**
 * Builds the referral read model from `referrals.events`. Each batch is applied in one
 * transaction before its offsets are committed; redelivered events are skipped by version.
 */
@Injectable()
export class ReferralViewsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'projector' });
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly pool: Pool,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const groupId = `${this.config.topicPrefix}referral-backbone.projector.referral-views`;
    this.consumer = createConsumer(this.kafka, groupId);
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.events], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: (payload) => this.applyBatch(payload),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async applyBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (!batch.messages.length) return;
    await inTransaction(this.pool, async (client) => {
      for (const message of batch.messages) {
        let event: CloudEvent;
        try {
          event = JSON.parse(String(message.value)) as CloudEvent;
        } catch {
          this.logger.error(
            { offset: message.offset },
            'unreadable record on the events topic; skipped',
          );
          continue;
        }
        if (event.type?.startsWith('case.')) await applyToCaseViews(client, event);
        else await applyToReferralViews(client, event);
      }
    });
    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
  }
}
