import type { PlannedCommand } from './scenario/planned-command';

/** Every seeded command's correlation id starts so: an auditor can tell the demo year's events. */
export const DEMO_SEED_CORRELATION_PREFIX = 'demo-seed';

/** The correlation id of a story's commands, copied onto every event they record. */
export const storyCorrelationId = (seed: number, story: string): string =>
  `${DEMO_SEED_CORRELATION_PREFIX}:${seed}:${story}`;

/**
 * The CloudEvents envelope an agency system sends for the command (CONTRACT §3), its time the
 * moment the plan sends it. `caseId`: the case of a case command, once known.
 */
export function commandEnvelope(
  command: PlannedCommand,
  seed: number,
  caseId?: string,
): Record<string, unknown> {
  const data = command.case ? { caseId, ...command.data } : command.data;
  const subject = command.case ? caseId : (command.data.referralId as string);
  if (!subject) throw new Error(`command ${command.commandId} has no referral or case to act on`);
  return {
    specversion: '1.0',
    id: command.commandId,
    source: `agency/${command.sender}`,
    type: command.type,
    time: command.at.toISOString(),
    subject,
    datacontenttype: 'application/json',
    data,
    correlationid: storyCorrelationId(seed, command.story),
  };
}
