import { REFERRAL_COMPLETED_V1, ReasonCode, ReferralCompletedV1 } from '@backbone/contracts';
import { TERMINAL_STATUSES } from '@backbone/domain';
import type { RowProjection } from '../../engine/row-projection';
import { REFERRAL_ROW_EVENT_TYPES, referralOf, referralRowFold } from '../referral-events';
import { REFERRAL_FLOW_SUMMARY } from '../flow-summaries/referral-flow.summary';
import type { ReferralFactRow } from './referral-fact.row';

const DECISIONS = new Set(['accepted', 'rejected', 'redirected']);
/** The one status the referrer, not the receiver, moves a referral to. */
const BY_REFERRER = 'cancelled';

const reasonCodeOf = (data: unknown): string | null =>
  (data as { reasonCode?: ReasonCode }).reasonCode ?? null;

/** The referral's facts after one event (see referralRowFold for what changes them, and when). */
export const evolveReferralFact = referralRowFold<ReferralFactRow>({
  made: (made, event, version) => ({
    referral_id: made.referralId,
    from_agency: made.from,
    to_agency: made.to,
    category: made.category,
    priority: made.priority,
    made_at: event.time,
    decision_due_by: made.decisionDueBy,
    acknowledged_at: null,
    decided_at: null,
    decision: null,
    status: 'requested',
    ended_at: null,
    reason_code: null,
    outcome_code: null,
    redirected_from: made.redirectedFrom ?? null,
    stream_version: version,
  }),
  moved: (row, event, status, version) => {
    const decides = DECISIONS.has(status) && row.decided_at === null;
    const ends = TERMINAL_STATUSES.has(status);
    return {
      ...row,
      status,
      stream_version: version,
      // The receiver shows it had the referral by acting on it; a withdrawal is the referrer's.
      acknowledged_at: row.acknowledged_at ?? (status === BY_REFERRER ? null : event.time),
      decided_at: decides ? event.time : row.decided_at,
      decision: decides ? status : row.decision,
      ended_at: ends ? (row.ended_at ?? event.time) : row.ended_at,
      reason_code: ends ? reasonCodeOf(event.data) : row.reason_code,
      outcome_code:
        event.type === REFERRAL_COMPLETED_V1
          ? (event.data as ReferralCompletedV1).outcomeCode
          : row.outcome_code,
    };
  },
});

export const REFERRAL_FACT_PROJECTION: RowProjection<ReferralFactRow> = {
  key: 'referral_id',
  columns: [
    ['referral_id', 'uuid'],
    ['from_agency', 'text'],
    ['to_agency', 'text'],
    ['category', 'text'],
    ['priority', 'text'],
    ['made_at', 'timestamptz'],
    ['decision_due_by', 'timestamptz'],
    ['acknowledged_at', 'timestamptz'],
    ['decided_at', 'timestamptz'],
    ['decision', 'text'],
    ['status', 'text'],
    ['ended_at', 'timestamptz'],
    ['reason_code', 'text'],
    ['outcome_code', 'text'],
    ['redirected_from', 'uuid'],
    ['stream_version', 'integer'],
  ],
  eventTypes: REFERRAL_ROW_EVENT_TYPES,
  keyOf: referralOf,
  evolve: evolveReferralFact,
  summary: REFERRAL_FLOW_SUMMARY,
};
