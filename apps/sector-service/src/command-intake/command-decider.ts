import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@backbone/config';
import type { Decision } from '@backbone/domain';
import { StreamDecider } from '../commands/stream-decider';
import { AlreadyAnsweredError, CommandAnswers } from './command-answers';
import { CommandExecution } from '../commands/command-execution';
import { OutcomeEvent, acceptedOutcome } from '@backbone/contracts';

/** Decides a command on its stream and gives it its one outcome, committed with its events. */
@Injectable()
export class CommandDecider {
  constructor(
    private readonly decider: StreamDecider,
    private readonly answers: CommandAnswers,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async decide<S>(
    execution: CommandExecution,
    streamId: string,
    decide: (state: S) => Decision,
  ): Promise<OutcomeEvent> {
    const { envelope, agencyId, fingerprint, stamp } = execution;
    const reject = (rejection: Parameters<CommandAnswers['reject']>[4]) =>
      this.answers.reject(agencyId, envelope.type, fingerprint, execution.answering, rejection);
    try {
      const decided = await this.decider.decide(
        streamId,
        decide,
        stamp,
        async (client, appended) => {
          const outcome = acceptedOutcome(
            { ...execution.answering, answeredAt: this.clock.now() },
            appended.eventIds,
            appended.streamVersion,
          );
          await this.answers.record(agencyId, envelope.type, fingerprint, outcome, client);
          return outcome;
        },
      );
      if (decided.kind === 'appended') return decided.result;
      if (decided.kind === 'rejected') return reject(decided.rejection);
      return reject({
        code: 'CONFLICT',
        reason: `${streamId} kept changing while this command was decided (${decided.attempts} attempts); send it again with a new id if it still applies`,
      });
    } catch (error) {
      // Another delivery of this command committed its outcome first: that outcome stands.
      if (error instanceof AlreadyAnsweredError) {
        return this.answers.stored(agencyId, execution.answering);
      }
      throw error;
    }
  }
}
