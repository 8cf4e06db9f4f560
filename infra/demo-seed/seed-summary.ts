import type { SeedTally } from './demo-year-seeder';
import type { DemoYearPlan } from './scenario/planned-command';

export interface SeedSummary {
  seed: number;
  start: string;
  end: string;
  referralsMade: number;
  redirects: number;
  casesOpened: number;
  handoversProposed: number;
  people: number;
  commands: number;
  accepted: number;
  rejected: Record<string, number>;
  commandsByType: Record<string, number>;
  events: Record<string, number>;
  deadlineSweeps: number;
  seconds: number;
}

export function seedSummary(
  plan: DemoYearPlan,
  tally: SeedTally,
  events: Record<string, number>,
  seconds: number,
): SeedSummary {
  return {
    seed: plan.seed,
    start: plan.start.toISOString(),
    end: plan.end.toISOString(),
    ...plan.counts,
    commands: tally.commands,
    accepted: tally.accepted,
    rejected: tally.rejected,
    commandsByType: tally.byType,
    events,
    deadlineSweeps: tally.deadlineSweeps,
    seconds: Math.round(seconds * 10) / 10,
  };
}

const number = (n: number): string => n.toLocaleString('en-GB');
const listed = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([name, n]) => `${name} ${number(n)}`)
    .join(', ') || 'none';

/** The summary as lines for a person. */
export function summaryLines(summary: SeedSummary): string[] {
  const eventTotal = Object.values(summary.events).reduce((sum, n) => sum + n, 0);
  const rejectedTotal = Object.values(summary.rejected).reduce((sum, n) => sum + n, 0);
  return [
    `Demo year seeded (seed ${summary.seed}): ${summary.start} to ${summary.end}`,
    `  referrals  ${number(summary.referralsMade)} made by referrers, ${number(summary.redirects)} more by redirects; ${number(summary.people)} people`,
    `  cases      ${number(summary.casesOpened)} opened directly; ${number(summary.handoversProposed)} handovers proposed`,
    `  commands   ${number(summary.commands)} sent: ${number(summary.accepted)} accepted, ${number(rejectedTotal)} rejected as planned (${listed(summary.rejected)})`,
    `  events     ${number(eventTotal)} recorded: ${listed(summary.events)}`,
    `  deadlines  the deadline watcher's halves ran ${number(summary.deadlineSweeps)} times`,
    `  took       ${summary.seconds} s (${number(Math.round(summary.commands / Math.max(summary.seconds, 0.1)))} commands/s)`,
  ];
}
