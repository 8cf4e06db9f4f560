// Every referral command after `make`: who may send it, in which statuses, and what it records.
import {
  ACCEPT_REFERRAL_V1,
  ACKNOWLEDGE_REFERRAL_V1,
  AcceptReferralV1,
  CANCEL_REFERRAL_V1,
  COMPLETE_REFERRAL_V1,
  CompleteReferralV1,
  FAIL_REFERRAL_V1,
  HOLD_REFERRAL_V1,
  NOTE_REFERRAL_V1,
  NoteReferralV1,
  REFERRAL_ACCEPTED_V1,
  REFERRAL_CANCELLED_V1,
  REFERRAL_COMPLETED_V1,
  REFERRAL_FAILED_V1,
  REFERRAL_HELD_V1,
  REFERRAL_NOTED_V1,
  REFERRAL_RECEIVED_V1,
  REFERRAL_REJECTED_V1,
  REFERRAL_STARTED_V1,
  REJECT_REFERRAL_V1,
  CodedReferralCommandV1,
  ReasonedReferralCommandV1,
  ReferralCommandV1,
  START_REFERRAL_V1,
} from '@backbone/contracts';
import { CaseOfReferralContext, openCaseForAcceptedReferral } from '../case/case-of-referral';
import { Decision, DomainEvent, accept, reject } from '../decision';
import { codedReason } from './coded-reason';
import { referralStreamId } from './referral-stream';
import {
  ExistingReferral,
  MAX_HOLDS_PER_REFERRAL,
  MAX_NOTES_PER_REFERRAL,
  ReferralState,
  ReferralStatus,
  isTerminal,
} from './referral.state';

type Role = 'receiver' | 'referrer' | 'either';

/** What lifecycle decisions need from outside the domain (accepting opens a case). */
export type ReferralLifecycleContext = CaseOfReferralContext;

interface Transition {
  by: Role;
  /** Statuses the command is allowed in; `open` means any non-terminal status. */
  allowedIn: readonly ReferralStatus[] | 'open';
  /** What the command is called in a reason sentence. */
  verb: string;
  /** A refusal that depends on more than the status, checked after who and when. */
  refuse?(referral: ExistingReferral): Decision | undefined;
  record(
    referral: ExistingReferral,
    data: ReferralCommandV1,
    sender: string,
    context: ReferralLifecycleContext,
  ): DomainEvent[];
}

const event = (referral: ExistingReferral, type: string, data: object): DomainEvent => ({
  type,
  streamId: referralStreamId(referral.referralId),
  data: { referralId: referral.referralId, ...data },
});
const withReason = (type: string) => (referral: ExistingReferral, data: ReferralCommandV1) => [
  event(referral, type, { reason: (data as ReasonedReferralCommandV1).reason }),
];
const withCodedReason = (type: string) => (referral: ExistingReferral, data: ReferralCommandV1) => [
  event(referral, type, codedReason(data as CodedReferralCommandV1)),
];

