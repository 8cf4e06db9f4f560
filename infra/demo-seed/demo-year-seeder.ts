import {
  ACCEPT_REFERRAL_V1,
  COMMAND_ACCEPTED,
  CommandRejectedData,
  MAKE_REFERRAL_V1,
  PROPOSE_HANDOVER_V1,
  REDIRECT_REFERRAL_V1,
  REFERRAL_ACCEPTED_V1,
} from '@backbone/contracts';
import { referralStreamId } from '@backbone/domain';
import type { EventStore } from '@backbone/event-store';
import type {
  CommandProcessor,
  DeadlineActions,
  DeadlineTracking,
  PendingDeadlines,
} from '@backbone/sector-service';
import { commandEnvelope } from './command-envelope';
import { HOUR_MS } from './scenario/calendar';
import type { DemoYearPlan, PlannedCommand } from './scenario/planned-command';
import type { SeedClock } from './seed-clock';

/** The parts of the sector service the seeder drives. */
export interface SeedingParts {
  processor: CommandProcessor;
  tracking: DeadlineTracking;
  actions: DeadlineActions;
  deadlines: PendingDeadlines;
  store: EventStore;
  clock: SeedClock;
}

/** What the seeding did, counted as it went. */
export interface SeedTally {
  commands: number;
  byType: Record<string, number>;
  accepted: number;
  /** Rejections, every one planned, by code. */
  rejected: Record<string, number>;
  /** Times the deadline watcher's halves ran (its tracking, then what was due). */
  deadlineSweeps: number;
}

export interface SeedProgress {
  /** The month just seeded (`YYYY-MM`). */
  month: string;
  commands: number;
}

/** A command whose outcome the scenario did not plan: the seeding stops there. */
export class UnplannedOutcomeError extends Error {
  constructor(command: PlannedCommand, outcome: string) {
    super(
      `${command.type} ${command.commandId} from ${command.sender} at ${command.at.toISOString()} ` +
        `(story ${command.story}) was ${outcome}; the scenario expected ${command.expected}`,
    );
  }
}

/**
 * Sends the plan's commands, one after the other, through the sector service's command
 * processor (validation, triage, decision, sealing, append, outcome: the path of the command
 * topics and `POST /v1/commands`), with the clock at each command's time, and checks every
 * outcome against the plan. Between commands it runs the deadline watcher's halves whenever a
 * deadline may have come due, with the clock at each deadline: overdue referrals and handovers
 * taking effect are recorded when they would have been.
 */
export class DemoYearSeeder {
  private readonly caseOfReferral = new Map<string, string>();
  /** Before this moment no deadline can be due that the last sweep did not see. */
  private nextSweepAt = -Infinity;
  private readonly tally: SeedTally = {
    commands: 0,
    byType: {},
    accepted: 0,
    rejected: {},
    deadlineSweeps: 0,
  };

  constructor(private readonly parts: SeedingParts) {}

  async run(plan: DemoYearPlan, onMonth?: (progress: SeedProgress) => void): Promise<SeedTally> {
    let month: string | undefined;
    for (const command of plan.commands) {
      const commandMonth = command.at.toISOString().slice(0, 7);
      if (month && commandMonth !== month) onMonth?.({ month, commands: this.tally.commands });
      month = commandMonth;
      if (command.at.getTime() >= this.nextSweepAt) await this.sweepDeadlines(command.at);
      this.parts.clock.moveTo(command.at);
      await this.send(command, plan.seed);
    }
    await this.sweepDeadlines(plan.end);
    if (month) onMonth?.({ month, commands: this.tally.commands });
    return this.tally;
  }

  private async send(command: PlannedCommand, seed: number): Promise<void> {
    const caseId = command.case && this.caseIdOf(command);
    const envelope = commandEnvelope(command, seed, caseId);
    const result = await this.parts.processor.process(
      Buffer.from(JSON.stringify(envelope)),
      command.sender,
    );
    if (result.kind !== 'answered')
      throw new UnplannedOutcomeError(command, `unanswerable (${result.reason})`);
    const { outcome } = result;
    const { tally } = this;
    tally.commands++;
    tally.byType[command.type] = (tally.byType[command.type] ?? 0) + 1;
    if (outcome.type !== COMMAND_ACCEPTED) {
      const { code, reason } = outcome.data as CommandRejectedData;
      if (command.expected !== code)
        throw new UnplannedOutcomeError(command, `rejected ${code}: ${reason}`);
      tally.rejected[code] = (tally.rejected[code] ?? 0) + 1;
      return;
    }
    if (command.expected !== 'accepted') throw new UnplannedOutcomeError(command, 'accepted');
    tally.accepted++;
    await this.learnFrom(command);
  }

  /** What an agency system learns from its inbox, and when a deadline may next fall due. */
  private async learnFrom(command: PlannedCommand): Promise<void> {
    const { type, data, at } = command;
    if (type === ACCEPT_REFERRAL_V1) await this.rememberCase(data.referralId as string);
    // A decision deadline is at least an hour away (decision hours are whole hours, at least 1).
    if (type === MAKE_REFERRAL_V1 || type === REDIRECT_REFERRAL_V1)
      this.nextSweepAt = Math.min(this.nextSweepAt, at.getTime() + HOUR_MS);
    if (type === PROPOSE_HANDOVER_V1 && typeof data.effectiveAt === 'string')
      this.nextSweepAt = Math.min(this.nextSweepAt, Date.parse(data.effectiveAt));
  }

  /** The case the acceptance opened, as `referral.accepted.v1` names it. */
  private async rememberCase(referralId: string): Promise<void> {
    const events = await this.parts.store.readStream(referralStreamId(referralId));
    const accepted = events.find((event) => event.type === REFERRAL_ACCEPTED_V1);
    const caseId = (accepted?.data as { caseId?: string } | undefined)?.caseId;
    if (caseId) this.caseOfReferral.set(referralId, caseId);
  }

  private caseIdOf(command: PlannedCommand): string | undefined {
    const target = command.case;
    if (!target) return undefined;
    return 'caseId' in target ? target.caseId : this.caseOfReferral.get(target.caseOfReferral);
  }

  /**
   * Brings the pending deadlines up to the log, then acts on each that falls due by `until`,
   * with the clock at its due time (or where the clock already stands).
   */
  private async sweepDeadlines(until: Date): Promise<void> {
    const { tracking, deadlines, actions, clock } = this.parts;
    this.tally.deadlineSweeps++;
    await tracking.catchUp();
    for (;;) {
      const next = await deadlines.nextDueAt();
      if (!next || next > until) {
        this.nextSweepAt = next?.getTime() ?? Infinity;
        return;
      }
      clock.moveTo(next);
      await actions.actOnDue();
    }
  }
}
