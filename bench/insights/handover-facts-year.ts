// A year of the same region's handovers of cases' responsibility as `handover_facts` rows,
// written straight (the fold has its own tests): proposed by the agency responsible, mostly to
// one of its own site, over the same weekly rhythm as the referrals; most accepted and
// completed some days later, some declined or cancelled, a few still open.
import { SeededRandom } from '@backbone/testing/seeded-random';
import { FactsYear, agencyDraws, dayWeights, timeOfDay } from './referral-facts-year';
import { Weighted, logNormalHours, uuid } from './seeded-draws';

const HOUR = 3_600_000;
/** What the proposed receiver did, as shares of all handovers. */
const FATES = new Weighted([
  ['accepted', 0.72],
  ['declined', 0.15],
  ['cancelled', 0.08],
  ['open', 0.05],
] as const);
/** Accepted handovers complete at once or at a later `effectiveAt`; some are still waiting. */
const COMPLETED_SHARE = 0.9;

const iso = (ms: number | null): string => (ms === null ? '\\N' : new Date(ms).toISOString());

/** `count` rows of `handover_facts` in COPY text format, in the migration's column order. */
export function* handoverFactLines(count: number, year: FactsYear, seed = 25): Generator<string> {
  const random = new SeededRandom(seed);
  const days = new Weighted(dayWeights(year));
  const { everyone, receiverFor } = agencyDraws(random);
  const now = year.now.getTime();
  const happened = (at: number): number | null => (at <= now ? at : null);
  for (let i = 0; i < count; i++) {
    const from = everyone.draw(random);
    const to = receiverFor(from, [from]);
    const proposedAt = days.draw(random) + timeOfDay(random);
    const answeredAt = proposedAt + logNormalHours(random, 48, 1) * HOUR;
    const fate = FATES.draw(random);
    const acceptedAt = fate === 'accepted' ? happened(answeredAt) : null;
    const completedAt =
      acceptedAt !== null && random.next() < COMPLETED_SHARE
        ? happened(acceptedAt + logNormalHours(random, 72, 1.2) * HOUR)
        : null;
    const declinedAt = fate === 'declined' ? happened(answeredAt) : null;
    const cancelledAt = fate === 'cancelled' ? happened(answeredAt) : null;
    const status =
      completedAt !== null
        ? 'completed'
        : acceptedAt !== null
          ? 'accepted'
          : declinedAt !== null
            ? 'declined'
            : cancelledAt !== null
              ? 'cancelled'
              : 'proposed';
    const events = 1 + [acceptedAt, completedAt, declinedAt, cancelledAt].filter(Boolean).length;
    yield (
      [
        uuid(random),
        uuid(random),
        from,
        to,
        status,
        iso(proposedAt),
        iso(acceptedAt),
        iso(declinedAt),
        iso(cancelledAt),
        iso(completedAt),
        String(events),
      ].join('\t') + '\n'
    );
  }
}
