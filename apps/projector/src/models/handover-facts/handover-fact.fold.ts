import {
  HANDOVER_ACCEPTED_V1,
  HANDOVER_CANCELLED_V1,
  HANDOVER_COMPLETED_V1,
  HANDOVER_DECLINED_V1,
  HANDOVER_PROPOSED_V1,
  HandoverProposedV1,
} from '@backbone/contracts';
import type { ProjectedEvent } from '../../engine/projected-event';
import type { RowProjection } from '../../engine/row-projection';
import { HANDOVER_FLOW_SUMMARY } from '../flow-summaries/handover-flow.summary';
import type { HandoverFactRow } from './handover-fact.row';

/** What each later event of a handover makes of it: its status and the time column it sets. */
const MOVES: Readonly<Record<string, { status: string; at: keyof HandoverFactRow }>> = {
  [HANDOVER_ACCEPTED_V1]: { status: 'accepted', at: 'accepted_at' },
  [HANDOVER_DECLINED_V1]: { status: 'declined', at: 'declined_at' },
  [HANDOVER_CANCELLED_V1]: { status: 'cancelled', at: 'cancelled_at' },
  [HANDOVER_COMPLETED_V1]: { status: 'completed', at: 'completed_at' },
};

/**
 * The handover's facts after one of its events. The case stream's version guards the row: its
 * handover's events come in version order, and one at or below the row's version (redelivered)
 * changes nothing.
 */
export function evolveHandoverFact(
  row: HandoverFactRow | undefined,
  event: ProjectedEvent,
): HandoverFactRow | undefined {
  const version = event.streamversion;
  if (version === undefined) return row;
  if (event.type === HANDOVER_PROPOSED_V1) {
    if (row) return row;
    const proposed = event.data as HandoverProposedV1;
    return {
      handover_id: proposed.handoverId,
      case_id: proposed.caseId,
      from_agency: proposed.from,
      to_agency: proposed.to,
      status: 'proposed',
      proposed_at: event.time,
      accepted_at: null,
      declined_at: null,
      cancelled_at: null,
      completed_at: null,
      stream_version: version,
    };
  }
  const move = MOVES[event.type];
  if (!move || !row || row.stream_version >= version) return row;
  return { ...row, status: move.status, [move.at]: event.time, stream_version: version };
}

export const HANDOVER_FACT_PROJECTION: RowProjection<HandoverFactRow> = {
  key: 'handover_id',
  columns: [
    ['handover_id', 'uuid'],
    ['case_id', 'uuid'],
    ['from_agency', 'text'],
    ['to_agency', 'text'],
    ['status', 'text'],
    ['proposed_at', 'timestamptz'],
    ['accepted_at', 'timestamptz'],
    ['declined_at', 'timestamptz'],
    ['cancelled_at', 'timestamptz'],
    ['completed_at', 'timestamptz'],
    ['stream_version', 'integer'],
  ],
  eventTypes: [HANDOVER_PROPOSED_V1, ...Object.keys(MOVES)],
  keyOf: (event) => (event.data as { handoverId: string }).handoverId,
  evolve: evolveHandoverFact,
  summary: HANDOVER_FLOW_SUMMARY,
};
