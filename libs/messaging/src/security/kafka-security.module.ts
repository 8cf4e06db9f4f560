import { Module } from '@nestjs/common';
import { AgencyAccessFollower } from './agency-access-follower';

/** Agencies' Kafka users and ACLs, following the directory (does nothing unless KAFKA_AUTH=sasl). */
@Module({ providers: [AgencyAccessFollower], exports: [AgencyAccessFollower] })
export class KafkaSecurityModule {}
