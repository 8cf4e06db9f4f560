import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';
import { InboxChangesHttpController } from './inbox-changes/inbox-changes.http.controller';
import { InboxFeed } from './inbox-changes/inbox-feed';
import { WebhookDeliveries } from './webhooks/webhook-deliveries.store';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookGauges } from './webhooks/webhook-metrics';
import { WebhookQueuer } from './webhooks/webhook-queuer';
import { WebhookSubscriptions } from './webhooks/webhook-subscriptions.store';
import { WebhookWakeups } from './webhooks/webhook-wakeups';
import { WebhooksHttpController } from './webhooks/webhooks.http.controller';

/**
 * Publishes the event store's global log to Kafka, and pushes and serves each agency's inbox
 * over HTTP for agencies without Kafka: signed webhooks, and the changes feed. The same events,
 * opened the same way.
 */
@Module({
  controllers: [InboxChangesHttpController, WebhooksHttpController],
  providers: [
    EventPublisher,
    InboxFeed,
    WebhookWakeups,
    WebhookSubscriptions,
    WebhookDeliveries,
    WebhookQueuer,
    WebhookDispatcher,
    WebhookGauges,
  ],
  exports: [WebhookSubscriptions, WebhookDeliveries],
})
export class PublisherModule {}
