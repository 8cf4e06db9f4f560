// What became of a generated referral by the run's present: acknowledged, decided and ended
// when, with which reason or outcome code, in plausible shares.
import type { ReferralPriority } from '@backbone/contracts';
import { OUTCOME_CODES, REASON_CODES } from '@backbone/contracts';
import { SeededRandom } from '@backbone/testing/seeded-random';
import { Weighted, logNormalHours, normal } from './seeded-draws';

const HOUR = 3_600_000;

/** CONTRACT §4's default decision deadlines, in hours. */
export const DEADLINE_HOURS: Record<ReferralPriority, number> = {
  stat: 1,
  asap: 4,
  urgent: 24,
  routine: 72,
};
/** What the receiver did with a referral: shares of all referrals, the rest left undecided. */
const PATHS: [Path, number][] = [
  ['accepted', 0.71],
  ['rejected', 0.18],
  ['redirected', 0.05],
  ['cancelled-before-decision', 0.04],
  ['left-undecided', 0.02],
];
type Path = 'accepted' | 'rejected' | 'redirected' | 'cancelled-before-decision' | 'left-undecided';
/** How an accepted referral ended (or not yet). */
const AFTER_ACCEPTANCE: [string, number][] = [
  ['completed', 0.62],
  ['failed', 0.07],
  ['cancelled', 0.06],
  ['in-progress', 0.17],
  ['on-hold', 0.03],
  ['accepted', 0.05],
];
const UNCODED = 0.15;

/** What happened to one referral by the run's present; times in ms, null if not (yet). */
export interface Fate {
  acknowledgedAt: number | null;
  decidedAt: number | null;
  decision: string | null;
  status: string;
  endedAt: number | null;
  reason: string | null;
  outcome: string | null;
  events: number;
}

const PATH = new Weighted(PATHS);
const ACCEPTED_ENDS = new Weighted(AFTER_ACCEPTANCE);
const REASON = new Weighted(REASON_CODES.map((code, i) => [code, 9 - i] as const));
const OUTCOME = new Weighted(OUTCOME_CODES.map((code, i) => [code, [6, 2, 1, 1][i]] as const));
const ENDINGS = new Set(['completed', 'failed', 'cancelled']);
const CODED_ENDINGS = new Set(['rejected', 'redirected', 'failed', 'cancelled']);

/**
 * What became of a referral by `now`, with the fold's rules: the first status event counts as
 * its acknowledgement, the first decision is the decision, an end status stamps the end.
 */
export function fateOf(
  random: SeededRandom,
  { madeAt, priority }: { madeAt: number; priority: ReferralPriority },
  now: number,
): Fate {
  const happened = (at: number): number | null => (at <= now ? at : null);
  const fate: Fate = {
    acknowledgedAt: null,
    decidedAt: null,
    decision: null,
    status: 'requested',
    endedAt: null,
    reason: null,
    outcome: null,
    events: 1,
  };
  const step = (status: string, at: number | null): boolean => {
    if (at === null) return false;
    fate.acknowledgedAt ??= at;
    fate.status = status;
    fate.events++;
    return true;
  };
  // Most receivers acknowledge within hours; the others only show it by deciding.
  const acknowledgedAt = madeAt + logNormalHours(random, 2, 1.2) * HOUR;
  if (random.next() < 0.85) step('received', happened(acknowledgedAt));
  // Decisions take about a third of the deadline; about one in eight comes after it.
  const deadline = DEADLINE_HOURS[priority] * HOUR;
  const decidedAt = Math.max(
    acknowledgedAt,
    madeAt + deadline * 0.35 * Math.exp(0.9 * normal(random)),
  );
  const path = PATH.draw(random);
  if (path === 'accepted' || path === 'rejected' || path === 'redirected') {
    if (step(path, happened(decidedAt))) {
      fate.decidedAt = decidedAt;
      fate.decision = path;
      if (path !== 'accepted') fate.endedAt = decidedAt;
      else {
        const after = ACCEPTED_ENDS.draw(random);
        const startedAt = decidedAt + logNormalHours(random, 24, 1) * HOUR;
        const endsAt = startedAt + logNormalHours(random, 14 * 24, 0.8) * HOUR;
        if (
          after !== 'accepted' &&
          step(after === 'on-hold' ? after : 'in-progress', happened(startedAt))
        ) {
          if (ENDINGS.has(after) && step(after, happened(endsAt))) fate.endedAt = endsAt;
        }
      }
    }
  } else if (path === 'cancelled-before-decision') {
    const cancelledAt = happened(madeAt + logNormalHours(random, 30, 1) * HOUR);
    if (step('cancelled', cancelledAt)) fate.endedAt = cancelledAt;
  }
  if (fate.status === 'completed') fate.outcome = OUTCOME.draw(random);
  else if (CODED_ENDINGS.has(fate.status) && random.next() >= UNCODED) {
    fate.reason = REASON.draw(random);
  }
  return fate;
}
