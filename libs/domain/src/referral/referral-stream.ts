/** Every referral's events live in the stream `referral-<referralId>`. */
export const referralStreamId = (referralId: string): string => `referral-${referralId}`;
