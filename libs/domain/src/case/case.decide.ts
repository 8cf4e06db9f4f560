// Cases and handovers (CONTRACT §5): one responsible agency at every moment, one open
// handover at a time, responsibility moving only when a handover completes.
import {
  ACCEPT_HANDOVER_V1,
  CANCEL_HANDOVER_V1,
  CASE_CLOSED_V1,
  CASE_OPENED_V1,
  CLOSE_CASE_V1,
  CaseOpenedV1,
  CloseCaseV1,
  DECLINE_HANDOVER_V1,
  DeclineHandoverV1,
  HANDOVER_ACCEPTED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_COMPLETED_V1,
  HANDOVER_DECLINED_V1,
  HANDOVER_PROPOSED_V1,
  HandoverCommandV1,
  OPEN_CASE_V1,
  OpenCaseV1,
  PROPOSE_HANDOVER_V1,
  ProposeHandoverV1,
} from '@backbone/contracts';
import { Decision, DomainEvent, accept, reject } from '../decision';
import { caseStreamId } from './case-stream';
import { CaseState, ExistingCase } from './case.state';

export interface CaseContext {
  sender: string;
  now: Date;
  /** Pseudonymous id of the person (only `case.open.v1` needs it). */
  subjectId?: string;
  agencyExists: (agencyId: string) => boolean;
}

export type CaseCommand =
  | { type: typeof OPEN_CASE_V1; data: OpenCaseV1 }
  | { type: typeof CLOSE_CASE_V1; data: CloseCaseV1 }
  | { type: typeof PROPOSE_HANDOVER_V1; data: ProposeHandoverV1 }
  | { type: typeof ACCEPT_HANDOVER_V1; data: HandoverCommandV1 }
  | { type: typeof DECLINE_HANDOVER_V1; data: DeclineHandoverV1 }
  | { type: typeof CANCEL_HANDOVER_V1; data: DeclineHandoverV1 };

const caseEvent = (caseId: string, type: string, data: object): DomainEvent => ({
  type,
  streamId: caseStreamId(caseId),
  data: { caseId, ...data },
});

/** Agencies that may know of the case: the responsible one and a proposed receiver. */
export function casePartiesOf(state: CaseState): string[] {
  if (!state.exists) return [];
  return state.handover ? [state.responsible, state.handover.to] : [state.responsible];
}

function openCase(command: OpenCaseV1, state: CaseState, context: CaseContext): Decision {
  if (state.exists)
    return reject(
      'INVALID_TRANSITION',
      `case ${command.caseId} already exists; choose a new caseId`,
    );
  if (!context.subjectId) throw new Error('opening a case needs the subject id');
  const opened: CaseOpenedV1 = {
    caseId: command.caseId,
    responsible: context.sender,
    subjectId: context.subjectId,
    subject: command.subject,
    lawfulBasis: command.lawfulBasis,
  };
  return accept(caseEvent(command.caseId, CASE_OPENED_V1, opened));
}

/** Effective time of an accepted handover: as proposed, but never in the past. */
const effectiveTime = (proposed: string | undefined, now: Date): string =>
  proposed && new Date(proposed) > now ? proposed : now.toISOString();

/** The completion of an accepted handover whose time has come, if it has. */
export function decideHandoverDue(state: CaseState, now: Date): Decision {
  if (!state.exists || state.handover?.status !== 'accepted') {
    return reject('INVALID_TRANSITION', 'the case has no accepted handover to complete');
  }
  const { handover } = state;
  if (handover.effectiveAt && new Date(handover.effectiveAt) > now) {
    return reject(
      'INVALID_TRANSITION',
      `handover ${handover.handoverId} takes effect at ${handover.effectiveAt}`,
    );
  }
  return accept(
    caseEvent(state.caseId, HANDOVER_COMPLETED_V1, {
      handoverId: handover.handoverId,
      from: state.responsible,
      to: handover.to,
    }),
  );
}

