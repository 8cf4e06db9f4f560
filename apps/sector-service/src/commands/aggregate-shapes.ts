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
  /** What the stream holds, for messages: `referral` or `case`. */
  name: string;
  initial: S;
  evolve: (state: S, event: RecordedEvent) => S;
  /** Agencies that receive the stream's events on their inbox topics. */
  partiesOf: (state: S) => string[];
  /** The person the stream is about: their data key seals its personal fields. */
  subjectOf: (state: S) => string | undefined;
}

export const REFERRAL_SHAPE: AggregateShape<ReferralState> = {
  name: 'referral',
  initial: NO_REFERRAL,
  evolve: evolveReferral,
  partiesOf: (state) => (state.exists ? [state.from, state.to] : []),
  subjectOf: (state) => (state.exists ? state.subjectId : undefined),
};

export const CASE_SHAPE: AggregateShape<CaseState> = {
  name: 'case',
  initial: NO_CASE,
  evolve: evolveCase,
  partiesOf: casePartiesOf,
  subjectOf: (state) => (state.exists ? state.subjectId : undefined),
};

/** The shape of a stream, by its category (the part of its id before the first '-'). */
export function shapeOfStream(streamId: string): AggregateShape<unknown> {
  const category = streamId.slice(0, streamId.indexOf('-'));
  const shape = { referral: REFERRAL_SHAPE, case: CASE_SHAPE }[category];
  if (!shape) throw new Error(`no aggregate lives in stream ${streamId}`);
  return shape as AggregateShape<unknown>;
}

export interface StreamPeople {
  /** Parties before and after the new events: both sides of a change hear of it. */
  parties: string[];
  subjectId: string | undefined;
}

/** Who a stream's new events concern: its parties and the person it is about. */
export function peopleAcross<S>(
  shape: AggregateShape<S>,
  before: S,
  events: RecordedEvent[],
): StreamPeople {
  const after = events.reduce(shape.evolve, before);
  return {
    parties: [...new Set([...shape.partiesOf(before), ...shape.partiesOf(after)])],
    subjectId: shape.subjectOf(after),
  };
}
