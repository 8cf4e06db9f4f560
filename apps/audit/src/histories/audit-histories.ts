import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { subjectStreamId } from '@backbone/contracts';
import { PersonalDataOpener } from '@backbone/data-protection';
import { ExistingCase, ExistingReferral, referralStreamId } from '@backbone/domain';
import {
  EVENT_STORE,
  EventRow,
  EventStore,
  StoredEvent,
  UpcasterRegistry,
  toStoredEvent,
} from '@backbone/event-store';
import { AsOf, asTheyStoodAt } from './as-of';
import type { HistoryEntry } from './history-entry';
import { EVENTS_OF_SUBJECT } from './subject-events.sql';
import { referralTimeline, subjectTimeline } from './timelines';

interface HistoryCommon {
  asOf: string | null;
  entries: HistoryEntry[];
  /** Personal fields that failed authentication (altered in the store), `<eventId>: <field>`. */
  unreadable: string[];
}

export interface ReferralHistory extends HistoryCommon {
  referralId: string;
  state: ExistingReferral | null;
}

export interface SubjectHistory extends HistoryCommon {
  subjectId: string;
  erased: { at: string; by: string } | null;
  referrals: ExistingReferral[];
  cases: ExistingCase[];
}

/** The people stored events are about (their metadata names them; older events their data). */
export const subjectsOf = (events: Pick<StoredEvent, 'data' | 'metadata'>[]): string[] => [
  ...new Set(
    events.flatMap(({ metadata, data }) =>
      [metadata.subjectId ?? data.subjectId].filter((id): id is string => typeof id === 'string'),
    ),
  ),
];

/** Told what a history will disclose, before any personal field of it is opened. */
export type Disclosing = (events: StoredEvent[]) => Promise<void>;

/** Histories replayed from the event store with their personal fields opened, as of any instant. */
@Injectable()
export class AuditHistories {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly opener: PersonalDataOpener,
    private readonly pool: Pool,
    private readonly upcasters: UpcasterRegistry,
  ) {}

  /** undefined when no such referral was ever made. */
  async referral(
    referralId: string,
    asOf: AsOf | undefined,
    disclosing: Disclosing,
  ): Promise<ReferralHistory | undefined> {
    const events = await this.store.readStream(referralStreamId(referralId));
    if (!events.length) return undefined;
    const disclosed = asTheyStoodAt(events, asOf);
    await disclosing(disclosed);
    const opened = await this.opener.open(disclosed);
    const { entries, state } = referralTimeline(opened.events);
    return { referralId, asOf: asOf?.text ?? null, state, entries, unreadable: opened.unreadable };
  }

  /** undefined when the store holds nothing about the subject. */
  async subject(
    subjectId: string,
    asOf: AsOf | undefined,
    disclosing: Disclosing,
  ): Promise<SubjectHistory | undefined> {
    const { rows } = await this.pool.query<EventRow>({
      ...EVENTS_OF_SUBJECT,
      values: [subjectId, subjectStreamId(subjectId)],
    });
    if (!rows.length) return undefined;
    const disclosed = asTheyStoodAt(
      rows.map((row) => this.upcast(toStoredEvent(row))),
      asOf,
    );
    await disclosing(disclosed);
    const opened = await this.opener.open(disclosed);
    const timeline = subjectTimeline(opened.events);
    return {
      subjectId,
      asOf: asOf?.text ?? null,
      erased: timeline.erased,
      referrals: timeline.referrals,
      cases: timeline.cases,
      entries: timeline.entries,
      unreadable: opened.unreadable,
    };
  }

  private upcast(event: StoredEvent): StoredEvent {
    return this.upcasters.isEmpty ? event : this.upcasters.upcast(event);
  }
}