const TRANSITIONS: Readonly<Record<string, Transition>> = {
  [ACKNOWLEDGE_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['requested'],
    verb: 'acknowledged',
    record: (referral) => [event(referral, REFERRAL_RECEIVED_V1, {})],
  },
  [ACCEPT_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['requested', 'received'],
    verb: 'accepted',
    record: (referral, data, _sender, context) => {
      const opened = openCaseForAcceptedReferral(referral, context);
      const { assignee } = data as AcceptReferralV1;
      const caseId = (opened.data as { caseId: string }).caseId;
      return [
        event(referral, REFERRAL_ACCEPTED_V1, { caseId, ...(assignee ? { assignee } : {}) }),
        opened,
      ];
    },
  },
  [REJECT_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['requested', 'received'],
    verb: 'rejected',
    record: withCodedReason(REFERRAL_REJECTED_V1),
  },
  [START_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['accepted', 'on-hold'],
    verb: 'started',
    record: (referral) => [event(referral, REFERRAL_STARTED_V1, {})],
  },
  [HOLD_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['accepted', 'in-progress'],
    verb: 'put on hold',
    refuse: (referral) =>
      referral.holdCount >= MAX_HOLDS_PER_REFERRAL
        ? reject(
            'INVALID_TRANSITION',
            `referral ${referral.referralId} was already put on hold ${MAX_HOLDS_PER_REFERRAL} times, the most a referral takes; complete or fail it instead`,
          )
        : undefined,
    record: withReason(REFERRAL_HELD_V1),
  },
  [COMPLETE_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['accepted', 'in-progress'],
    verb: 'completed',
    record: (referral, data) => {
      const { outcome, outcomeCode } = data as CompleteReferralV1;
      return [event(referral, REFERRAL_COMPLETED_V1, { outcome, outcomeCode })];
    },
  },
  [FAIL_REFERRAL_V1]: {
    by: 'receiver',
    allowedIn: ['in-progress', 'on-hold'],
    verb: 'failed',
    record: withCodedReason(REFERRAL_FAILED_V1),
  },
  [CANCEL_REFERRAL_V1]: {
    by: 'referrer',
    allowedIn: 'open',
    verb: 'cancelled',
    record: withCodedReason(REFERRAL_CANCELLED_V1),
  },
  [NOTE_REFERRAL_V1]: {
    by: 'either',
    allowedIn: 'open',
    verb: 'noted',
    refuse: (referral) =>
      referral.noteCount >= MAX_NOTES_PER_REFERRAL
        ? reject(
            'INVALID_TRANSITION',
            `referral ${referral.referralId} already holds ${MAX_NOTES_PER_REFERRAL} notes, the most a referral takes; make a new referral or share further information outside the backbone`,
          )
        : undefined,
    record: (referral, data, sender) => [
      event(referral, REFERRAL_NOTED_V1, { by: sender, text: (data as NoteReferralV1).text }),
    ],
  },
};

export const REFERRAL_LIFECYCLE_COMMANDS = Object.keys(TRANSITIONS);

/** Not a party: the referral's existence is not the sender's to know (CONTRACT §7). */
function notFound(referralId: string): Decision {
  return reject('NOT_FOUND', `no referral ${referralId} is known to you`);
}

/**
 * Checks that `sender` may act on this referral in `role` while it is in one of `allowedIn`:
 * the rejection when not, or undefined when it may.
 */
export function checkReferralAction(
  state: ReferralState,
  referralId: string,
  sender: string,
  rule: { by: Role; allowedIn: readonly ReferralStatus[] | 'open'; verb: string },
): Decision | undefined {
  if (!state.exists || (sender !== state.from && sender !== state.to)) return notFound(referralId);
  const role = sender === state.to ? 'receiver' : 'referrer';
  if (rule.by !== 'either' && rule.by !== role) {
    const who =
      rule.by === 'receiver' ? `its receiver (${state.to})` : `its referrer (${state.from})`;
    return reject('FORBIDDEN', `only ${who} can have referral ${referralId} ${rule.verb}`);
  }
  if (isTerminal(state.status)) {
    return reject(
      'INVALID_TRANSITION',
      `referral ${referralId} is ${state.status}; a ${state.status} referral cannot be ${rule.verb}`,
    );
  }
  if (rule.allowedIn !== 'open' && !rule.allowedIn.includes(state.status)) {
    return reject(
      'INVALID_TRANSITION',
      `referral ${referralId} is ${state.status}; it can be ${rule.verb} only when ${rule.allowedIn.join(' or ')}`,
    );
  }
  return undefined;
}

/** The data of any lifecycle command. */
export type ReferralLifecycleData =
  | ReferralCommandV1
  | AcceptReferralV1
  | ReasonedReferralCommandV1
  | CompleteReferralV1
  | NoteReferralV1;

/** Decides a lifecycle command (everything but make and redirect) sent by `sender`. */
export function decideReferralLifecycle(
  type: string,
  data: ReferralLifecycleData,
  state: ReferralState,
  sender: string,
  context: ReferralLifecycleContext,
): Decision {
  const transition = TRANSITIONS[type];
  if (!transition) throw new Error(`${type} is not a referral lifecycle command`);
  const refused = checkReferralAction(state, data.referralId, sender, transition);
  if (refused) return refused;
  const referral = state as ExistingReferral;
  const limited = transition.refuse?.(referral);
  if (limited) return limited;
  return accept(...transition.record(referral, data, sender, context));
}
