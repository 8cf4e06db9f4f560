import {
  CASE_CLOSED_V1,
  CASE_OPENED_V1,
  CaseOpenedV1,
  HANDOVER_ACCEPTED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_COMPLETED_V1,
  HANDOVER_DECLINED_V1,
  HANDOVER_PROPOSED_V1,
  HandoverAcceptedV1,
  HandoverCompletedV1,
  HandoverProposedV1,
} from '@backbone/contracts';
import type { RecordedEvent } from '../referral/referral.evolve';
import { CaseState } from './case.state';

/** Folds one stored event into the case's state; other types leave it unchanged. */
export function evolveCase(state: CaseState, event: RecordedEvent): CaseState {
  if (event.type === CASE_OPENED_V1) {
    const opened = event.data as CaseOpenedV1;
    return {
      exists: true,
      caseId: opened.caseId,
      responsible: opened.responsible,
      subjectId: opened.subjectId,
      status: 'open',
      handoverIds: [],
      previouslyResponsible: [],
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case CASE_CLOSED_V1:
      return { ...state, status: 'closed' };
    case HANDOVER_PROPOSED_V1: {
      const proposed = event.data as HandoverProposedV1;
      return {
        ...state,
        handover: {
          handoverId: proposed.handoverId,
          to: proposed.to,
          status: 'proposed',
          ...(proposed.effectiveAt ? { effectiveAt: proposed.effectiveAt } : {}),
        },
        handoverIds: [...state.handoverIds, proposed.handoverId],
      };
    }
    case HANDOVER_ACCEPTED_V1: {
      const { effectiveAt } = event.data as HandoverAcceptedV1;
      return state.handover
        ? { ...state, handover: { ...state.handover, status: 'accepted', effectiveAt } }
        : state;
    }
    case HANDOVER_COMPLETED_V1: {
      const completed = event.data as HandoverCompletedV1;
      return {
        ...state,
        responsible: completed.to,
        previouslyResponsible: [...state.previouslyResponsible, completed.from],
        handover: undefined,
      };
    }
    case HANDOVER_DECLINED_V1:
    case HANDOVER_CANCELLED_V1:
      return { ...state, handover: undefined };
    default:
      return state;
  }
}
