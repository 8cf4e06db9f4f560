// Why a referral did not go on as asked, as a code a director can count (CONTRACT §8, coded
// reasons). The free-text `reason` stays: the code says which kind, the text says what happened.

export const REASON_CODES = [
  'not-eligible',
  'no-capacity',
  'already-known',
  'wrong-service',
  'insufficient-information',
  'person-declined',
  'moved-away',
  'duplicate-referral',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
