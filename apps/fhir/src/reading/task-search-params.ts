// The search parameters GET /fhir/Task takes, checked before any of them reaches a query: an
// unknown or malformed parameter is a 400 naming it, never silently ignored.
import { isRealTimestamp } from '@backbone/contracts';
import type { ReferralStatus } from '@backbone/domain';
import { FhirError } from '../fhir-error';
import { TASK_STATUSES_IN_USE, referralStatusesShownAs } from '../mapping/task-status';
import { SearchPosition, decodeSearchPosition } from './search-position';

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

const AGENCY_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const JSON_FORMATS = ['json', 'application/json', 'application/fhir+json'];
const LAST_UPDATED_PREFIXES = ['gt', 'ge', 'lt', 'le'] as const;
type LastUpdatedPrefix = (typeof LAST_UPDATED_PREFIXES)[number];

export interface TaskSearch {
  owner?: string;
  requester?: string;
  /** Referral statuses any of which matches; undefined: any status. */
  statuses?: ReferralStatus[];
  lastUpdated: Partial<Record<LastUpdatedPrefix, string>>;
  count: number;
  after?: SearchPosition;
}

const KNOWN = new Set([
  'owner',
  'requester',
  'status',
  '_lastUpdated',
  '_count',
  '_page',
  '_format',
]);

/** One value of a parameter; a parameter given twice is refused (except _lastUpdated). */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FhirError(400, `${name} may be given once`, name);
  return value;
}

function agencyOf(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = value.startsWith('Organization/') ? value.slice('Organization/'.length) : value;
  if (!AGENCY_ID.test(id)) {
    throw new FhirError(400, `${name} must be Organization/<agency id> or an agency id`, name);
  }
  return id;
}

function statusesOf(value: string | undefined): ReferralStatus[] | undefined {
  if (value === undefined) return undefined;
  const statuses = value.split(',').flatMap((taskStatus) => {
    if (!(TASK_STATUSES_IN_USE as readonly string[]).includes(taskStatus)) {
      throw new FhirError(
        400,
        `status must be one or more of: ${TASK_STATUSES_IN_USE.join(', ')}`,
        'status',
      );
    }
    return referralStatusesShownAs(taskStatus);
  });
  return [...new Set(statuses)];
}

function lastUpdatedOf(value: unknown): TaskSearch['lastUpdated'] {
  if (value === undefined) return {};
  const values = Array.isArray(value) ? value : [value];
  const bounds: TaskSearch['lastUpdated'] = {};
  for (const text of values) {
    const prefix = typeof text === 'string' ? text.slice(0, 2) : '';
    const at = typeof text === 'string' ? text.slice(2) : '';
    if (
      !(LAST_UPDATED_PREFIXES as readonly string[]).includes(prefix) ||
      !isRealTimestamp(at) ||
      bounds[prefix as LastUpdatedPrefix] !== undefined
    ) {
      throw new FhirError(
        400,
        '_lastUpdated must be gt, ge, lt or le and an instant with its time zone ' +
          '(e.g. gt2026-12-01T00:00:00Z), each prefix at most once',
        '_lastUpdated',
      );
    }
    bounds[prefix as LastUpdatedPrefix] = at;
  }
  return bounds;
}

function countOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_COUNT;
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1 || count > MAX_COUNT) {
    throw new FhirError(400, `_count must be an integer from 1 to ${MAX_COUNT}`, '_count');
  }
  return count;
}

/** The search a query string asks for; FhirError(400) for anything this endpoint does not take. */
export function parseTaskSearch(query: Record<string, unknown>): TaskSearch {
  for (const name of Object.keys(query)) {
    if (!KNOWN.has(name)) {
      throw new FhirError(400, `search parameter ${name} is not supported on Task`, name);
    }
  }
  const format = single(query, '_format');
  if (format !== undefined && !JSON_FORMATS.includes(format)) {
    throw new FhirError(400, '_format must be json: this endpoint speaks JSON only', '_format');
  }
  const page = single(query, '_page');
  const search: TaskSearch = {
    lastUpdated: lastUpdatedOf(query._lastUpdated),
    count: countOf(single(query, '_count')),
  };
  const owner = agencyOf('owner', single(query, 'owner'));
  const requester = agencyOf('requester', single(query, 'requester'));
  const statuses = statusesOf(single(query, 'status'));
  if (owner) search.owner = owner;
  if (requester) search.requester = requester;
  if (statuses) search.statuses = statuses;
  if (page !== undefined) search.after = decodeSearchPosition(page);
  return search;
}
