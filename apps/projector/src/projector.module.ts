import { Module } from '@nestjs/common';
import { AgencyListsHttpController } from './queries/agency-lists.http.controller';
import { AgencyStatisticsHttpController } from './queries/agency-statistics.http.controller';
import { AgencyStatisticsQueries } from './queries/agency-statistics.queries';
import { CaseViewsQueries } from './queries/case-views.queries';
import { ReferralViewsQueries } from './queries/referral-views.queries';
import { ReferralViewsConsumer } from './referral-views/referral-views.consumer';

/** Builds the per-agency read models from `referrals.events` and serves the query API. */
@Module({
  controllers: [AgencyListsHttpController, AgencyStatisticsHttpController],
  providers: [
    ReferralViewsConsumer,
    ReferralViewsQueries,
    CaseViewsQueries,
    AgencyStatisticsQueries,
  ],
})
export class ProjectorModule {}
