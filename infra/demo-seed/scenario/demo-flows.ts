// Who refers whom among the demo sites, how often, and what usually happens: the scenario's
// assumptions, in one table. The patterns a director should find are designed in here:
// - Ilford Jobcentre → Redbridge Debt Advice: volume peaks after Christmas, and from December to
//   March about four in ten referrals are rejected `no-capacity` (one in twenty otherwise);
// - Randers: the school's safeguarding referrals bounce from social services to the police and
//   back before anyone keeps them (redirect chains of two), most in term time;
// - Redbridge GP team → adult social care: decisions after the deadline and slow handovers in
//   winter;
// - small flows (police → school, school → police, …) stay under five a month: shown as "<5".
import type {
  LawfulBasisKind,
  OutcomeCode,
  ReasonCode,
  ReferralCategory,
  ReferralPriority,
} from '@backbone/contracts';
import type { Country, DayKind } from './calendar';
import type { AgeGroup } from './demo-people';
import type { Weighted } from './seeded-random';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const GP = 'redbridge-gp-team';
const ADULT_CARE = 'redbridge-adult-social-care';
const JOBCENTRE = 'ilford-jobcentre';
const DEBT = 'redbridge-debt-advice';
const HOUSING = 'redbridge-housing';
const REHAB = 'redbridge-drug-rehab';

/** A month's share of the average month's volume, January first. */
const SEASONS = {
  flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  winter: [1.35, 1.25, 1.05, 0.95, 0.9, 0.9, 0.8, 0.85, 1, 1.05, 1.1, 1.2],
  'after-christmas': [1.7, 1.35, 1.1, 0.95, 0.9, 0.85, 0.8, 0.85, 0.95, 1, 1.05, 1.1],
  'school-year': [1.05, 1.05, 1.1, 1, 1.1, 0.9, 1, 0.8, 1.15, 1.1, 1.1, 0.9],
} as const;
export type Season = keyof typeof SEASONS;

export const seasonFactor = (season: Season, month: number): number => SEASONS[season][month - 1];

/** When a service refers: each kind of day's share of a weekday's volume, and at what hours. */
export interface Rhythm {
  days: Readonly<Record<DayKind, number>>;
  /** Round the clock (the police), else office hours. */
  roundTheClock: boolean;
}
const OFFICE: Rhythm = {
  days: { weekday: 1, 'school-holiday': 1, weekend: 0.05, holiday: 0.08, christmas: 0.3 },
  roundTheClock: false,
};
const SCHOOL_TERM: Rhythm = {
  days: { ...OFFICE.days, 'school-holiday': 0.12, christmas: 0.05 },
  roundTheClock: false,
};
const ROUND_THE_CLOCK: Rhythm = {
  days: { weekday: 1, 'school-holiday': 1, weekend: 0.6, holiday: 0.6, christmas: 0.7 },
  roundTheClock: true,
};

const WINTER = new Set([12, 1, 2]);
const DEBT_WINTER = new Set([12, 1, 2, 3]);

/** What a receiver does with a referral, by relative weight. */
export interface DecisionMix {
  accept: number;
  reject: number;
  /** The referrer withdraws it before a decision. */
  cancel: number;
  /** Sent on to another agency that takes the category. */
  redirect?: { to: string; weight: number };
  /** Never decided: left for the deadline watcher and the directors' agenda. */
  ignore?: number;
}

export interface DecisionContext {
  /** How many times the referral was redirected before reaching this receiver. */
  hop: number;
  receiver: string;
  category: ReferralCategory;
  /** 1-12. */
  month: number;
}

/** What follows an acceptance. */
export interface CareMix {
  /** Started (in progress) rather than completed straight from accepted. */
  started: number;
  /** Put on hold once, then started again. */
  held: number;
  /** How the work ends; `ongoing` runs past the end of the year (no closed loop yet). */
  ending: Weighted<'complete' | 'fail' | 'cancel' | 'ongoing'>;
  outcomes: Weighted<OutcomeCode>;
  /** Days from the start (or acceptance) to the end. */
  days: readonly [number, number];
}

/** How a proposed handover of a case's responsibility goes. */
export interface HandoverMix {
  response: Weighted<'accept' | 'decline' | 'cancel' | 'silent'>;
  /** Days the receiver takes to accept, by month of the proposal. */
  acceptDays: (month: number) => readonly [number, number];
  /** Proposed to take effect on a later Monday (completed then by the deadline watcher). */
  effectiveLater: number;
  /** After a decline, the proposer closes the case, proposes again (then accepted), or keeps it. */
  afterDecline: Weighted<'close' | 'again' | 'keep'>;
  /** The new responsible agency closes the case within months. */
  receiverCloses: number;
}

