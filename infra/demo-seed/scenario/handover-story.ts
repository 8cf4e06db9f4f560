import {
  ACCEPT_HANDOVER_V1,
  CANCEL_HANDOVER_V1,
  CLOSE_CASE_V1,
  DECLINE_HANDOVER_V1,
  PROPOSE_HANDOVER_V1,
} from '@backbone/contracts';
import { DAY_MS } from './calendar';
import type { HandoverMix } from './demo-flows';
import type { CaseRef } from './planned-command';
import type { SeededRandom } from './seeded-random';
import { StoryWriter, laterDays } from './story-writer';

export interface HandoverStart {
  case: CaseRef;
  /** Responsible for the case until a handover completes. */
  owner: string;
  to: string;
  at: Date;
  mix: HandoverMix;
}

const DECLINE_REASONS = [
  'Not eligible for a package of care at present',
  'Needs are met by the current service',
  'No capacity to take on the case this month',
];

/** The Monday, 07:00 UTC, at least two days after `at`: when a planned handover takes effect. */
export function mondayAfter(at: Date): Date {
  const day = new Date(at.getTime() + 2 * DAY_MS);
  day.setUTCHours(7, 0, 0, 0);
  const toMonday = (8 - day.getUTCDay()) % 7;
  return new Date(day.getTime() + toMonday * DAY_MS);
}

/**
 * A case's handover: proposed, then accepted (the case moves at once or on a later Monday),
 * declined (after which the case may be closed with no successor, or proposed again), cancelled,
 * or left unanswered.
 */
export function tellHandover(
  start: HandoverStart,
  writer: StoryWriter,
  random: SeededRandom,
  acceptAnyway = false,
): void {
  const { owner, to, at, mix } = start;
  const handoverId = random.uuid();
  const effectiveAt = random.chance(mix.effectiveLater) ? mondayAfter(at) : undefined;
  const proposed = writer.send(
    at,
    owner,
    PROPOSE_HANDOVER_V1,
    {
      handoverId,
      to,
      reason: 'Needs are now best met by another service',
      summary: 'Current support plan, contacts and risks attached',
      ...(effectiveAt ? { effectiveAt: effectiveAt.toISOString() } : {}),
    },
    { case: start.case },
  );
  if (!proposed) return;
  const onCase = { case: start.case };
  const response = acceptAnyway ? 'accept' : random.weighted(mix.response);
  const month = at.getUTCMonth() + 1;
  switch (response) {
    case 'accept': {
      const [low, high] = mix.acceptDays(month);
      const accepted = laterDays(at, random.between(low, high));
      if (!writer.send(accepted, to, ACCEPT_HANDOVER_V1, { handoverId }, onCase)) break;
      // Completed at acceptance or, by the deadline watcher, on the Monday proposed.
      const completed = effectiveAt && effectiveAt > accepted ? effectiveAt : accepted;
      if (random.chance(mix.receiverCloses))
        writer.send(
          laterDays(completed, random.between(20, 150)),
          to,
          CLOSE_CASE_V1,
          { reason: 'Support plan completed' },
          onCase,
        );
      break;
    }
    case 'decline': {
      const declined = laterDays(at, random.between(1, 14));
      const reason = random.pick(DECLINE_REASONS);
      if (!writer.send(declined, to, DECLINE_HANDOVER_V1, { handoverId, reason }, onCase)) break;
      const next = random.weighted(mix.afterDecline);
      if (next === 'close')
        writer.send(
          laterDays(declined, random.between(1, 20)),
          owner,
          CLOSE_CASE_V1,
          { reason: 'Closed: no other service took the case on' },
          onCase,
        );
      if (next === 'again')
        tellHandover(
          { ...start, at: laterDays(declined, random.between(5, 30)) },
          writer,
          random,
          true,
        );
      break;
    }
    case 'cancel':
      writer.send(
        laterDays(at, random.between(5, 40)),
        owner,
        CANCEL_HANDOVER_V1,
        { handoverId, reason: 'Circumstances changed; staying with us' },
        onCase,
      );
      break;
    case 'silent':
      // Unanswered: some proposers give up after a month or two, others wait (the agenda).
      if (random.chance(0.5))
        writer.send(
          laterDays(at, random.between(30, 70)),
          owner,
          CANCEL_HANDOVER_V1,
          { handoverId, reason: 'No answer; keeping the case' },
          onCase,
        );
      break;
  }
}
