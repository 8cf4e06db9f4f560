import { MAKE_REFERRAL_V1, MakeReferralV1 } from './referral/make-referral.v1';

/** Every command type the backbone accepts, with the class its `data` must satisfy. */
export const COMMAND_DATA_CLASSES: Record<string, new () => object> = {
  [MAKE_REFERRAL_V1]: MakeReferralV1,
};

/** The data field that names the command's stream; it must equal the envelope's subject. */
export const COMMAND_SUBJECT_FIELD: Record<string, string> = {
  [MAKE_REFERRAL_V1]: 'referralId',
};
