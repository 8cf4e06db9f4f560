// Every contract command's decision through one signature: which stream it acts on, whether it
// names a person, and which of the aggregates' decide functions settles it. Callers need no
// knowledge of which command belongs to which aggregate.
import {
  ACCEPT_HANDOVER_V1,
  CANCEL_HANDOVER_V1,
  CLOSE_CASE_V1,
  CaseCommandV1,
  DECLINE_HANDOVER_V1,
  MAKE_REFERRAL_V1,
  MakeReferralV1,
  OPEN_CASE_V1,
  OpenCaseV1,
  PROPOSE_HANDOVER_V1,
  REDIRECT_REFERRAL_V1,
  RedirectReferralV1,
  ReferralCommandV1,
  PersonIdentifier,
} from '@backbone/contracts';
import { CaseCommand, decideCase } from './case/case.decide';
import type { CaseOfReferralContext } from './case/case-of-referral';
import { caseStreamId } from './case/case-stream';
import type { CaseState } from './case/case.state';
import type { Decision } from './decision';
import { MakeReferralContext, decideMakeReferral } from './referral/make-referral.decide';
import { decideRedirectReferral } from './referral/redirect-referral.decide';
import {
  REFERRAL_LIFECYCLE_COMMANDS,
  ReferralLifecycleData,
  decideReferralLifecycle,
} from './referral/referral-lifecycle.decide';
import { referralStreamId } from './referral/referral-stream';
import type { ReferralState } from './referral/referral.state';

/** What any command's decision may need from outside the domain, as plain values and lookups. */
export interface CommandContext
  extends
    Pick<MakeReferralContext, 'acceptedCategoriesOf' | 'decisionHoursOf'>,
    CaseOfReferralContext {
  /** The agency in whose name the command was sent. */
  sender: string;
  now: Date;
  /** The pseudonymous person a command that names one is about (see `namedPerson`). */
  subjectId?: string;
  agencyExists: (agencyId: string) => boolean;
}

interface CommandRule {
  streamIdOf: (data: object) => string;
  /** The identifiers of the person the command names, for a command that starts their stream. */
  namedPerson?: (data: object) => PersonIdentifier[];
  decide: (type: string, data: object, state: unknown, context: CommandContext) => Decision;
}

const onReferral = (data: object) => referralStreamId((data as ReferralCommandV1).referralId);
const onCase = (data: object) => caseStreamId((data as CaseCommandV1).caseId);

const REFERRAL_LIFECYCLE: CommandRule = {
  streamIdOf: onReferral,
  decide: (type, data, state, context) =>
    decideReferralLifecycle(
      type,
      data as ReferralLifecycleData,
      state as ReferralState,
      context.sender,
      context,
    ),
};

const CASE: CommandRule = {
  streamIdOf: onCase,
  decide: (type, data, state, context) =>
    decideCase({ type, data } as CaseCommand, state as CaseState, context),
};

const RULES: Readonly<Record<string, CommandRule>> = {
  [MAKE_REFERRAL_V1]: {
    streamIdOf: onReferral,
    namedPerson: (data) => (data as MakeReferralV1).subject.identifiers,
    decide: (_type, data, state, context) =>
      decideMakeReferral(data as MakeReferralV1, state as ReferralState, {
        ...context,
        from: context.sender,
        subjectId: context.subjectId as string,
      }),
  },
  [REDIRECT_REFERRAL_V1]: {
    streamIdOf: onReferral,
    decide: (_type, data, state, context) =>
      decideRedirectReferral(
        data as RedirectReferralV1,
        state as ReferralState,
        context.sender,
        context,
      ),
  },
  ...Object.fromEntries(REFERRAL_LIFECYCLE_COMMANDS.map((type) => [type, REFERRAL_LIFECYCLE])),
  [OPEN_CASE_V1]: { ...CASE, namedPerson: (data) => (data as OpenCaseV1).subject.identifiers },
  [CLOSE_CASE_V1]: CASE,
  [PROPOSE_HANDOVER_V1]: CASE,
  [ACCEPT_HANDOVER_V1]: CASE,
  [DECLINE_HANDOVER_V1]: CASE,
  [CANCEL_HANDOVER_V1]: CASE,
};

function ruleOf(type: string): CommandRule {
  const rule = RULES[type];
  if (!rule) throw new Error(`no decision for command type ${type}`);
  return rule;
}

/** The command types the domain decides. */
export const DECIDED_COMMAND_TYPES: readonly string[] = Object.keys(RULES);

/** The stream a command acts on and is decided against. */
export function streamIdOfCommand(type: string, data: object): string {
  return ruleOf(type).streamIdOf(data);
}

/**
 * The identifiers of the person a command names, when it starts a stream about them (a new
 * referral or case): their pseudonymous subject id must be found before it is decided.
 */
export function personNamedBy(type: string, data: object): PersonIdentifier[] | undefined {
  return ruleOf(type).namedPerson?.(data);
}

/** Decides any contract command on its stream's state. */
export function decideCommand(
  type: string,
  data: object,
  state: unknown,
  context: CommandContext,
): Decision {
  return ruleOf(type).decide(type, data, state, context);
}
