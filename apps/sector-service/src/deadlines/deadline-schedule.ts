import {
  CASE_CLOSED_V1,
  HANDOVER_ACCEPTED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_COMPLETED_V1,
  HANDOVER_DECLINED_V1,
  HandoverAcceptedV1,
  REFERRAL_ACCEPTED_V1,
  REFERRAL_CANCELLED_V1,
  REFERRAL_MADE_V1,
  REFERRAL_OVERDUE_V1,
  REFERRAL_REDIRECTED_V1,
  REFERRAL_REJECTED_V1,
  ReferralMadeV1,
} from '@backbone/contracts';

/** A referral's decision deadline, or the time an accepted handover takes effect. */
export type DeadlineKind = 'decision' | 'handover';

export type ScheduleChange =
  | { change: 'due'; streamId: string; kind: DeadlineKind; dueAt: string }
  | { change: 'clear'; streamId: string; kind: DeadlineKind };

/** Events after which the receiver owes no decision any more. */
const DECISION_SETTLED = new Set([
  REFERRAL_ACCEPTED_V1,
  REFERRAL_REJECTED_V1,
  REFERRAL_REDIRECTED_V1,
  REFERRAL_CANCELLED_V1,
  REFERRAL_OVERDUE_V1,
]);
const HANDOVER_SETTLED = new Set([
  HANDOVER_COMPLETED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_DECLINED_V1,
  CASE_CLOSED_V1,
]);

/** How one stored event changes the deadlines to watch. */
export function scheduleChangeOf(event: {
  type: string;
  streamId: string;
  data: unknown;
}): ScheduleChange | undefined {
  const { type, streamId } = event;
  if (type === REFERRAL_MADE_V1) {
    return {
      change: 'due',
      streamId,
      kind: 'decision',
      dueAt: (event.data as ReferralMadeV1).decisionDueBy,
    };
  }
  if (DECISION_SETTLED.has(type)) return { change: 'clear', streamId, kind: 'decision' };
  if (type === HANDOVER_ACCEPTED_V1) {
    return {
      change: 'due',
      streamId,
      kind: 'handover',
      dueAt: (event.data as HandoverAcceptedV1).effectiveAt,
    };
  }
  if (HANDOVER_SETTLED.has(type)) return { change: 'clear', streamId, kind: 'handover' };
  return undefined;
}
