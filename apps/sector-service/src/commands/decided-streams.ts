// The one place a command's decision meets the store's history: streams folded from what was
// read, decisions taken in order against them, and the appends that record what was accepted.
// Both ways of deciding use it: one command on its stream (StreamDecider) and a group of
// commands read and written together (CommandBatchProcessor).
import { markStoredSealed } from '@backbone/data-protection';
import type { Decision, Rejection } from '@backbone/domain';
import type { StoredEvent } from '@backbone/event-store';
import { shapeOfStream } from './aggregate-shapes';
import { EventStamp, StreamAppend, planAppends } from './append-plan';

/** A stream as the decisions so far have left it. */
interface StreamSoFar {
  state: unknown;
  version: number;
}

export type DecisionTaken =
  | { kind: 'rejected'; rejection: Rejection }
  | {
      kind: 'accepted';
      eventIds: string[];
      /** The decided stream's version once its new events are stored. */
      streamVersion: number;
    };

/**
 * A decision would start a stream that exists (one read with the others): only the store can
 * settle it, by refusing the append or by a fresh read.
 */
export class StreamAlreadyStartedError extends Error {
  constructor(readonly streamId: string) {
    super(`${streamId} exists already; a decision meant to start it`);
  }
}

/**
 * Streams read from the store, folded (personal fields stay sealed as stored), then changed in
 * memory by each accepted decision, so that a later command on the same stream sees the earlier
 * one's events. The accepted events wait here, unsealed, as one append per stream.
 */
export class DecidedStreams {
  private readonly streams = new Map<string, StreamSoFar>();
  private readonly asRead = new Map<string, unknown>();
  private readonly appends = new Map<string, StreamAppend>();

  constructor(histories: Iterable<[string, StoredEvent[]]>) {
    for (const [streamId, history] of histories) {
      const shape = shapeOfStream(streamId);
      const state = history.map(markStoredSealed).reduce(shape.evolve, shape.initial);
      this.streams.set(streamId, { state, version: history.length });
      this.asRead.set(streamId, state);
    }
  }

  /** The stream's state as read from the store, before any decision here. */
  stateAsRead(streamId: string): unknown {
    return this.asRead.get(streamId) ?? shapeOfStream(streamId).initial;
  }

  /**
   * Decides on the stream's state so far. Accepted events are applied to every stream they
   * belong to and added to its append; a stream read here keeps the version it was read at as
   * the append's expected version.
   */
  decide(streamId: string, decide: (state: unknown) => Decision, stamp: EventStamp): DecisionTaken {
    const stream = this.current(streamId);
    const decision = decide(stream.state);
    if (decision.kind === 'rejected') return decision;
    const planned = planAppends(streamId, stream.version, stream.state, decision.events, stamp);
    for (const append of planned) {
      const target = this.current(append.streamId);
      if (append.expected === 'no-stream' && target.version > 0)
        throw new StreamAlreadyStartedError(append.streamId);
      const shape = shapeOfStream(append.streamId);
      target.state = append.events.reduce(shape.evolve, target.state);
      target.version += append.events.length;
      this.addToAppend(append);
    }
    return {
      kind: 'accepted',
      eventIds: planned.flatMap((append) => append.events.map((event) => event.eventId)),
      streamVersion: stream.version,
    };
  }

  /**
   * The appends that record every accepted decision, in the order the decisions first touched
   * their streams (a referral's acceptance before the case it opens, as the store then numbers
   * them).
   */
  pendingAppends(): StreamAppend[] {
    return [...this.appends.values()].map((append) => ({ ...append, events: [...append.events] }));
  }

  /** The stream so far; one not read starts empty (the store checks that it is). */
  private current(streamId: string): StreamSoFar {
    let stream = this.streams.get(streamId);
    if (!stream) {
      stream = { state: shapeOfStream(streamId).initial, version: 0 };
      this.streams.set(streamId, stream);
    }
    return stream;
  }

  private addToAppend(append: StreamAppend): void {
    const pending = this.appends.get(append.streamId);
    if (!pending) {
      this.appends.set(append.streamId, { ...append, events: [...append.events] });
      return;
    }
    pending.events.push(...append.events);
    pending.subjectId ??= append.subjectId;
  }
}
