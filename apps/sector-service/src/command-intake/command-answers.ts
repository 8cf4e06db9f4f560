import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { CLOCK, Clock } from '@backbone/config';
import type { CommandRejectedData } from '@backbone/contracts';
import { CommandLog, withActor } from './command-log';
import { AnsweredCommand, OutcomeEvent, rejectedOutcome } from '@backbone/contracts';

/** A second delivery of the command was answered first; its outcome stands. */
export class AlreadyAnsweredError extends Error {}

/**
 * Records each command's one outcome. Whichever delivery records first wins; every other
 * delivery gets that same outcome back.
 */
@Injectable()
export class CommandAnswers {
  constructor(
    private readonly log: CommandLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(
    agencyId: string,
    commandType: string,
    fingerprint: Buffer,
    outcome: OutcomeEvent,
    client?: PoolClient,
  ): Promise<void> {
    if (!(await this.log.record(agencyId, commandType, fingerprint, outcome, client))) {
      throw new AlreadyAnsweredError();
    }
  }

  async reject(
    agencyId: string,
    commandType: string,
    fingerprint: Buffer,
    command: AnsweredCommand,
    rejection: Omit<CommandRejectedData, 'commandId'>,
  ): Promise<OutcomeEvent> {
    const outcome = rejectedOutcome({ ...command, answeredAt: this.clock.now() }, rejection);
    try {
      await this.record(agencyId, commandType, fingerprint, outcome);
      return outcome;
    } catch (error) {
      if (error instanceof AlreadyAnsweredError) return this.stored(agencyId, command);
      throw error;
    }
  }

  /** The outcome recorded for the command, for another delivery of it. */
  async stored(agencyId: string, command: AnsweredCommand): Promise<OutcomeEvent> {
    const { commandId } = command;
    const logged = await this.log.find(agencyId, commandId);
    if (!logged)
      throw new Error(
        `command ${commandId} of ${agencyId} was answered but its outcome is missing`,
      );
    return withActor(logged.outcome as OutcomeEvent, command.actor);
  }
}
