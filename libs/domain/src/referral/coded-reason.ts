import type { CodedReferralCommandV1, ReasonCode } from '@backbone/contracts';

/** The reason an event records: the text, and the code when the command gave one. */
export function codedReason(command: Pick<CodedReferralCommandV1, 'reason' | 'reasonCode'>): {
  reason: string;
  reasonCode?: ReasonCode;
} {
  const { reason, reasonCode } = command;
  return reasonCode === undefined ? { reason } : { reason, reasonCode };
}