export interface HandoverPlan {
  to: string;
  /** Share of accepted referrals whose case is handed over. */
  share: number;
  /** Days from the acceptance to the proposal. */
  afterDays: readonly [number, number];
  mix: HandoverMix;
}

export interface ReferralFlow {
  id: string;
  from: string;
  to: string;
  country: Country;
  /** Relative yearly volume: the flows' shares of the referrals asked for. */
  perYear: number;
  season: Season;
  rhythm: Rhythm;
  categories: Weighted<ReferralCategory>;
  priorities: Weighted<ReferralPriority>;
  basis: LawfulBasisKind;
  age: AgeGroup;
  /** Share acknowledged before the decision. */
  acknowledged: number;
  decision(context: DecisionContext): DecisionMix;
  rejectCodes(month: number): Weighted<ReasonCode>;
  /** Share of decisions taken after the deadline. */
  late(month: number): number;
  care: CareMix;
  handover?: HandoverPlan;
  reasons: readonly string[];
}

/** Cases an agency opens itself and proposes to hand over (the GP-led team's patients). */
export interface CaseFlow {
  id: string;
  owner: string;
  to: string;
  country: Country;
  perYear: number;
  season: Season;
  rhythm: Rhythm;
  basis: LawfulBasisKind;
  age: AgeGroup;
  /** Days from opening the case to proposing the handover. */
  afterDays: readonly [number, number];
  mix: HandoverMix;
}

const USUAL_CARE: CareMix = {
  started: 0.85,
  held: 0.06,
  ending: [
    ['complete', 62],
    ['fail', 5],
    ['cancel', 3],
    ['ongoing', 30],
  ],
  outcomes: [
    ['service-provided', 60],
    ['no-further-action', 20],
    ['referred-on', 10],
    ['unable-to-contact', 10],
  ],
  days: [5, 90],
};
const LONG_CASEWORK: CareMix = {
  ...USUAL_CARE,
  ending: [
    ['complete', 45],
    ['fail', 4],
    ['cancel', 3],
    ['ongoing', 48],
  ],
  days: [20, 150],
};
const SHORT_ADVICE: CareMix = {
  ...USUAL_CARE,
  started: 0.9,
  ending: [
    ['complete', 80],
    ['fail', 6],
    ['cancel', 4],
    ['ongoing', 10],
  ],
  days: [3, 45],
};

const mix = (accept: number, reject: number, cancel: number, ignore = 1): DecisionMix => ({
  accept,
  reject,
  cancel,
  ignore,
});
const usualRejections: Weighted<ReasonCode> = [
  ['not-eligible', 4],
  ['insufficient-information', 3],
  ['already-known', 2],
  ['wrong-service', 1],
];

const ADULT_CARE_HANDOVER: HandoverMix = {
  response: [
    ['accept', 66],
    ['decline', 20],
    ['cancel', 6],
    ['silent', 8],
  ],
  acceptDays: (month) => (WINTER.has(month) ? [8, 30] : [1, 10]),
  effectiveLater: 0.25,
  afterDecline: [
    ['close', 50],
    ['again', 30],
    ['keep', 20],
  ],
  receiverCloses: 0.55,
};
const USUAL_HANDOVER: HandoverMix = {
  ...ADULT_CARE_HANDOVER,
  response: [
    ['accept', 62],
    ['decline', 24],
    ['cancel', 6],
    ['silent', 8],
  ],
  acceptDays: () => [1, 14],
  effectiveLater: 0.15,
};

