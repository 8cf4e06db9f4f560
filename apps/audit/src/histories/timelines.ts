// Histories folded from opened events with the domain's own evolve functions, so an auditor
// sees each referral and case in exactly the state the backbone decided against at the time.
import { SUBJECT_ERASED_V1, SubjectErasedV1 } from '@backbone/contracts';
import {
  CaseState,
  ExistingCase,
  ExistingReferral,
  NO_CASE,
  NO_REFERRAL,
  ReferralState,
  evolveCase,
  evolveReferral,
} from '@backbone/domain';
import type { StoredEvent } from '@backbone/event-store';
import { HistoryEntry, toHistoryEntry } from './history-entry';

export interface ReferralTimeline {
  entries: HistoryEntry[];
  /** The referral as it stood after the last entry; null before it was made. */
  state: ExistingReferral | null;
}

/** A referral's events (one stream, version order) as entries, each with the status it led to. */
export function referralTimeline(events: StoredEvent[]): ReferralTimeline {
  let state: ReferralState = NO_REFERRAL;
  const entries = events.map((event) => {
    state = evolveReferral(state, event);
    return toHistoryEntry(event, state.exists ? { statusAfter: state.status } : {});
  });
  return { entries, state: state.exists ? state : null };
}

export interface SubjectTimeline {
  entries: HistoryEntry[];
  /** Every referral about the person, as it stood after the last entry, oldest first. */
  referrals: ExistingReferral[];
  /** Every case about the person, likewise. */
  cases: ExistingCase[];
  /** When and by whom the person's personal data was erased, if it was by then. */
  erased: { at: string; by: string } | null;
}

const categoryOf = (streamId: string): string => streamId.slice(0, streamId.indexOf('-'));

/**
 * Everything about one person: the events of their referral, case and subject streams, merged
 * in the order the store recorded them (global position), each referral and case folded on its own.
 */
export function subjectTimeline(events: StoredEvent[]): SubjectTimeline {
  const referrals = new Map<string, ReferralState>();
  const cases = new Map<string, CaseState>();
  let erased: SubjectTimeline['erased'] = null;
  const entries = events.map((event): HistoryEntry => {
    const entry = toHistoryEntry(event);
    switch (categoryOf(event.streamId)) {
      case 'referral': {
        const state = evolveReferral(referrals.get(event.streamId) ?? NO_REFERRAL, event);
        referrals.set(event.streamId, state);
        return state.exists ? { ...entry, statusAfter: state.status } : entry;
      }
      case 'case': {
        const state = evolveCase(cases.get(event.streamId) ?? NO_CASE, event);
        cases.set(event.streamId, state);
        return state.exists
          ? { ...entry, statusAfter: state.status, responsibleAfter: state.responsible }
          : entry;
      }
      default:
        if (event.type === SUBJECT_ERASED_V1 && !erased) {
          erased = {
            at: event.recordedAt,
            by: (event.data as unknown as SubjectErasedV1).erasedBy,
          };
        }
        return entry;
    }
  });
  return {
    entries,
    referrals: [...referrals.values()].filter((s): s is ExistingReferral => s.exists),
    cases: [...cases.values()].filter((s): s is ExistingCase => s.exists),
    erased,
  };
}
