// The flows benchmark's dated report: figures against the target, then the findings.
import type { FlowsQuery } from '../../apps/projector/src/queries/cooperation-flows.queries';
import type { LatencySummary } from '../pipeline/latency';
import type { AnchoredChains, IndexedChains, MonthlyFigures } from './flows-alternatives';

/** One director's scope and what the flows query took for it. */
export interface Scope {
  director: string;
  agencies: readonly string[];
  rowsInScope: number;
  /** Month and agency-pair rows of the answer. */
  groups: number;
  /** `flows` then `redirectChains`, as the route calls them. */
  direct: LatencySummary;
  flows: LatencySummary;
  chains: LatencySummary;
  http: LatencySummary;
  query: FlowsQuery;
}

export interface FlowsRun {
  started: Date;
  quick: boolean;
  machine: string;
  load: { atStart: number; afterMeasuring: number };
  facts: number;
  loadSeconds: number;
  year: { from: string; to: string };
  scopes: Scope[];
  sizes: { name: string; bytes: number }[];
  largest: string;
  plans: { name: string; plan: string }[];
  anchored: AnchoredChains;
  indexed: IndexedChains;
  monthly: MonthlyFigures;
  targetP99Ms: number;
  warmUp: number;
}

const thousands = (n: number): string => n.toLocaleString('en-US');
const ms = (l: LatencySummary): string =>
  `p50 ${l.p50.toFixed(1)} / p95 ${l.p95.toFixed(1)} / p99 ${l.p99.toFixed(1)} ms`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function flowsReport(run: FlowsRun): string {
  const verdict = (l: LatencySummary): string =>
    `p99 ≤ ${run.targetP99Ms} ms: ${l.p99 <= run.targetP99Ms ? 'met' : '**missed**'}`;
  const total = run.sizes.reduce((sum, size) => sum + size.bytes, 0);
  const scopeRows = run.scopes.flatMap((scope) => {
    const who = `${scope.director} (${scope.agencies.length} agencies)`;
    return [
      `| ${who}: \`flows\` + \`redirectChains\` directly (${scope.direct.count} calls) | ${ms(scope.direct)} | ${verdict(scope.direct)} |`,
      `| — of which \`flows\` (two statements at once) | ${ms(scope.flows)} | – |`,
      `| — of which \`redirectChains\` | ${ms(scope.chains)} | – |`,
      `| ${who}: \`GET /v1/insights/flows\` (${scope.http.count} requests) | ${ms(scope.http)} | ${verdict(scope.http)} |`,
    ];
  });
  const { anchored, indexed, monthly } = run;
  return [
    `\n## Insights flows, ${run.started.toISOString()}${run.quick ? ' (quick smoke run: sizes too small to judge by)' : ''}\n`,
    `Machine: ${run.machine}; 1-minute load average ${run.load.atStart.toFixed(1)} at the start,`,
    `${run.load.afterMeasuring.toFixed(1)} after the measured calls (the machine is shared: latency percentiles move with it).`,
    `\`referral_facts\` holds ${thousands(run.facts)} generated referrals made over ${run.year.from} to ${run.year.to}`,
    `(loaded with COPY in ${run.loadSeconds.toFixed(0)} s, then VACUUM ANALYZE and a CHECKPOINT): the demo directory's two`,
    `sites among 40 other agencies, four in five referrals within the referrer's site, weekdays in office hours,`,
    `5 % redirected. Each call asks for those 12 months; sequential calls after ${run.warmUp} warm-up calls, at most`,
    `a set number or as many as a time budget allows. The route runs in this process on the services'`,
    `pools (no Kafka, no projector consumer); it also counts handovers, from \`handover_facts\`, empty here.`,
    `Target from issue 24, item 8.\n`,
    '| figure | value | target |',
    '|---|---:|---|',
    ...run.scopes.map(
      (scope) =>
        `| referrals touching ${scope.director}'s agencies (the answer: ${thousands(scope.groups)} month × pair rows) | ${thousands(scope.rowsInScope)} | – |`,
    ),
    ...scopeRows,
    ...run.sizes.map((size) => `| size of \`${size.name}\` | ${mib(size.bytes)} | – |`),
    `| table and indexes together | ${mib(total)} | – |`,
    '',
    `### Findings (${run.largest}'s scope)\n`,
    'The three statements the route sends, as `EXPLAIN (ANALYZE, BUFFERS)` shows them (JIT off, as in the services):\n',
    ...run.plans.flatMap(({ name, plan }) => [`\`${name}\`:\n`, '```', plan, '```', '']),
    'Scratch copies of the SQL in this database (the app unchanged):\n',
    '| variant | value |',
    '|---|---:|',
    `| chains seeded with the redirected referrals only (\`AND decision = 'redirected'\` in the seed), same answer: ${anchored.sameAnswer ? 'yes' : '**no**'} (${anchored.latency.count} calls) | ${ms(anchored.latency)} |`,
    `| the same with two covering partial indexes, of the redirected referrals that start chains (\`made_at\` INCLUDE agencies and id) and of the links (\`redirected_from\` INCLUDE id), ${mib(indexed.indexBytes)} together; same answer: ${indexed.sameAnswer ? 'yes' : '**no**'} (${indexed.latency.count} calls) | ${ms(indexed.latency)} |`,
    `| the figures per month and agency pair in tables of their own (${thousands(monthly.rows)} rows, built by the app's flows and codes statements over every agency in ${(monthly.buildMs / 1000).toFixed(1)} s), the overdue count live from a partial index of undecided referrals, chains seeded and indexed as above; same month × pair rows: ${monthly.sameGroups ? 'yes' : '**no**'} (${monthly.latency.count} calls) | ${ms(monthly.latency)} |`,
    '',
    'The seeded chains statement with its two indexes:\n',
    '```',
    indexed.plan,
    '```',
    '',
  ].join('\n');
}