export const REFERRAL_FLOWS: readonly ReferralFlow[] = [
  {
    id: 'school-social',
    from: SCHOOL,
    to: SOCIAL,
    country: 'dk',
    perYear: 600,
    season: 'school-year',
    rhythm: SCHOOL_TERM,
    categories: [
      ['child-social-care', 60],
      ['safeguarding', 40],
    ],
    priorities: [
      ['routine', 50],
      ['urgent', 40],
      ['asap', 10],
    ],
    basis: 'public-task',
    age: 'child',
    acknowledged: 0.8,
    // Safeguarding worries bounce: social services send them to the police, who send many back.
    decision: ({ hop, receiver, category }) => {
      if (hop === 0 && category === 'safeguarding')
        return { ...mix(45, 9, 2, 0), redirect: { to: POLICE, weight: 50 } };
      if (hop === 0) return mix(76, 18, 4);
      if (receiver === POLICE) return { ...mix(22, 8, 0, 0), redirect: { to: SOCIAL, weight: 70 } };
      return mix(75, 20, 0, 5);
    },
    rejectCodes: () => [
      ['insufficient-information', 5],
      ['not-eligible', 3],
      ['already-known', 2],
    ],
    late: () => 0.12,
    care: LONG_CASEWORK,
    reasons: [
      'Repeated absence and worries about the home situation',
      'Signs of neglect noticed by the class teacher',
      'The pupil told a teacher about violence at home',
      'Marked change in behaviour; parents do not respond',
    ],
  },
  {
    id: 'police-social',
    from: POLICE,
    to: SOCIAL,
    country: 'dk',
    perYear: 300,
    season: 'flat',
    rhythm: ROUND_THE_CLOCK,
    categories: [['safeguarding', 1]],
    priorities: [
      ['urgent', 50],
      ['asap', 30],
      ['routine', 15],
      ['stat', 5],
    ],
    basis: 'legal-obligation',
    age: 'child',
    acknowledged: 0.9,
    decision: () => mix(80, 10, 3),
    rejectCodes: () => [
      ['already-known', 6],
      ['not-eligible', 4],
    ],
    late: () => 0.08,
    care: LONG_CASEWORK,
    reasons: [
      'Child present at a domestic violence call-out',
      'Young person found out late at night, intoxicated',
      'Concern raised during a home visit',
    ],
  },
  {
    id: 'social-police',
    from: SOCIAL,
    to: POLICE,
    country: 'dk',
    perYear: 120,
    season: 'flat',
    rhythm: OFFICE,
    categories: [
      ['youth-justice', 70],
      ['safeguarding', 30],
    ],
    priorities: [
      ['routine', 40],
      ['urgent', 50],
      ['asap', 10],
    ],
    basis: 'legal-obligation',
    age: 'child',
    acknowledged: 0.7,
    decision: () => mix(70, 20, 3),
    rejectCodes: () => [
      ['insufficient-information', 6],
      ['not-eligible', 4],
    ],
    late: () => 0.15,
    care: USUAL_CARE,
    handover: { to: SOCIAL, share: 0.35, afterDays: [20, 90], mix: USUAL_HANDOVER },
    reasons: [
      'Suspected exploitation of a young person',
      'Repeated shoplifting; support plan needs the police',
    ],
  },
  {
    id: 'social-school',
    from: SOCIAL,
    to: SCHOOL,
    country: 'dk',
    perYear: 120,
    season: 'school-year',
    rhythm: SCHOOL_TERM,
    categories: [['education-welfare', 1]],
    priorities: [
      ['routine', 80],
      ['urgent', 20],
    ],
    basis: 'public-task',
    age: 'child',
    acknowledged: 0.6,
    decision: () => mix(85, 10, 3),
    rejectCodes: () => [
      ['already-known', 6],
      ['not-eligible', 4],
    ],
    late: () => 0.1,
    care: USUAL_CARE,
    handover: { to: SOCIAL, share: 0.1, afterDays: [15, 60], mix: USUAL_HANDOVER },
    reasons: ['Support in school after a placement', 'Attendance plan agreed with the family'],
  },
  {
    id: 'police-school',
    from: POLICE,
    to: SCHOOL,
    country: 'dk',
    perYear: 40,
    season: 'school-year',
    rhythm: SCHOOL_TERM,
    categories: [['education-welfare', 1]],
    priorities: [['routine', 1]],
    basis: 'legal-obligation',
    age: 'child',
    acknowledged: 0.6,
    decision: () => mix(85, 10, 3),
    rejectCodes: () => usualRejections,
    late: () => 0.1,
    care: USUAL_CARE,
    reasons: ['Pupil involved in an incident outside school'],
  },
  {
    id: 'school-police',
    from: SCHOOL,
    to: POLICE,
    country: 'dk',
    perYear: 25,
    season: 'school-year',
    rhythm: SCHOOL_TERM,
    categories: [['safeguarding', 1]],
    priorities: [
      ['urgent', 70],
      ['asap', 30],
    ],
    basis: 'public-task',
    age: 'child',
    acknowledged: 0.8,
    decision: ({ hop }) =>
      hop === 0 ? { ...mix(55, 10, 0, 0), redirect: { to: SOCIAL, weight: 35 } } : mix(85, 15, 0),
    rejectCodes: () => usualRejections,
    late: () => 0.1,
    care: USUAL_CARE,
    reasons: ['A pupil reports being threatened by an adult'],
  },
  {
    id: 'gp-adult-care',
    from: GP,
    to: ADULT_CARE,
    country: 'gb',
    perYear: 420,
    season: 'winter',
    rhythm: OFFICE,
    categories: [
      ['adult-social-care', 85],
      ['safeguarding', 15],
    ],
    priorities: [
      ['routine', 60],
      ['urgent', 35],
      ['asap', 5],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.75,
    decision: ({ month }) => (WINTER.has(month) ? mix(70, 20, 3) : mix(78, 13, 3)),
    rejectCodes: (month) =>
      WINTER.has(month)
        ? [
            ['no-capacity', 5],
            ['not-eligible', 3],
            ['insufficient-information', 2],
          ]
        : [
            ['not-eligible', 5],
            ['insufficient-information', 3],
            ['no-capacity', 1],
          ],
    // Winter pressure: decisions slip past the deadline.
    late: (month) => (WINTER.has(month) ? 0.35 : 0.1),
    care: USUAL_CARE,
    reasons: [
      'Needs a care assessment after a fall at home',
      'Carer breakdown; daily living support needed',
      'Discharge from hospital planned; support at home needed',
    ],
  },
  {
    id: 'adult-care-gp',
    from: ADULT_CARE,
    to: GP,
    country: 'gb',
    perYear: 200,
    season: 'winter',
    rhythm: OFFICE,
    categories: [
      ['health-assessment', 60],
      ['mental-health', 40],
    ],
    priorities: [
      ['routine', 70],
      ['urgent', 30],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.7,
    decision: () => mix(85, 10, 3),
    rejectCodes: () => usualRejections,
    late: () => 0.08,
    care: SHORT_ADVICE,
    reasons: ['Medication review requested by the care team', 'Low mood reported by carers'],
  },
  {
    id: 'gp-rehab',
    from: GP,
    to: REHAB,
    country: 'gb',
    perYear: 110,
    season: 'flat',
    rhythm: OFFICE,
    categories: [['substance-misuse', 1]],
    priorities: [
      ['routine', 70],
      ['urgent', 30],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.8,
    decision: () => mix(70, 15, 10),
    rejectCodes: () => [
      ['not-eligible', 5],
      ['person-declined', 3],
      ['insufficient-information', 2],
    ],
    late: () => 0.1,
    care: {
      ...LONG_CASEWORK,
      ending: [
        ['complete', 45],
        ['fail', 15],
        ['cancel', 5],
        ['ongoing', 35],
      ],
    },
    handover: { to: HOUSING, share: 0.3, afterDays: [30, 120], mix: USUAL_HANDOVER },
    reasons: ['Alcohol use affecting health; agrees to treatment'],
  },
  {
    id: 'jobcentre-debt',
    from: JOBCENTRE,
    to: DEBT,
    country: 'gb',
    perYear: 380,
    season: 'after-christmas',
    rhythm: OFFICE,
    categories: [['debt-advice', 1]],
    priorities: [
      ['routine', 80],
      ['urgent', 20],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.85,
    decision: ({ month }) => (DEBT_WINTER.has(month) ? mix(55, 42, 3, 0) : mix(86, 11, 3, 0)),
    // The debt team is full in winter: most of its winter rejections are for capacity.
    rejectCodes: (month) =>
      DEBT_WINTER.has(month)
        ? [
            ['no-capacity', 90],
            ['wrong-service', 5],
            ['already-known', 5],
          ]
        : [
            ['no-capacity', 45],
            ['wrong-service', 30],
            ['already-known', 25],
          ],
    late: () => 0.08,
    care: SHORT_ADVICE,
    handover: { to: HOUSING, share: 0.1, afterDays: [10, 60], mix: USUAL_HANDOVER },
    reasons: ['Rent and council tax arrears; wants a repayment plan', 'Debts after job loss'],
  },
  {
    id: 'jobcentre-housing',
    from: JOBCENTRE,
    to: HOUSING,
    country: 'gb',
    perYear: 150,
    season: 'winter',
    rhythm: OFFICE,
    categories: [['housing-support', 1]],
    priorities: [
      ['routine', 70],
      ['urgent', 30],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.75,
    decision: () => mix(72, 22, 4),
    rejectCodes: () => usualRejections,
    late: () => 0.15,
    care: USUAL_CARE,
    reasons: ['At risk of eviction', 'Sofa surfing; needs housing options'],
  },
  {
    id: 'debt-housing',
    from: DEBT,
    to: HOUSING,
    country: 'gb',
    perYear: 110,
    season: 'after-christmas',
    rhythm: OFFICE,
    categories: [['housing-support', 1]],
    priorities: [
      ['routine', 60],
      ['urgent', 40],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.8,
    decision: () => mix(75, 20, 3),
    rejectCodes: () => usualRejections,
    late: () => 0.12,
    care: USUAL_CARE,
    reasons: ['Possession order expected; needs housing advice'],
  },
  {
    id: 'housing-jobcentre',
    from: HOUSING,
    to: JOBCENTRE,
    country: 'gb',
    perYear: 110,
    season: 'flat',
    rhythm: OFFICE,
    categories: [['employment-support', 1]],
    priorities: [['routine', 1]],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.6,
    decision: () => mix(85, 10, 4),
    rejectCodes: () => usualRejections,
    late: () => 0.06,
    care: SHORT_ADVICE,
    reasons: ['Wants help into work to keep the tenancy'],
  },
  {
    id: 'rehab-housing',
    from: REHAB,
    to: HOUSING,
    country: 'gb',
    perYear: 70,
    season: 'flat',
    rhythm: OFFICE,
    categories: [['housing-support', 1]],
    priorities: [
      ['routine', 60],
      ['urgent', 40],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.7,
    decision: () => mix(65, 30, 3),
    rejectCodes: () => [
      ['not-eligible', 5],
      ['no-capacity', 3],
      ['insufficient-information', 2],
    ],
    late: () => 0.15,
    care: USUAL_CARE,
    reasons: ['Leaving residential treatment; needs supported housing'],
  },
  {
    id: 'rehab-jobcentre',
    from: REHAB,
    to: JOBCENTRE,
    country: 'gb',
    perYear: 45,
    season: 'flat',
    rhythm: OFFICE,
    categories: [['employment-support', 1]],
    priorities: [['routine', 1]],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.6,
    decision: () => mix(85, 10, 4),
    rejectCodes: () => usualRejections,
    late: () => 0.06,
    care: SHORT_ADVICE,
    reasons: ['In recovery; ready for work support'],
  },
  {
    id: 'housing-rehab',
    from: HOUSING,
    to: REHAB,
    country: 'gb',
    perYear: 45,
    season: 'flat',
    rhythm: OFFICE,
    categories: [['substance-misuse', 1]],
    priorities: [
      ['routine', 60],
      ['urgent', 40],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.7,
    decision: () => mix(70, 15, 10),
    rejectCodes: () => [
      ['person-declined', 5],
      ['not-eligible', 5],
    ],
    late: () => 0.1,
    care: LONG_CASEWORK,
    reasons: ['Tenancy at risk because of drug use'],
  },
  {
    id: 'housing-adult-care',
    from: HOUSING,
    to: ADULT_CARE,
    country: 'gb',
    perYear: 60,
    season: 'winter',
    rhythm: OFFICE,
    categories: [['adult-social-care', 1]],
    priorities: [
      ['routine', 70],
      ['urgent', 30],
    ],
    basis: 'consent',
    age: 'adult',
    acknowledged: 0.7,
    decision: ({ month }) => (WINTER.has(month) ? mix(65, 25, 3) : mix(78, 15, 3)),
    rejectCodes: () => usualRejections,
    late: (month) => (WINTER.has(month) ? 0.3 : 0.1),
    care: USUAL_CARE,
    reasons: ['Older tenant no longer coping at home'],
  },
];

export const CASE_FLOWS: readonly CaseFlow[] = [
  {
    id: 'gp-cases-to-adult-care',
    owner: GP,
    to: ADULT_CARE,
    country: 'gb',
    perYear: 150,
    season: 'winter',
    rhythm: OFFICE,
    basis: 'consent',
    age: 'adult',
    afterDays: [1, 45],
    mix: ADULT_CARE_HANDOVER,
  },
];

/** Codes of the referrer's withdrawals, the receivers' failures and the referrers' cancels. */
export const CANCEL_BEFORE_DECISION: Weighted<ReasonCode> = [
  ['duplicate-referral', 3],
  ['moved-away', 2],
  ['person-declined', 2],
  ['other', 1],
];
export const FAILURE_CODES: Weighted<ReasonCode> = [
  ['person-declined', 5],
  ['moved-away', 3],
  ['no-capacity', 1],
  ['other', 1],
];
export const CANCEL_IN_CARE: Weighted<ReasonCode> = [
  ['moved-away', 4],
  ['person-declined', 4],
  ['other', 2],
];
