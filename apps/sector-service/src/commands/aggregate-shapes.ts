import {
  CaseState,
  NO_CASE,
  NO_REFERRAL,
  RecordedEvent,
  ReferralState,
  casePartiesOf,
  evolveCase,
  evolveReferral,
} from '@backbone/domain';

/** How an aggregate's state is rebuilt from its stream, and who the parties to it are. */
export interface AggregateShape<S> {
  initial: S;
  evolve: (state: S, event: RecordedEvent) => S;
  /** Agencies that receive the stream's events on their inbox topics. */
  partiesOf: (state: S) => string[];
}

export const REFERRAL_SHAPE: AggregateShape<ReferralState> = {
  initial: NO_REFERRAL,
  evolve: evolveReferral,
  partiesOf: (state) => (state.exists ? [state.from, state.to] : []),
};

export const CASE_SHAPE: AggregateShape<CaseState> = {
  initial: NO_CASE,
  evolve: evolveCase,
  partiesOf: casePartiesOf,
};

/** The shape of a stream, by its category (the part of its id before the first '-'). */
export function shapeOfStream(streamId: string): AggregateShape<unknown> {
  const category = streamId.slice(0, streamId.indexOf('-'));
  const shape = { referral: REFERRAL_SHAPE, case: CASE_SHAPE }[category];
  if (!shape) throw new Error(`no aggregate lives in stream ${streamId}`);
  return shape as AggregateShape<unknown>;
}

/** Parties of a stream before and after new events: both sides of a change hear of it. */
export function partiesAcross<S>(
  shape: AggregateShape<S>,
  before: S,
  events: RecordedEvent[],
): string[] {
  const after = events.reduce(shape.evolve, before);
  return [...new Set([...shape.partiesOf(before), ...shape.partiesOf(after)])];
}
