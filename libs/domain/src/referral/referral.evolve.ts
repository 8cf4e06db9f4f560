import {
  REFERRAL_ACCEPTED_V1,
  REFERRAL_CANCELLED_V1,
  REFERRAL_COMPLETED_V1,
  REFERRAL_FAILED_V1,
  REFERRAL_HELD_V1,
  REFERRAL_MADE_V1,
  REFERRAL_NOTED_V1,
  REFERRAL_OVERDUE_V1,
  REFERRAL_RECEIVED_V1,
  REFERRAL_REDIRECTED_V1,
  REFERRAL_REJECTED_V1,
  REFERRAL_STARTED_V1,
  ReferralAcceptedV1,
  ReferralMadeV1,
} from '@backbone/contracts';
import { ReferralState, ReferralStatus } from './referral.state';

export interface RecordedEvent {
  type: string;
  data: unknown;
}

/** The status each lifecycle event moves a referral to. */
const STATUS_AFTER: Readonly<Record<string, ReferralStatus>> = {
  [REFERRAL_RECEIVED_V1]: 'received',
  [REFERRAL_ACCEPTED_V1]: 'accepted',
  [REFERRAL_REJECTED_V1]: 'rejected',
  [REFERRAL_REDIRECTED_V1]: 'redirected',
  [REFERRAL_STARTED_V1]: 'in-progress',
  [REFERRAL_HELD_V1]: 'on-hold',
  [REFERRAL_COMPLETED_V1]: 'completed',
  [REFERRAL_FAILED_V1]: 'failed',
  [REFERRAL_CANCELLED_V1]: 'cancelled',
};

/** The status a referral event moves its referral to, if it moves it at all. */
export const referralStatusAfter = (eventType: string): ReferralStatus | undefined =>
  eventType === REFERRAL_MADE_V1 ? 'requested' : STATUS_AFTER[eventType];

/** Folds one stored event into the referral's state; other types leave it unchanged. */
export function evolveReferral(state: ReferralState, event: RecordedEvent): ReferralState {
  if (event.type === REFERRAL_MADE_V1) {
    const made = event.data as ReferralMadeV1;
    return {
      exists: true,
      referralId: made.referralId,
      from: made.from,
      to: made.to,
      status: 'requested',
      category: made.category,
      priority: made.priority,
      decisionDueBy: made.decisionDueBy,
      subjectId: made.subjectId,
      subject: made.subject,
      lawfulBasis: made.lawfulBasis,
      reason: made.reason,
      overdueNotified: false,
      noteCount: 0,
      holdCount: 0,
    };
  }
  if (!state.exists) return state;
  if (event.type === REFERRAL_OVERDUE_V1) return { ...state, overdueNotified: true };
  if (event.type === REFERRAL_NOTED_V1) return { ...state, noteCount: state.noteCount + 1 };
  const status = STATUS_AFTER[event.type];
  if (!status) return state;
  const holdCount = event.type === REFERRAL_HELD_V1 ? state.holdCount + 1 : state.holdCount;
  const caseId =
    event.type === REFERRAL_ACCEPTED_V1 ? (event.data as ReferralAcceptedV1).caseId : state.caseId;
  return { ...state, status, holdCount, ...(caseId ? { caseId } : {}) };
}
