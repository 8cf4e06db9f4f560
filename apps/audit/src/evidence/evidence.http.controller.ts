import { Get, Header, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import type { Response } from 'express';
import { problem } from '@backbone/http';
import { Access, AuditedAs } from '../access-log/audit-access.interceptor';
import { AuditAccess } from '../access-log/audit-access';
import { AuditController } from '../access-log/audit-route.decorator';
import type { EvidenceBundle } from './evidence-bundle';
import { EvidenceExport } from './evidence-export';

/** A referral's evidence bundle, signed so it can be checked offline (CONTRACT §7). */
@AuditController()
export class EvidenceHttpController {
  constructor(private readonly evidence: EvidenceExport) {}

  @Get('referrals/:referralId/export')
  @AuditedAs('evidence-export')
  @Header('Cache-Control', 'no-store')
  async export(
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @Access() access: AuditAccess,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EvidenceBundle> {
    access.reading(`referral-${referralId}`);
    const bundle = await this.evidence.referral(referralId, access);
    if (!bundle) throw problem(404, 'Not Found', `no referral ${referralId} was ever made`);
    const stamp = bundle.content.exportedAt.replace(/[:.]/g, '-');
    response.attachment(`evidence-referral-${referralId}-${stamp}.json`);
    return bundle;
  }
}
