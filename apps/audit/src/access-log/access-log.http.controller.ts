import { Get, Inject, Param, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { AGENCY_ID_PATTERN, auditStreamId } from '@backbone/contracts';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import { problem } from '@backbone/http';
import { toHistoryEntry, HistoryEntry } from '../histories/history-entry';
import { Access, AuditedAs } from './audit-access.interceptor';
import { AuditAccess } from './audit-access';
import { AuditController } from './audit-route.decorator';

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1_000;

function checkedInteger(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw problem(400, 'Bad Request', `${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

export interface AccessLogPage {
  auditorId: string;
  entries: HistoryEntry[];
  /** Pass as `after` for the next page; absent on the last. */
  next?: number;
}

/**
 * An auditor's own accesses (their `audit-<auditorId>` stream), for other auditors to audit.
 * Paged by stream version, so pages stay stable while new accesses are recorded.
 */
@AuditController()
export class AccessLogHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('auditors/:auditorId/accesses')
  @AuditedAs('access-log')
  @ApiQuery({ name: 'after', required: false, description: 'the last stream version already read' })
  @ApiQuery({ name: 'limit', required: false, description: `page size, at most ${MAX_LIMIT}` })
  async accesses(
    @Param('auditorId') auditorId: string,
    @Query('after') rawAfter: string | undefined,
    @Query('limit') rawLimit: string | undefined,
    @Access() access: AuditAccess,
  ): Promise<AccessLogPage> {
    if (!AGENCY_ID_PATTERN.test(auditorId)) throw problem(400, 'Bad Request', 'not an auditor id');
    const after = checkedInteger(rawAfter, 'after', 0, 2_147_483_646, 0);
    const limit = checkedInteger(rawLimit, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
    const streamId = auditStreamId(auditorId);
    access.reading(streamId);
    const events = await this.store.readStream(streamId, { from: after + 1, limit });
    await access.disclosing(events.length, []);
    const entries = events.map((event) => toHistoryEntry(event));
    const last = entries[entries.length - 1];
    return {
      auditorId,
      entries,
      ...(entries.length === limit ? { next: last.streamVersion } : {}),
    };
  }
}
