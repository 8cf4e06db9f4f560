import { problem } from '@backbone/http';

/** The parts of a flows answer a caller can leave out; its heading (scope, range, asOf) stays. */
export const FLOWS_PARTS = [
  'agencyFlows',
  'sectorFlows',
  'redirectChains',
  'handoverFlows',
  'totals',
] as const;
export type FlowsPart = (typeof FLOWS_PARTS)[number];

const KNOWN: ReadonlySet<string> = new Set(FLOWS_PARTS);

/**
 * Which parts a flows answer holds: `?fields=totals,handoverFlows` names them (a sparse
 * fieldset), no `fields` means all. A large scope's agency flows run to megabytes that a reader
 * of the totals does not want built, sent or parsed. An unknown part, or `fields` given twice,
 * is a 400 rather than a silently smaller answer.
 */
export function flowsPartsAsked(fields: unknown): ReadonlySet<FlowsPart> {
  if (fields === undefined || fields === '') return new Set(FLOWS_PARTS);
  if (typeof fields !== 'string')
    throw problem(400, 'Bad Request', 'fields must be one comma-separated list');
  const asked = fields.split(',').map((part) => part.trim());
  const unknown = asked.filter((part) => !KNOWN.has(part));
  if (unknown.length)
    throw problem(
      400,
      'Bad Request',
      `fields may name ${FLOWS_PARTS.join(', ')}; not ${unknown.slice(0, 3).join(', ')}`,
    );
  return new Set(asked as FlowsPart[]);
}
