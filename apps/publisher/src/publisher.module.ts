import { Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher';

/** Publishes the event store's global log to Kafka. */
@Module({ providers: [EventPublisher] })
export class PublisherModule {}
