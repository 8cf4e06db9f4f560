import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';
import { InboxChangesHttpController } from './inbox-changes/inbox-changes.http.controller';
import { InboxFeed } from './inbox-changes/inbox-feed';

/**
 * Publishes the event store's global log to Kafka, and serves each agency's inbox as a feed over
 * HTTP: the same events, opened the same way, for agencies without Kafka.
 */
@Module({
  controllers: [InboxChangesHttpController],
  providers: [EventPublisher, InboxFeed],
})
export class PublisherModule {}
