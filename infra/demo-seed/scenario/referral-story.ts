import {
  ACCEPT_REFERRAL_V1,
  ACKNOWLEDGE_REFERRAL_V1,
  CANCEL_REFERRAL_V1,
  CLOSE_CASE_V1,
  COMPLETE_REFERRAL_V1,
  FAIL_REFERRAL_V1,
  HOLD_REFERRAL_V1,
  MAKE_REFERRAL_V1,
  PersonSubject,
  REDIRECT_REFERRAL_V1,
  REJECT_REFERRAL_V1,
  ReferralCategory,
  ReferralPriority,
  START_REFERRAL_V1,
} from '@backbone/contracts';
import { CANCEL_BEFORE_DECISION, CANCEL_IN_CARE, FAILURE_CODES, ReferralFlow } from './demo-flows';
import { tellHandover } from './handover-story';
import type { SeededRandom } from './seeded-random';
import { StoryWriter, later, laterDays } from './story-writer';

/** Decision hours of a receiver, per priority (CONTRACT §4 defaults or the directory's). */
export type DecisionHoursOf = (agency: string) => Readonly<Record<ReferralPriority, number>>;

/** The share of withdrawn referrals that the receiver, not yet aware, then tries to accept. */
const ACCEPTED_TOO_LATE = 0.3;
/** The share of cases closed by the receiver once the referral's work has ended. */
const CLOSED_AFTER_END = 0.7;

const OUTCOME_TEXT = {
  'service-provided': 'Support given as planned',
  'no-further-action': 'Assessed; no further action needed',
  'referred-on': 'Referred on to a better-placed service',
  'unable-to-contact': 'Could not reach the person after several attempts',
} as const;

interface Referral {
  referralId: string;
  from: string;
  to: string;
  category: ReferralCategory;
  priority: ReferralPriority;
  madeAt: Date;
  /** Redirects before it. */
  hop: number;
}

/**
 * A referral's story from the making to its end: acknowledged or not, then accepted (and worked
 * on, completed, failed or withdrawn, its case closed or handed over), rejected, redirected
 * (the new referral's story goes on, as its receiver decides), withdrawn, or never decided.
 */
export class ReferralStory {
  constructor(
    private readonly flow: ReferralFlow,
    private readonly writer: StoryWriter,
    private readonly random: SeededRandom,
    private readonly decisionHoursOf: DecisionHoursOf,
  ) {}

  tell(madeAt: Date, person: PersonSubject): void {
    const { flow, random } = this;
    const referral: Referral = {
      referralId: random.uuid(),
      from: flow.from,
      to: flow.to,
      category: random.weighted(flow.categories),
      priority: random.weighted(flow.priorities),
      madeAt,
      hop: 0,
    };
    const made = this.writer.send(madeAt, flow.from, MAKE_REFERRAL_V1, {
      referralId: referral.referralId,
      to: flow.to,
      category: referral.category,
      priority: referral.priority,
      reason: random.pick(flow.reasons),
      subject: person,
      lawfulBasis: {
        basis: flow.basis,
        ...(flow.basis === 'consent' ? { consentRef: `consent-${random.integer(1e5, 1e6)}` } : {}),
      },
    });
    if (made) this.decide(referral);
  }

