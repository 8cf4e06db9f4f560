import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Decision, RecordedEvent } from '@backbone/domain';
import { NewEvent, PostgresEventStore, WrongExpectedVersionError } from '@backbone/event-store';
import { backboneSource } from '@backbone/contracts';
import { AlreadyAnsweredError, CommandAnswers } from '../command-intake/command-answers';
import { CommandExecution } from '../command-intake/command-execution';
import { OutcomeEvent, acceptedOutcome } from '../command-intake/outcome-events';

/** How an aggregate's state is rebuilt from its stream, and who the parties to it are. */
export interface AggregateShape<S> {
  initial: S;
  evolve: (state: S, event: RecordedEvent) => S;
  /** Agencies that receive the stream's events on their inbox topics. */
  partiesOf: (state: S) => string[];
}

/** Races lost this many times in a row end as CONFLICT. */
const MAX_ATTEMPTS = 5;

/**
 * Loads a stream, decides, and appends with the version it decided on. A lost race re-decides
 * against the new state rather than appending blindly. The outcome commits with the events.
 */
@Injectable()
export class StreamDecider {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly answers: CommandAnswers,
  ) {}

  async decide<S>(
    execution: CommandExecution,
    streamId: string,
    shape: AggregateShape<S>,
    decide: (state: S) => Decision,
  ): Promise<OutcomeEvent> {
    const { envelope, agencyId, fingerprint } = execution;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(streamId);
      const state = history.reduce(shape.evolve, shape.initial);
      const decision = decide(state);
      if (decision.kind === 'rejected') {
        return this.answers.reject(
          agencyId,
          envelope.type,
          fingerprint,
          execution.answering,
          decision.rejection,
        );
      }
      const parties = shape.partiesOf(decision.events.reduce(shape.evolve, state));
      const events: NewEvent[] = decision.events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          source: backboneSource('sector-service'),
          causationId: envelope.id,
          correlationId: envelope.correlationid ?? envelope.id,
          actingAgency: agencyId,
          parties,
          ...(envelope.actor ? { actor: envelope.actor } : {}),
        },
      }));
      let outcome: OutcomeEvent | undefined;
      try {
        await this.store.appendToStream(streamId, history.length, events, {
          alsoInTransaction: async (client, result) => {
            outcome = acceptedOutcome(
              execution.answering,
              events.map((e) => e.eventId),
              result.streamVersion,
            );
            await this.answers.record(agencyId, envelope.type, fingerprint, outcome, client);
          },
        });
        return outcome as OutcomeEvent;
      } catch (error) {
        if (error instanceof AlreadyAnsweredError)
          return this.answers.stored(agencyId, envelope.id);
        if (!(error instanceof WrongExpectedVersionError)) throw error;
      }
    }
    return this.answers.reject(agencyId, envelope.type, fingerprint, execution.answering, {
      code: 'CONFLICT',
      reason: `${streamId} kept changing while this command was decided (${MAX_ATTEMPTS} attempts); send it again with a new id if it still applies`,
    });
  }
}
