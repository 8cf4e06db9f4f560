// The sector service decides commands two ways, one by one and in batches; tests that prove a
// rule hold it both ways, sending commands through either as a partition's record would come.
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBatchProcessor } from '../../apps/sector-service/src/command-intake/command-batch-processor';
import {
  CommandProcessor,
  ProcessedCommand,
} from '../../apps/sector-service/src/command-intake/command-processor';

export const DECIDING_WAYS = ['one by one', 'together'] as const;
export type DecidingWay = (typeof DECIDING_WAYS)[number];

/** Sends one command, as `agencyId`, the given way; resolves with its answer. */
export function commandSender(
  app: INestApplicationContext,
  way: DecidingWay,
): (agencyId: string, command: unknown) => Promise<ProcessedCommand> {
  const oneByOne = app.get(CommandProcessor);
  const batch = app.get(CommandBatchProcessor);
  return async (agencyId, command) => {
    const value = Buffer.from(JSON.stringify(command));
    if (way === 'one by one') return oneByOne.process(value, agencyId);
    return (await batch.process([{ agencyId, value }]))[0];
  };
}

/** What an agency can tell of an answer: accepted, or rejected with its code. */
export const outcomeGist = (result: ProcessedCommand): string =>
  result.kind === 'answered'
    ? result.outcome.type === 'command.accepted'
      ? 'accepted'
      : `rejected ${(result.outcome.data as { code: string }).code}`
    : 'unanswerable';
