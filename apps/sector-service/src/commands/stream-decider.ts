import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { markStoredSealed } from '@backbone/data-protection';
import { Decision, Rejection } from '@backbone/domain';
import { PostgresEventStore, WrongExpectedVersionError } from '@backbone/event-store';
import { shapeOfStream } from './aggregate-shapes';
import { EventStamp, planAppends } from './append-plan';
import { AppendSealing, erasedSubjectRejection } from './append-sealing';

export type { EventStamp } from './append-plan';

export interface Appended {
  eventIds: string[];
  /** The decided stream's version after the append. */
  streamVersion: number;
}

export type StreamDecision<R> =
  | { kind: 'rejected'; rejection: Rejection }
  | { kind: 'appended'; result: R }
  | { kind: 'conflict'; attempts: number };

/** Races lost this many times in a row end as a conflict. */
const MAX_ATTEMPTS = 5;

/**
 * Loads a stream, decides, and appends with the version it decided on. A lost race re-decides
 * against the new state rather than appending blindly. `onAppended` writes in the same
 * transaction as the events (a command's outcome). Personal fields are sealed before they
 * reach the store; state rebuilt from the store keeps them sealed.
 */
@Injectable()
export class StreamDecider {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly sealing: AppendSealing,
  ) {}

  async decide<S, R>(
    streamId: string,
    decide: (state: S) => Decision,
    stamp: EventStamp,
    onAppended: (client: PoolClient, appended: Appended) => Promise<R>,
  ): Promise<StreamDecision<R>> {
    const shape = shapeOfStream(streamId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(streamId);
      const state = history.map(markStoredSealed).reduce(shape.evolve, shape.initial);
      const decision = decide(state as S);
      if (decision.kind === 'rejected') return decision;
      const appends = await this.sealing.seal(
        planAppends(streamId, history.length, state, decision.events, stamp),
      );
      if (!appends) return { kind: 'rejected', rejection: erasedSubjectRejection(streamId, state) };
      try {
        const result = await inTransaction(this.pool, async (client) => {
          let streamVersion = history.length;
          for (const append of appends) {
            const appended = await this.store.appendToStream(
              append.streamId,
              append.expected,
              append.events,
              { client, announcedByCaller: true },
            );
            if (append.streamId === streamId) streamVersion = appended.streamVersion;
          }
          const eventIds = appends.flatMap((append) => append.events.map((event) => event.eventId));
          return onAppended(client, { eventIds, streamVersion });
        });
        this.store.announceAppends();
        return { kind: 'appended', result };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return { kind: 'conflict', attempts: MAX_ATTEMPTS };
  }
}