  private decide(referral: Referral): void {
    const { flow, random, writer } = this;
    const { referralId, to, madeAt } = referral;
    const month = madeAt.getUTCMonth() + 1;
    const window = this.decisionHoursOf(to)[referral.priority];
    const mix = flow.decision({
      hop: referral.hop,
      receiver: to,
      category: referral.category,
      month,
    });
    const choice = random.weighted([
      ['accept', mix.accept],
      ['reject', mix.reject],
      ['cancel', mix.cancel],
      ['redirect', mix.redirect?.weight ?? 0],
      ['ignore', mix.ignore ?? 0],
    ] as const);
    const decidedAt = random.chance(flow.late(month))
      ? later(madeAt, window * random.between(1.05, 2) + random.between(0.5, 30))
      : later(madeAt, window * random.between(0.05, 0.9));
    const settledAt =
      choice === 'cancel' ? later(madeAt, window * random.between(0.1, 0.8)) : decidedAt;
    const acknowledgedAt = later(madeAt, (settledAt.getTime() - madeAt.getTime()) / 3.6e6 / 4);
    if (random.chance(flow.acknowledged) && acknowledgedAt < settledAt)
      writer.send(acknowledgedAt, to, ACKNOWLEDGE_REFERRAL_V1, { referralId });

    switch (choice) {
      case 'accept':
        if (writer.send(decidedAt, to, ACCEPT_REFERRAL_V1, { referralId }))
          this.care(referral, decidedAt);
        return;
      case 'reject':
        writer.send(decidedAt, to, REJECT_REFERRAL_V1, {
          referralId,
          reason: 'We cannot take this referral on',
          reasonCode: random.weighted(flow.rejectCodes(month)),
        });
        return;
      case 'redirect': {
        const next = { ...referral, referralId: random.uuid(), to: mix.redirect?.to as string };
        const redirected = writer.send(decidedAt, to, REDIRECT_REFERRAL_V1, {
          referralId,
          to: next.to,
          newReferralId: next.referralId,
          reason: `Better placed with ${next.to}`,
          reasonCode: 'wrong-service',
        });
        if (redirected) this.decide({ ...next, madeAt: decidedAt, hop: referral.hop + 1 });
        return;
      }
      case 'cancel': {
        const cancelled = writer.send(settledAt, referral.from, CANCEL_REFERRAL_V1, {
          referralId,
          reason: 'No longer needed',
          reasonCode: random.weighted(CANCEL_BEFORE_DECISION),
        });
        // The receiver acts on what it has not heard yet: refused, as the scenario means.
        if (cancelled && random.chance(ACCEPTED_TOO_LATE))
          writer.send(
            later(settledAt, random.between(0.05, 2)),
            to,
            ACCEPT_REFERRAL_V1,
            { referralId },
            { expected: 'INVALID_TRANSITION' },
          );
        return;
      }
      case 'ignore':
        return;
    }
  }

  /** The work after an acceptance, and what becomes of the case it opened. */
  private care(referral: Referral, acceptedAt: Date): void {
    const { flow, random, writer } = this;
    const { referralId, to, from } = referral;
    const { care } = flow;
    const ending = random.weighted(care.ending);
    let at = acceptedAt;
    const started = random.chance(care.started);
    if (started) {
      at = later(at, random.between(2, 120));
      if (!writer.send(at, to, START_REFERRAL_V1, { referralId })) return;
      if (random.chance(care.held)) {
        at = laterDays(at, random.between(1, 20));
        if (
          !writer.send(at, to, HOLD_REFERRAL_V1, { referralId, reason: 'Waiting for the family' })
        )
          return;
        at = laterDays(at, random.between(2, 21));
        if (!writer.send(at, to, START_REFERRAL_V1, { referralId })) return;
      }
    }
    const endedAt = laterDays(at, random.between(care.days[0], care.days[1]));
    let ended = false;
    if (ending === 'complete' || (ending === 'fail' && !started)) {
      const outcomeCode = started ? random.weighted(care.outcomes) : 'unable-to-contact';
      ended = writer.send(endedAt, to, COMPLETE_REFERRAL_V1, {
        referralId,
        outcome: OUTCOME_TEXT[outcomeCode],
        outcomeCode,
      });
    } else if (ending === 'fail') {
      ended = writer.send(endedAt, to, FAIL_REFERRAL_V1, {
        referralId,
        reason: 'The work could not go on',
        reasonCode: random.weighted(FAILURE_CODES),
      });
    } else if (ending === 'cancel') {
      ended = writer.send(endedAt, from, CANCEL_REFERRAL_V1, {
        referralId,
        reason: 'Circumstances changed',
        reasonCode: random.weighted(CANCEL_IN_CARE),
      });
    }

    const caseOfReferral = { caseOfReferral: referralId };
    const { handover } = flow;
    if (handover && random.chance(handover.share)) {
      tellHandover(
        {
          case: caseOfReferral,
          owner: to,
          to: handover.to,
          at: laterDays(acceptedAt, random.between(handover.afterDays[0], handover.afterDays[1])),
          mix: handover.mix,
        },
        writer,
        random,
      );
    } else if (ended && random.chance(CLOSED_AFTER_END)) {
      writer.send(
        laterDays(endedAt, random.between(0.1, 14)),
        to,
        CLOSE_CASE_V1,
        { reason: 'Work finished' },
        { case: caseOfReferral },
      );
    }
  }
}
