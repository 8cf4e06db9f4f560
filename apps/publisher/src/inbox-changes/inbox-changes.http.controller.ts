import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import type { CloudEvent } from '@backbone/contracts';
import { PersonalDataOpener } from '@backbone/data-protection';
import type { Principal } from '@backbone/directory';
import {
  AllowedPrincipals,
  ApiKeyGuard,
  CurrentPrincipal,
  problem,
  requireOwnAgency,
} from '@backbone/http';
import { rootLogger } from '@backbone/observability';
import { toPublishedEvent } from '../published-event';
import { decodeChangesCursor, encodeChangesCursor } from './changes-cursor';
import { InboxFeed } from './inbox-feed';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;
const MAX_WAIT_SECONDS = 30;

export interface InboxChanges {
  /** The events of the agency's inbox topic, as published there (personal data opened). */
  events: CloudEvent[];
  /** Pass as `after` to read on; the same cursor again when nothing new came. */
  next: string;
}

function whole(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min || n > max) {
    throw problem(400, 'Bad Request', `${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/**
 * The inbox for agencies without Kafka (CONTRACT §8): every event that reaches the agency's
 * inbox topic, in order, after an opaque cursor, with long polling (`wait`, seconds).
 */
@Controller('v1/agencies')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
export class InboxChangesHttpController {
  private readonly logger = rootLogger.child({ component: 'inbox-changes' });

  constructor(
    private readonly feed: InboxFeed,
    private readonly opener: PersonalDataOpener,
  ) {}

  @Get(':agencyId/inbox/changes')
  async changes(
    @Param('agencyId') agencyId: string,
    @Query('after') after: unknown,
    @Query('limit') limit: string | undefined,
    @Query('wait') wait: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<InboxChanges> {
    requireOwnAgency(principal, agencyId, 'inbox');
    const from = decodeChangesCursor(after);
    const size = whole(limit, 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
    const waitSeconds = whole(wait, 'wait', 0, MAX_WAIT_SECONDS, 0);
    // A caller that hangs up stops the wait rather than holding a listener to its end (the
    // response closes then; the request's own 'close' only says its body was read).
    const gone = new AbortController();
    response.once('close', () => gone.abort());
    const page = await this.feed.changesAfter(
      agencyId,
      from,
      size,
      waitSeconds * 1000,
      gone.signal,
    );
    const opened = await this.opener.open(page.events);
    if (opened.unreadable.length) {
      this.logger.error(
        { fields: opened.unreadable },
        'sealed personal data failed authentication (altered in the store?): served as [unreadable]',
      );
    }
    return {
      events: opened.events.map((event) => toPublishedEvent(event)),
      next: encodeChangesCursor(page.nextPosition),
    };
  }
}
