import type { RejectionCode } from '@backbone/contracts';
import { HOUR_MS } from './calendar';
import type { CaseRef, PlannedCommand } from './planned-command';
import type { SeededRandom } from './seeded-random';

/** The least time between two commands of one story. */
const MIN_GAP_MS = 60_000;

/** `hours` after `at`, at least a minute later, to the second. */
export function later(at: Date, hours: number): Date {
  const ms = Math.max(at.getTime() + hours * HOUR_MS, at.getTime() + MIN_GAP_MS);
  return new Date(Math.ceil(ms / 1000) * 1000);
}

export const laterDays = (at: Date, days: number): Date => later(at, days * 24);

export interface SendOptions {
  case?: CaseRef;
  expected?: 'accepted' | RejectionCode;
}

/**
 * Writes one story's commands into the plan. A command at or after the end of the year is left
 * out, and with it everything that would follow it: each story's commands come later than
 * those they depend on, so cutting at the end leaves no command without its cause.
 */
export class StoryWriter {
  constructor(
    readonly story: string,
    private readonly random: SeededRandom,
    private readonly end: Date,
    private readonly plan: PlannedCommand[],
  ) {}

  /** Whether the command falls within the year (and was written). */
  send(
    at: Date,
    sender: string,
    type: string,
    data: Record<string, unknown>,
    options: SendOptions = {},
  ): boolean {
    if (at >= this.end) return false;
    this.plan.push({
      at,
      commandId: this.random.uuid(),
      sender,
      type,
      data,
      ...(options.case ? { case: options.case } : {}),
      expected: options.expected ?? 'accepted',
      story: this.story,
    });
    return true;
  }
}
