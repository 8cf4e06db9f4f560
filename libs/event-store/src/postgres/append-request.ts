import { NotSerialisableError, canonicalJson } from '../canonical-json';
import { InvalidAppendError } from '../event-store.errors';
import type { ExpectedVersion, NewEvent } from '../event-store.port';

export const MAX_EVENT_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_APPEND = 1_000;
export const MAX_NAME_LENGTH = 255;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A \u0000 or surrogate escape not itself escaped: JSON.stringify writes NUL and unpaired
// surrogates that way, and jsonb refuses both.
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The category of a stream is the part of its id before the first '-' (e.g. `referral-…`). */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0];

/** An append checked, serialised once, and laid out as append_to_stream()'s parameters. */
export interface AppendRequest {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
  /** Canonical JSON text of each event's data and metadata, as stored and hashed. */
  data: string[];
  metadata: string[];
  values: unknown[];
}

function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || !name.trim()) {
    throw new InvalidAppendError(`${what} must be a non-empty string`);
  }
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidAppendError(`${what} is longer than ${MAX_NAME_LENGTH} characters`);
  }
  // PostgreSQL text cannot hold NUL, and a lone surrogate would be stored as U+FFFD, which
  // the hash (computed over the original) would then no longer match.
  if (name.includes('\0') || UNPAIRED_SURROGATE.test(name)) {
    throw new InvalidAppendError(`${what} contains a NUL or an unpaired surrogate`);
  }
}

function checkExpected(expected: ExpectedVersion): string {
  if (expected === 'any' || expected === 'no-stream' || expected === 'stream-exists') {
    return expected;
  }
  if (typeof expected === 'number' && Number.isInteger(expected) && expected >= 0) {
    return String(expected);
  }
  throw new InvalidAppendError(`expected version ${String(expected)} is not valid`);
}

function serialise(event: NewEvent, part: 'data' | 'metadata'): string {
  const value: unknown = event[part];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidAppendError(`event ${event.eventId}: ${part} must be a JSON object`);
  }
  let text: string;
  try {
    text = canonicalJson(value);
  } catch (error) {
    if (!(error instanceof NotSerialisableError)) throw error;
    throw new InvalidAppendError(
      `event ${event.eventId} is not JSON-serialisable: ${part}${error.message.slice(1)}`,
    );
  }
  if (UNSTORABLE_ESCAPE.test(text)) {
    throw new InvalidAppendError(
      `event ${event.eventId}: ${part} contains a NUL character or an unpaired surrogate`,
    );
  }
  return text;
}

/** Checks everything that can be checked before the database is asked; throws InvalidAppendError. */
export function prepareAppend(
  streamId: string,
  expected: ExpectedVersion,
  events: NewEvent[],
  recordedAt: string,
): AppendRequest {
  checkName('stream id', streamId);
  const expectedText = checkExpected(expected);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('an append needs at least one event');
  }
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError(`an append holds at most ${MAX_EVENTS_PER_APPEND} events`);
  }
  const data: string[] = [];
  const metadata: string[] = [];
  const typesJson: string[] = [];
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new InvalidAppendError(`event id ${String(event.eventId)} is not a UUID`);
    }
    const eventId = event.eventId.toLowerCase();
    if (ids.has(eventId)) throw new InvalidAppendError(`event id ${eventId} appears twice`);
    ids.add(eventId);
    checkName(`type of event ${eventId}`, event.type);
    const eventData = serialise(event, 'data');
    const eventMetadata = serialise(event, 'metadata');
    if (Buffer.byteLength(eventData) + Buffer.byteLength(eventMetadata) > MAX_EVENT_BYTES) {
      throw new InvalidAppendError(`event ${eventId} is larger than ${MAX_EVENT_BYTES} bytes`);
    }
    data.push(eventData);
    metadata.push(eventMetadata);
    typesJson.push(JSON.stringify(event.type));
  }
  const values = [
    streamId,
    streamCategory(streamId),
    expectedText,
    [...ids],
    events.map((e) => e.type),
    data,
    metadata,
    typesJson,
    JSON.stringify(streamId),
    recordedAt,
  ];
  return { streamId, expected, events, data, metadata, values };
}
