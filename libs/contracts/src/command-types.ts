import {
  ACCEPT_HANDOVER_V1,
  AcceptHandoverV1,
  CANCEL_HANDOVER_V1,
  CLOSE_CASE_V1,
  CancelHandoverV1,
  CloseCaseV1,
  DECLINE_HANDOVER_V1,
  DeclineHandoverV1,
  OPEN_CASE_V1,
  OpenCaseV1,
  PROPOSE_HANDOVER_V1,
  ProposeHandoverV1,
} from './case/case-commands.v1';
import { MAKE_REFERRAL_V1, MakeReferralV1 } from './referral/make-referral.v1';
import {
  ACCEPT_REFERRAL_V1,
  ACKNOWLEDGE_REFERRAL_V1,
  AcceptReferralV1,
  AcknowledgeReferralV1,
  CANCEL_REFERRAL_V1,
  COMPLETE_REFERRAL_V1,
  CancelReferralV1,
  CompleteReferralV1,
  FAIL_REFERRAL_V1,
  FailReferralV1,
  HOLD_REFERRAL_V1,
  HoldReferralV1,
  NOTE_REFERRAL_V1,
  NoteReferralV1,
  REDIRECT_REFERRAL_V1,
  REJECT_REFERRAL_V1,
  RedirectReferralV1,
  RejectReferralV1,
  START_REFERRAL_V1,
  StartReferralV1,
} from './referral/referral-commands.v1';

/** Every command type the backbone accepts, with the class its `data` must satisfy. */
export const COMMAND_DATA_CLASSES: Record<string, new () => object> = {
  [MAKE_REFERRAL_V1]: MakeReferralV1,
  [ACKNOWLEDGE_REFERRAL_V1]: AcknowledgeReferralV1,
  [ACCEPT_REFERRAL_V1]: AcceptReferralV1,
  [REJECT_REFERRAL_V1]: RejectReferralV1,
  [REDIRECT_REFERRAL_V1]: RedirectReferralV1,
  [START_REFERRAL_V1]: StartReferralV1,
  [HOLD_REFERRAL_V1]: HoldReferralV1,
  [COMPLETE_REFERRAL_V1]: CompleteReferralV1,
  [FAIL_REFERRAL_V1]: FailReferralV1,
  [CANCEL_REFERRAL_V1]: CancelReferralV1,
  [NOTE_REFERRAL_V1]: NoteReferralV1,
  [OPEN_CASE_V1]: OpenCaseV1,
  [CLOSE_CASE_V1]: CloseCaseV1,
  [PROPOSE_HANDOVER_V1]: ProposeHandoverV1,
  [ACCEPT_HANDOVER_V1]: AcceptHandoverV1,
  [DECLINE_HANDOVER_V1]: DeclineHandoverV1,
  [CANCEL_HANDOVER_V1]: CancelHandoverV1,
};

/** The data field that names the command's stream; it must equal the envelope's subject. */
export function commandSubjectField(type: string): 'referralId' | 'caseId' {
  return type.startsWith('case.') ? 'caseId' : 'referralId';
}
