// Handover flows agree with a tally made straight from seeded handover histories, and a
// director's scope keeps out pairs that touch none of its agencies.
import { randomUUID } from 'node:crypto';
import { inTransaction } from '@backbone/database';
import { freshTestDatabase } from '@backbone/testing/fresh-test-database';
import { SeededRandom } from '@backbone/testing/seeded-random';
import { applyEventsToTable } from '../engine/apply-to-table';
import type { ProjectedEvent } from '../engine/projected-event';
import { HANDOVER_FACT_PROJECTION } from '../models/handover-facts/handover-fact.fold';
import { HandoverFlow, HandoverFlowsQueries } from './handover-flows.queries';

const DAY = 86_400_000;
const PAIRS = [
  ['randers-social', 'redbridge-adult-social-care'],
  ['redbridge-gp-team', 'redbridge-adult-social-care'],
] as const;
const MONTHS = ['2026-04', '2026-05'];
/** The steps after a proposal, each some days after it; the last one ends the handover. */
const PATHS: { type: string; days: number }[][] = [
  [],
  [{ type: 'case.handover-declined.v1', days: 2 }],
  [{ type: 'case.handover-cancelled.v1', days: 1 }],
  [{ type: 'case.handover-accepted.v1', days: 1 }],
  [
    { type: 'case.handover-accepted.v1', days: 1 },
    { type: 'case.handover-completed.v1', days: 3 },
  ],
  [
    { type: 'case.handover-accepted.v1', days: 2 },
    { type: 'case.handover-completed.v1', days: 12 },
  ],
];

interface Handover {
  month: string;
  from: string;
  to: string;
  steps: { type: string; days: number }[];
  events: ProjectedEvent[];
}

function handover(random: SeededRandom): Handover {
  const [from, to] = random.pick(PAIRS);
  const month = random.pick(MONTHS);
  const caseId = randomUUID();
  const handoverId = randomUUID();
  const proposedAt = Date.parse(`${month}-01T00:00:00Z`) + Math.floor(random.next() * 20) * DAY;
  const event = (type: string, days: number, version: number, data: object = {}) => ({
    type,
    subject: caseId,
    time: new Date(proposedAt + days * DAY).toISOString(),
    streamversion: version,
    data: { caseId, handoverId, ...data },
  });
  const steps = random.pick(PATHS);
  return {
    month,
    from,
    to,
    steps,
    events: [
      event('case.handover-proposed.v1', 0, 2, { from, to, reason: 'x', summary: 'x' }),
      ...steps.map((step, index) => event(step.type, step.days, index + 3)),
    ],
  };
}

function percentile(values: number[], fraction: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return Math.round((sorted[low] + (sorted[high] - sorted[low]) * (rank - low)) * 10) / 10;
}

function tally(handovers: Handover[]): HandoverFlow[] {
  const keys = [...new Set(handovers.map((h) => `${h.month}|${h.from}|${h.to}`))].sort();
  return keys.map((key) => {
    const [month, from, to] = key.split('|');
    const group = handovers.filter((h) => `${h.month}|${h.from}|${h.to}` === key);
    const took = (type: string) => group.filter((h) => h.steps.some((s) => s.type === type));
    const completed = took('case.handover-completed.v1');
    const days = completed.map((h) => h.steps[h.steps.length - 1].days);
    return {
      month,
      from,
      to,
      proposed: group.length,
      accepted: took('case.handover-accepted.v1').length,
      declined: took('case.handover-declined.v1').length,
      cancelled: took('case.handover-cancelled.v1').length,
      completed: completed.length,
      daysToComplete: { median: percentile(days, 0.5), p90: percentile(days, 0.9) },
    };
  });
}

describe('handover flows', () => {
  const db = freshTestDatabase({
    maxConnections: 2,
    over: ({ pool }) => ({ queries: new HandoverFlowsQueries(pool) }),
  });
  const random = new SeededRandom(4242);
  const handovers = Array.from({ length: 150 }, () => handover(random));

  beforeAll(async () => {
    await inTransaction(db.pool, (client) =>
      applyEventsToTable(
        client,
        HANDOVER_FACT_PROJECTION,
        handovers.flatMap((h) => h.events),
        'handover_facts',
      ),
    );
  });

  it('count exactly what the histories say, per month of proposal and pair of agencies', async () => {
    const flows = await db.queries.flows({
      agencies: ['randers-social', 'redbridge-gp-team'],
      fromMonth: '2026-04',
      toMonth: '2026-05',
    });
    expect(flows).toEqual(tally(handovers));
  });

  it('show a director only the pairs that touch its agencies', async () => {
    const flows = await db.queries.flows({
      agencies: ['randers-social'],
      fromMonth: '2026-04',
      toMonth: '2026-05',
    });
    expect(flows).toEqual(tally(handovers.filter((h) => h.from === 'randers-social')));
    expect(JSON.stringify(flows)).not.toContain('redbridge-gp-team');
  });
});
