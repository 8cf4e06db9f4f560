// The flows benchmark's dated report: figures against the target, then the findings.
import type { FlowsQuery } from '../../apps/projector/src/queries/cooperation-flows.queries';
import type { LatencySummary } from '../pipeline/latency';
import type { WriteCost } from './flows-write-cost';

/** One director's scope and what the flows query took for it. */
export interface Scope {
  director: string;
  agencies: readonly string[];
  rowsInScope: number;
  /** Month and agency-pair rows of the answer. */
  groups: number;
  /** `flows`, `redirectChains` and the handover flows, side by side as the route calls them. */
  direct: LatencySummary;
  flows: LatencySummary;
  chains: LatencySummary;
  handovers: LatencySummary;
  /** The whole answer, and its size. */
  http: LatencySummary & { bytes: number };
  /** What the directors' page asks for: `fields=totals`. */
  pageHttp: LatencySummary & { bytes: number };
  query: FlowsQuery;
}

export interface FlowsRun {
  started: Date;
  quick: boolean;
  machine: string;
  load: { atStart: number; afterMeasuring: number };
  facts: number;
  handovers: number;
  loadSeconds: number;
  /** Filling referral_flows and handover_flows from the loaded facts, as a rebuild does. */
  build: { ms: number; referrals: number; handovers: number };
  year: { from: string; to: string };
  scopes: Scope[];
  sizes: { name: string; bytes: number }[];
  largest: string;
  plans: { name: string; plan: string }[];
  writes: WriteCost[];
  targetP99Ms: number;
  warmUp: number;
}

const thousands = (n: number): string => n.toLocaleString('en-US');
const ms = (l: LatencySummary): string =>
  `p50 ${l.p50.toFixed(1)} / p95 ${l.p95.toFixed(1)} / p99 ${l.p99.toFixed(1)} ms`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = (bytes: number): string => `${(bytes / 1e3).toFixed(1)} kB`;

function writeRows(writes: WriteCost[]): string[] {
  return writes.map(({ group, withFlows, withoutFlows }) => {
    const perRow = ((withFlows.p50 - withoutFlows.p50) * 1000) / group;
    return `| ${group} | ${withFlows.count} | ${ms(withFlows)} | ${ms(withoutFlows)} | ${perRow.toFixed(0)} µs |`;
  });
}

export function flowsReport(run: FlowsRun): string {
  const verdict = (l: LatencySummary): string =>
    `p99 ≤ ${run.targetP99Ms} ms: ${l.p99 <= run.targetP99Ms ? 'met' : '**missed**'}`;
  const total = run.sizes.reduce((sum, size) => sum + size.bytes, 0);
  const scopeRows = run.scopes.flatMap((scope) => {
    const who = `${scope.director} (${scope.agencies.length} agencies)`;
    return [
      `| ${who}: \`flows\`, \`redirectChains\` and the handover flows directly, side by side as the route runs them (${scope.direct.count} calls) | ${ms(scope.direct)} | ${verdict(scope.direct)} |`,
      `| — \`flows\` (two statements at once) until its answer | ${ms(scope.flows)} | – |`,
      `| — \`redirectChains\` until its answer | ${ms(scope.chains)} | – |`,
      `| — the handover flows until their answer | ${ms(scope.handovers)} | – |`,
      `| ${who}: \`GET /v1/insights/flows\`, the whole answer (${mb(scope.http.bytes)} of JSON; ${scope.http.count} requests) | ${ms(scope.http)} | ${verdict(scope.http)} |`,
      `| ${who}: \`GET /v1/insights/flows?fields=totals\`, as the directors' page asks (${kb(scope.pageHttp.bytes)}; ${scope.pageHttp.count} requests) | ${ms(scope.pageHttp)} | ${verdict(scope.pageHttp)} |`,
    ];
  });
  return [
    `\n## Insights flows, ${run.started.toISOString()}${run.quick ? ' (quick smoke run: sizes too small to judge by)' : ''}\n`,
    `Machine: ${run.machine}; 1-minute load average ${run.load.atStart.toFixed(1)} at the start,`,
    `${run.load.afterMeasuring.toFixed(1)} after the measured calls (the machine is shared: latency percentiles move with it).`,
    `\`referral_facts\` holds ${thousands(run.facts)} generated referrals made over ${run.year.from} to ${run.year.to},`,
    `\`handover_facts\` ${thousands(run.handovers)} handovers proposed over the same year (loaded with COPY in`,
    `${run.loadSeconds.toFixed(0)} s): the demo directory's two sites among 40 other agencies, four in five within`,
    `the sender's site, weekdays in office hours, 5 % of referrals redirected. \`referral_flows\` and`,
    `\`handover_flows\` were then filled from them as a rebuild fills them, followed by VACUUM ANALYZE and a`,
    `CHECKPOINT. Each call asks for those 12 months; sequential calls after ${run.warmUp} warm-up calls, at most a`,
    `set number or as many as a time budget allows. The route runs in this process on the services'`,
    `pools (no Kafka, no projector consumer). Target from issue 24, item 8.\n`,
    '| figure | value | target |',
    '|---|---:|---|',
    ...run.scopes.map(
      (scope) =>
        `| referrals touching ${scope.director}'s agencies (the answer: ${thousands(scope.groups)} month × pair rows) | ${thousands(scope.rowsInScope)} | – |`,
    ),
    ...scopeRows,
    `| filling the flows from the facts, as a rebuild does (${thousands(run.build.referrals)} referral and ${thousands(run.build.handovers)} handover month × pair rows) | ${(run.build.ms / 1000).toFixed(1)} s | – |`,
    ...run.sizes.map(
      (size) => `| size of \`${size.name}\` with its indexes | ${mib(size.bytes)} | – |`,
    ),
    `| together | ${mib(total)} | – |`,
    '',
    `### Findings (${run.largest}'s scope)\n`,
    'The statements the route sends, as `EXPLAIN (ANALYZE, BUFFERS)` shows them (JIT off, as in the services):\n',
    ...run.plans.flatMap(({ name, plan }) => [`\`${name}\`:\n`, '```', plan, '```', '']),
    'What keeping the flows costs the projector: changed rows of `referral_facts` of the last month',
    '(acknowledged, decided or completed), written by the facts upsert as the projector sends it, the',
    'flows kept in the same statement, against the same upsert without the flows, alternating, each',
    'group in a transaction of its own after its rows are locked (statement time only):\n',
    '| fact rows changed per transaction | groups of each | with the flows | without | difference per changed row (p50) |',
    '|---:|---:|---:|---:|---:|',
    ...writeRows(run.writes),
    '',
  ].join('\n');
}
