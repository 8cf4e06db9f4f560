import { FLOW_COUNTS } from './cooperation-flows.queries';
import { csvText } from './csv-text';
import type { ShownFlow } from './shown-flows';

const HEADER = [
  'month',
  'from_agency',
  'from_sector',
  'to_agency',
  'to_sector',
  ...FLOW_COUNTS,
  'hours_to_acknowledge_median',
  'hours_to_acknowledge_p90',
  'hours_to_decide_median',
  'hours_to_decide_p90',
];

/** The agency flows as CSV (RFC 4180), one row per month and pair; small counts as shown. */
export function flowsCsv(flows: ShownFlow[]): string {
  const rows = flows.map((flow) => [
    flow.month,
    flow.from.agency,
    flow.from.sector,
    flow.to.agency,
    flow.to.sector,
    ...FLOW_COUNTS.map((name) => flow[name]),
    flow.hoursToAcknowledge.median,
    flow.hoursToAcknowledge.p90,
    flow.hoursToDecide.median,
    flow.hoursToDecide.p90,
  ]);
  return csvText(HEADER, rows);
}
