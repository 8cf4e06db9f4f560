export const AGENCY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const SECTORS = [
  'health',
  'social-care',
  'education',
  'employment',
  'housing',
  'justice',
] as const;
export type Sector = (typeof SECTORS)[number];

export const REFERRAL_CATEGORIES = [
  'safeguarding',
  'child-social-care',
  'adult-social-care',
  'mental-health',
  'substance-misuse',
  'health-assessment',
  'debt-advice',
  'housing-support',
  'employment-support',
  'education-welfare',
  'youth-justice',
  'other',
] as const;
export type ReferralCategory = (typeof REFERRAL_CATEGORIES)[number];
