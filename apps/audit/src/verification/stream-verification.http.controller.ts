import { Get, Inject, Param } from '@nestjs/common';
import { EVENT_STORE, EventStore, StreamVerification } from '@backbone/event-store';
import { problem } from '@backbone/http';
import { Access, AuditedAs } from '../access-log/audit-access.interceptor';
import { AuditAccess } from '../access-log/audit-access';
import { AuditController } from '../access-log/audit-route.decorator';

/** Hash-chain verification of one stream (CONTRACT §7). */
@AuditController()
export class StreamVerificationHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('streams/:streamId/verify')
  @AuditedAs('stream-verification')
  async verify(
    @Param('streamId') streamId: string,
    @Access() access: AuditAccess,
  ): Promise<StreamVerification> {
    access.reading(streamId);
    const verification = await this.store.verifyStream(streamId);
    // A stream with neither record nor events was never written (or was wiped whole).
    if (
      verification.valid &&
      verification.events === 0 &&
      !(await this.store.getStream(streamId))
    ) {
      throw problem(404, 'Not Found', `no stream ${streamId} is stored`);
    }
    await access.disclosing(verification.events, []);
    return verification;
  }
}
