// The masked preview of a dead-lettered record. A dead letter is what an agency sent that could
// not be answered: raw bytes, possibly with personal data in plain text. The preview shows its
// shape and the contract's own vocabulary, never a value that could be about a person:
//
// - not JSON: only its size;
// - object keys: shown when they are property names of the contract, else `«key 1»`, `«key 2»`;
// - strings: shown only when the contract closes them (an enum or const value such as a command
//   type, priority or category, a UUID where the contract expects an id, a known agency where
//   it expects one), else `«text, N chars»`; never under a field marked personal data;
// - numbers: `«number»`; booleans and null as they are (they cannot identify anyone);
// - at most 10 items of an array, 50 keys of an object, and 6 levels deep.

import type { FieldRule } from './contract-fields';

export type Masked = string | boolean | null | Masked[] | { [key: string]: Masked };

export interface DeadLetterPreview {
  format: 'json' | 'not-json' | 'empty';
  bytes: number;
  content?: Masked;
}

export interface PreviewContext {
  fields: ReadonlyMap<string, FieldRule>;
  isKnownAgency(agencyId: string): boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ITEMS = 10;
const MAX_KEYS = 50;
const MAX_DEPTH = 6;

/** Characters as a person counts them, without copying a string of megabytes into an array. */
function codePoints(value: string): number {
  let pairs = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      pairs++;
      i++;
    }
  }
  return value.length - pairs;
}

function showsString(value: string, rule: FieldRule | undefined, context: PreviewContext): boolean {
  if (!rule) return false;
  if (rule.allowed.has(value)) return true;
  if (rule.uuid && UUID.test(value)) return true;
  if (rule.agency === 'id') return context.isKnownAgency(value);
  if (rule.agency === 'source')
    return value.startsWith('agency/') && context.isKnownAgency(value.slice('agency/'.length));
  return false;
}

function mask(
  value: unknown,
  rule: FieldRule | undefined,
  personal: boolean,
  depth: number,
  context: PreviewContext,
): Masked {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return '«number»';
  if (typeof value === 'string') {
    return !personal && showsString(value, rule, context)
      ? value
      : `«text, ${codePoints(value)} chars»`;
  }
  if (depth >= MAX_DEPTH) return '«nested deeper»';
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, MAX_ITEMS)
      .map((item) => mask(item, rule, personal, depth + 1, context));
    return value.length > MAX_ITEMS ? [...shown, `«${value.length - MAX_ITEMS} more»`] : shown;
  }
  if (typeof value === 'object') {
    const masked: Record<string, Masked> = {};
    let unknownKeys = 0;
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, inner] of entries.slice(0, MAX_KEYS)) {
      const innerRule = context.fields.get(key);
      const name = innerRule ? key : `«key ${++unknownKeys}»`;
      masked[name] = mask(
        inner,
        innerRule,
        personal || innerRule?.personal === true,
        depth + 1,
        context,
      );
    }
    if (entries.length > MAX_KEYS) masked['«more keys»'] = `«${entries.length - MAX_KEYS} more»`;
    return masked;
  }
  return '«value»';
}

export function maskedPreview(value: Buffer | null, context: PreviewContext): DeadLetterPreview {
  const bytes = value?.length ?? 0;
  if (!value || bytes === 0) return { format: 'empty', bytes: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { format: 'not-json', bytes };
  }
  return { format: 'json', bytes, content: mask(parsed, undefined, false, 0, context) };
}
