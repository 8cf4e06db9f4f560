import { Inject, Injectable } from '@nestjs/common';
import { REFERRAL_MADE_V1, type ReferralMadeV1 } from '@backbone/contracts';
import { PersonalDataOpener } from '@backbone/data-protection';
import { referralStreamId } from '@backbone/domain';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import { ReferralSnapshot, referralVersions } from '../mapping/referral-snapshot';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A referral's versions from the event store, for one of its parties: the stream is read, the
 * party checked against the made event, and only then are its personal fields opened — the
 * same opening the publisher does for the parties' inbox topics.
 */
@Injectable()
export class ReferralRecords {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly opener: PersonalDataOpener,
  ) {}

  /** Oldest first (entry i is version i + 1); undefined when no such referral is the agency's. */
  async versionsFor(referralId: string, agencyId: string): Promise<ReferralSnapshot[] | undefined> {
    if (!UUID.test(referralId)) return undefined;
    const events = await this.store.readStream(referralStreamId(referralId.toLowerCase()));
    const made = events[0];
    if (!made || made.type !== REFERRAL_MADE_V1) return undefined;
    const { from, to } = made.data as unknown as ReferralMadeV1;
    if (agencyId !== from && agencyId !== to) return undefined;
    const opened = await this.opener.open(events);
    return referralVersions(opened.events);
  }

  /** The referral as it stands now, for one of its parties. */
  async currentFor(referralId: string, agencyId: string): Promise<ReferralSnapshot | undefined> {
    const versions = await this.versionsFor(referralId, agencyId);
    return versions?.[versions.length - 1];
  }
}