function decideOnOpenCase(
  command: CaseCommand,
  state: ExistingCase,
  context: CaseContext,
): Decision {
  const { sender, now } = context;
  const { caseId } = state;
  const isResponsible = sender === state.responsible;
  const onlyResponsible = (verb: string) =>
    reject('FORBIDDEN', `only ${state.responsible}, responsible for case ${caseId}, can ${verb}`);
  switch (command.type) {
    case OPEN_CASE_V1:
      return reject('INVALID_TRANSITION', `case ${caseId} already exists; choose a new caseId`);
    case CLOSE_CASE_V1:
      if (!isResponsible) return onlyResponsible('close it');
      if (state.handover) {
        return reject(
          'INVALID_TRANSITION',
          `case ${caseId} has handover ${state.handover.handoverId} open; cancel it before closing the case`,
        );
      }
      return accept(caseEvent(caseId, CASE_CLOSED_V1, { reason: command.data.reason }));
    case PROPOSE_HANDOVER_V1: {
      const { handoverId, to, reason, summary, effectiveAt } = command.data;
      if (!isResponsible) return onlyResponsible('hand it over');
      if (state.handover) {
        return reject(
          'INVALID_TRANSITION',
          `case ${caseId} already has handover ${state.handover.handoverId} to ${state.handover.to} open; one handover at a time`,
        );
      }
      if (state.handoverIds.includes(handoverId)) {
        return reject(
          'INVALID_TRANSITION',
          `handover ${handoverId} was used before on case ${caseId}; choose a new handoverId`,
        );
      }
      if (to === sender)
        return reject('INVALID', `${sender} is already responsible for case ${caseId}`);
      if (!context.agencyExists(to))
        return reject('UNKNOWN_AGENCY', `no agency "${to}" is in the directory`);
      return accept(
        caseEvent(caseId, HANDOVER_PROPOSED_V1, {
          handoverId,
          from: sender,
          to,
          reason,
          summary,
          ...(effectiveAt ? { effectiveAt } : {}),
        }),
      );
    }
    default:
      return decideOnHandover(command, state, context, now);
  }
}

function decideOnHandover(
  command: CaseCommand,
  state: ExistingCase,
  context: CaseContext,
  now: Date,
): Decision {
  const { caseId, handover } = state;
  const { handoverId } = command.data as HandoverCommandV1;
  if (!handover || handover.handoverId !== handoverId) {
    return reject('INVALID_TRANSITION', `handover ${handoverId} is not open on case ${caseId}`);
  }
  const isReceiver = context.sender === handover.to;
  switch (command.type) {
    case ACCEPT_HANDOVER_V1: {
      if (!isReceiver)
        return reject('FORBIDDEN', `only ${handover.to} can accept handover ${handoverId}`);
      if (handover.status !== 'proposed')
        return reject('INVALID_TRANSITION', `handover ${handoverId} is already accepted`);
      const effectiveAt = effectiveTime(handover.effectiveAt, now);
      const accepted = caseEvent(caseId, HANDOVER_ACCEPTED_V1, { handoverId, effectiveAt });
      const completion = decideHandoverDue(
        { ...state, handover: { ...handover, status: 'accepted', effectiveAt } },
        now,
      );
      return completion.kind === 'accepted'
        ? accept(accepted, ...completion.events)
        : accept(accepted);
    }
    case DECLINE_HANDOVER_V1:
      if (!isReceiver)
        return reject('FORBIDDEN', `only ${handover.to} can decline handover ${handoverId}`);
      if (handover.status !== 'proposed') {
        return reject(
          'INVALID_TRANSITION',
          `handover ${handoverId} is already accepted; it can no longer be declined`,
        );
      }
      return accept(
        caseEvent(caseId, HANDOVER_DECLINED_V1, { handoverId, reason: command.data.reason }),
      );
    case CANCEL_HANDOVER_V1:
      if (context.sender !== state.responsible) {
        return reject(
          'FORBIDDEN',
          `only ${state.responsible}, responsible for case ${caseId}, can cancel handover ${handoverId}`,
        );
      }
      return accept(
        caseEvent(caseId, HANDOVER_CANCELLED_V1, { handoverId, reason: command.data.reason }),
      );
    default:
      throw new Error(`${command.type} is not a handover command`);
  }
}

export function decideCase(command: CaseCommand, state: CaseState, context: CaseContext): Decision {
  if (command.type === OPEN_CASE_V1) return openCase(command.data, state, context);
  const { caseId } = command.data;
  if (!state.exists || !casePartiesOf(state).includes(context.sender)) {
    return reject('NOT_FOUND', `no case ${caseId} is known to you`);
  }
  if (state.status === 'closed') return reject('INVALID_TRANSITION', `case ${caseId} is closed`);
  return decideOnOpenCase(command, state, context);
}
