import { Inject, Injectable } from '@nestjs/common';
import {
  AUDIT_ACCESSED_V1,
  AuditAccessedV1,
  auditStreamId,
  backboneSource,
} from '@backbone/contracts';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import type { AuditAccess } from './audit-access';

/**
 * Appends `audit.accessed.v1` to the auditor's own stream, `audit-<auditorId>`: one hash chain
 * per auditor, which any auditor can read (`/v1/audit/auditors/{id}/accesses`) and verify.
 * Durable before it returns (the store commits synchronously), so no answer outlives a crash
 * that lost its record.
 */
@Injectable()
export class AccessRecorder {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async record(access: AuditAccess, data: AuditAccessedV1): Promise<void> {
    await this.store.appendToStream(auditStreamId(access.auditor), 'any', [
      {
        eventId: access.eventId,
        type: AUDIT_ACCESSED_V1,
        data: { ...data },
        metadata: { source: backboneSource('audit'), actingAgency: access.auditor },
      },
    ]);
  }
}
