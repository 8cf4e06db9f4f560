import { Module } from '@nestjs/common';
import { AgencyAccessFollower } from './agency-access-follower';

/** Agencies' Kafka users and ACLs, following the directory (does nothing under KAFKA_AUTH=none). */
@Module({ providers: [AgencyAccessFollower], exports: [AgencyAccessFollower] })
export class KafkaSecurityModule {}
