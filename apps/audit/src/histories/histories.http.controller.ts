import { Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { referralStreamId } from '@backbone/domain';
import { problem } from '@backbone/http';
import { subjectStreamId } from '@backbone/contracts';
import { Access, AuditedAs } from '../access-log/audit-access.interceptor';
import { AuditAccess } from '../access-log/audit-access';
import { AuditController } from '../access-log/audit-route.decorator';
import { parseAsOf } from './as-of';
import { AuditHistories, ReferralHistory, SubjectHistory, subjectsOf } from './audit-histories';

const AS_OF = {
  name: 'asOf',
  required: false,
  description: 'RFC 3339 instant: the history and state as they stood then',
};

/** Histories of a referral and of a person across agencies (CONTRACT §7). */
@AuditController()
export class HistoriesHttpController {
  constructor(private readonly histories: AuditHistories) {}

  @Get('referrals/:referralId/history')
  @AuditedAs('referral-history')
  @ApiQuery(AS_OF)
  async referral(
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @Query('asOf') rawAsOf: string | undefined,
    @Access() access: AuditAccess,
  ): Promise<ReferralHistory> {
    const asOf = parseAsOf(rawAsOf);
    access.reading(referralStreamId(referralId), asOf?.text);
    const history = await this.histories.referral(referralId, asOf, (events) =>
      access.disclosing(events.length, subjectsOf(events)),
    );
    if (!history) throw problem(404, 'Not Found', `no referral ${referralId} was ever made`);
    return history;
  }

  @Get('subjects/:subjectId/history')
  @AuditedAs('subject-history')
  @ApiQuery(AS_OF)
  async subject(
    @Param('subjectId') subjectId: string,
    @Query('asOf') rawAsOf: string | undefined,
    @Access() access: AuditAccess,
  ): Promise<SubjectHistory> {
    const asOf = parseAsOf(rawAsOf);
    access.reading(subjectStreamId(subjectId), asOf?.text);
    const history = await this.histories.subject(subjectId, asOf, (events) =>
      access.disclosing(events.length, [subjectId]),
    );
    if (!history) throw problem(404, 'Not Found', `the store holds nothing about ${subjectId}`);
    return history;
  }
}
