import { Module } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { PIPELINED_POOL } from '@backbone/database';
import { ConsumerThread } from './consumer-thread/consumer-thread';
import { InsightsPageModule } from './insights-page/insights-page.module';
import { AgencyListsHttpController } from './queries/agency-lists.http.controller';
import { AgencyStatisticsHttpController } from './queries/agency-statistics.http.controller';
import { AgencyStatisticsQueries } from './queries/agency-statistics.queries';
import { CaseViewsQueries } from './queries/case-views.queries';
import { CooperationFlowsQueries } from './queries/cooperation-flows.queries';
import { HandoverFlowsQueries } from './queries/handover-flows.queries';
import { InsightsHttpController } from './queries/insights.http.controller';
import { InsightsAgendaHttpController } from './queries/insights-agenda.http.controller';
import { AgendaQueries } from './queries/agenda.queries';
import { ReferralViewsQueries } from './queries/referral-views.queries';
import { ProjectorConsumer } from './engine/projector.consumer';

/** The consumer that keeps the read models: in a thread of its own unless PROJECTOR_THREAD=main. */
const REFERRAL_VIEWS_PROJECTION = Symbol('REFERRAL_VIEWS_PROJECTION');

/**
 * Builds the per-agency read models from `referrals.events` and serves the query API, and the
 * directors' page beside the insights routes it calls.
 */
@Module({
  imports: [InsightsPageModule],
  controllers: [
    AgencyListsHttpController,
    AgencyStatisticsHttpController,
    InsightsHttpController,
    InsightsAgendaHttpController,
  ],
  providers: [
    {
      provide: REFERRAL_VIEWS_PROJECTION,
      inject: [BACKBONE_CONFIG, Kafka, TopicNames, Pool, PIPELINED_POOL],
      useFactory: (
        config: BackboneConfig,
        kafka: Kafka,
        topics: TopicNames,
        pool: Pool,
        pipelinedPool: Pool,
      ): ConsumerThread | ProjectorConsumer =>
        config.projectorThread === 'worker'
          ? new ConsumerThread(config)
          : new ProjectorConsumer(kafka, topics, pool, pipelinedPool, config),
    },
    ReferralViewsQueries,
    CaseViewsQueries,
    AgencyStatisticsQueries,
    CooperationFlowsQueries,
    HandoverFlowsQueries,
    AgendaQueries,
  ],
})
export class ProjectorModule {}
