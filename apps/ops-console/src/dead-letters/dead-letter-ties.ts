// What ties a dead letter to the people it is about, so that erasing a person reaches the copy:
// the keyed hashes of the identifiers it holds (the HMAC `subject_identifiers` links, never an
// identifier itself) and the referral and case streams it names. A dead letter is what could
// not be read, so broken JSON is searched as text too; whatever is found stays a hint, never
// trusted as input: it is only ever compared with what erasure knows of a person.
import { caseStreamId, identifierKey, referralStreamId } from '@backbone/domain';

export interface DeadLetterTies {
  /** Keyed hashes (SUBJECT_ID_KEY) of `{system, value}` pairs found in the record. */
  identifierKeys: string[];
  /** `referral-<id>` and `case-<id>` streams the record names. */
  streamIds: string[];
}

/** Bounds on the work one record may cause, and on what is kept of it. */
const MAX_NODES = 20_000;
const MAX_TIES = 64;
/** The contract's bounds on an identifier's system and value: longer ones were never linked. */
const MAX_IDENTIFIER_CHARS = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERRAL_FIELDS = new Set(['referralId', 'newReferralId']);
const CASE_FIELDS = new Set(['caseId']);

// A JSON string's body, escapes included, of bounded length; `[^"\\]` never spans a quote, so
// the patterns run in linear time whatever the text.
const JSON_STRING = String.raw`"((?:[^"\\]|\\.){1,400})"`;
const SYSTEM_THEN_VALUE = new RegExp(
  String.raw`"system"\s*:\s*${JSON_STRING}\s*,\s*"value"\s*:\s*${JSON_STRING}`,
  'g',
);
const VALUE_THEN_SYSTEM = new RegExp(
  String.raw`"value"\s*:\s*${JSON_STRING}\s*,\s*"system"\s*:\s*${JSON_STRING}`,
  'g',
);
const NAMED_ID = /"(referralId|newReferralId|caseId|subject)"\s*:\s*"([0-9a-fA-F-]{36})"/g;

interface Found {
  identifiers: Map<string, { system: string; value: string }>;
  streams: Set<string>;
}

function addIdentifier(found: Found, system: unknown, value: unknown): void {
  if (typeof system !== 'string' || typeof value !== 'string') return;
  if (!system || !value || system.length > MAX_IDENTIFIER_CHARS) return;
  if (value.length > MAX_IDENTIFIER_CHARS || found.identifiers.size >= MAX_TIES) return;
  found.identifiers.set(`${system}|${value}`, { system, value });
}

function addStream(found: Found, field: string, id: unknown): void {
  if (typeof id !== 'string' || !UUID.test(id) || found.streams.size >= MAX_TIES) return;
  // The envelope's `subject` is a referral's id or a case's: both are kept.
  if (field === 'subject' || REFERRAL_FIELDS.has(field)) found.streams.add(referralStreamId(id));
  if (field === 'subject' || CASE_FIELDS.has(field)) found.streams.add(caseStreamId(id));
}

/** Walks parsed JSON without recursion, up to MAX_NODES values. */
function walkJson(document: unknown, found: Found): void {
  if (typeof document === 'object' && document !== null && !Array.isArray(document))
    addStream(found, 'subject', (document as Record<string, unknown>).subject);
  const pending: unknown[] = [document];
  for (let visited = 0; pending.length && visited < MAX_NODES; visited++) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      pending.push(...(node as unknown[]));
      continue;
    }
    const object = node as Record<string, unknown>;
    addIdentifier(found, object.system, object.value);
    for (const [field, value] of Object.entries(object)) {
      if (field !== 'subject') addStream(found, field, value);
      if (typeof value === 'object' && value !== null) pending.push(value);
    }
  }
}

const jsonString = (body: string): string | undefined => {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
};

/** The same search over text that is not JSON (cut, or broken): `"system": …, "value": …`. */
function searchText(text: string, found: Found): void {
  for (const match of text.matchAll(SYSTEM_THEN_VALUE))
    addIdentifier(found, jsonString(match[1]), jsonString(match[2]));
  for (const match of text.matchAll(VALUE_THEN_SYSTEM))
    addIdentifier(found, jsonString(match[2]), jsonString(match[1]));
  for (const match of text.matchAll(NAMED_ID)) addStream(found, match[1], match[2]);
}

/** What ties this record to people; nothing when nothing is found, never an exception. */
export function tiesOf(value: Buffer | null, subjectIdKey: string): DeadLetterTies {
  const found: Found = { identifiers: new Map(), streams: new Set() };
  if (value?.length) {
    const text = value.toString('utf8');
    try {
      walkJson(JSON.parse(text), found);
    } catch {
      searchText(text, found);
    }
  }
  return {
    identifierKeys: [...found.identifiers.values()].map((identifier) =>
      identifierKey(subjectIdKey, identifier),
    ),
    streamIds: [...found.streams],
  };
}
