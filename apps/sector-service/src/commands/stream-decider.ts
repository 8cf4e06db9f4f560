import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { inTransaction } from '@backbone/database';
import { Decision, Rejection } from '@backbone/domain';
import { PostgresEventStore, WrongExpectedVersionError } from '@backbone/event-store';
import type { EventStamp } from './append-plan';
import { AppendSealing, erasedSubjectRejection } from './append-sealing';
import { DecidedStreams } from './decided-streams';

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
 * Decides one command on its stream: reads the stream, decides (DecidedStreams), and appends to
 * every stream the decision touches, in one statement, with the versions it decided on. A lost
 * race re-decides against the new state rather than appending blindly. `onAppended` writes in
 * the same transaction as the events (a command's outcome). Personal fields are sealed before
 * they reach the store; state rebuilt from the store keeps them sealed.
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
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const streams = new DecidedStreams([[streamId, await this.store.readStream(streamId)]]);
      const decided = streams.decide(streamId, decide as (state: unknown) => Decision, stamp);
      if (decided.kind === 'rejected') return decided;
      const appends = await this.sealing.seal(streams.pendingAppends());
      if (!appends) {
        const rejection = erasedSubjectRejection(streamId, streams.stateAsRead(streamId));
        return { kind: 'rejected', rejection };
      }
      try {
        const result = await inTransaction(this.pool, async (client) => {
          await this.store.appendToStreams(appends, { client, announcedByCaller: true });
          const { eventIds, streamVersion } = decided;
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
