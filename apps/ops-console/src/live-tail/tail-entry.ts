// What the live tail shows of a record on `referrals.events`: when, what, which stream, in
// whose name. Never the event's data, nor `actor` (a person's name, sealed but still personal):
// only these four fields are copied, each only if it has the shape it must have, so that not
// even a stray record on the topic can put free text on an operator's screen.

export interface TailEntry {
  time: string;
  type: string;
  stream: string;
  /** The agency (or operator, or `backbone`) in whose name the event was recorded. */
  actingAgency?: string;
  partition: number;
  offset: string;
}

export interface TailRecord {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: string;
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const TYPE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const STREAM = /^[a-z]+-[A-Za-z0-9_-]{1,200}$/;
const AGENCY = /^[a-z0-9][a-z0-9-]{1,62}$/;

const matching = (value: unknown, shape: RegExp, max = 200): string | undefined =>
  typeof value === 'string' && value.length <= max && shape.test(value) ? value : undefined;

/** The tail entry of a record, or undefined if the record is not a recognisable event. */
export function tailEntryOf(record: TailRecord): TailEntry | undefined {
  let event: unknown;
  try {
    event = JSON.parse(String(record.value ?? ''));
  } catch {
    return undefined;
  }
  if (typeof event !== 'object' || event === null) return undefined;
  const { time, type, actingagency } = event as Record<string, unknown>;
  const entry = {
    time: matching(time, TIME, 40),
    type: matching(type, TYPE, 100),
    stream: matching(record.key?.toString('utf8'), STREAM, 250),
  };
  if (!entry.time || !entry.type || !entry.stream) return undefined;
  const agency = matching(actingagency, AGENCY, 63);
  return {
    time: entry.time,
    type: entry.type,
    stream: entry.stream,
    ...(agency ? { actingAgency: agency } : {}),
    partition: record.partition,
    offset: record.offset,
  };
}

export interface TailFilter {
  type?: string;
  agency?: string;
  referralId?: string;
}

/** Type by exact name or prefix (`referral.`), agency exactly, referral by its id in the stream. */
export function matchesFilter(entry: TailEntry, filter: TailFilter): boolean {
  if (filter.type && !(entry.type === filter.type || entry.type.startsWith(filter.type)))
    return false;
  if (filter.agency && entry.actingAgency !== filter.agency) return false;
  if (filter.referralId && !entry.stream.includes(filter.referralId.toLowerCase())) return false;
  return true;
}
