// Commands as the worst sender could write them, for the hostile-input tests: a valid `data`
// for every command type, and ways to spoil an envelope that each once stalled the backbone.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { commandFrom } from './referral-commands';

const PERSON = {
  identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
  name: { given: 'Freja', family: 'Nielsen' },
};

/** A valid `data` of each command type, about the stream `id` (and handover or new referral `other`). */
const VALID_DATA: Record<string, (id: string, other: string) => Record<string, unknown>> = {
  'referral.make.v1': (id) => ({
    referralId: id,
    to: 'randers-social',
    category: 'child-social-care',
    priority: 'urgent',
    reason: 'Repeated absence.',
    subject: PERSON,
    lawfulBasis: { basis: 'consent', consentRef: 'form-17' },
    dueBy: '2027-01-01T12:00:00Z',
  }),
  'referral.acknowledge.v1': (id) => ({ referralId: id }),
  'referral.accept.v1': (id) => ({ referralId: id, assignee: 'A. Social Worker' }),
  'referral.reject.v1': (id) => ({ referralId: id, reason: 'Not ours.' }),
  'referral.redirect.v1': (id, other) => ({
    referralId: id,
    reason: 'Better there.',
    to: 'east-jutland-police',
    newReferralId: other,
  }),
  'referral.start.v1': (id) => ({ referralId: id }),
  'referral.hold.v1': (id) => ({ referralId: id, reason: 'Waiting.' }),
  'referral.complete.v1': (id) => ({
    referralId: id,
    outcome: 'Done.',
    outcomeCode: 'service-provided',
  }),
  'referral.fail.v1': (id) => ({ referralId: id, reason: 'Lost contact.' }),
  'referral.cancel.v1': (id) => ({ referralId: id, reason: 'Sent in error.' }),
  'referral.note.v1': (id) => ({ referralId: id, text: 'A note.' }),
  'case.open.v1': (id) => ({ caseId: id, subject: PERSON, lawfulBasis: { basis: 'public-task' } }),
  'case.close.v1': (id) => ({ caseId: id, reason: 'Closed.' }),
  'case.handover.propose.v1': (id, other) => ({
    caseId: id,
    handoverId: other,
    to: 'randers-social',
    reason: 'Moving.',
    summary: 'Summary.',
    effectiveAt: '2027-01-01T00:00:00+01:00',
  }),
  'case.handover.accept.v1': (id, other) => ({ caseId: id, handoverId: other }),
  'case.handover.decline.v1': (id, other) => ({ caseId: id, handoverId: other, reason: 'No.' }),
  'case.handover.cancel.v1': (id, other) => ({ caseId: id, handoverId: other, reason: 'Later.' }),
};

export const COMMAND_TYPES = Object.keys(VALID_DATA);

export function validDataOf(
  type: string,
  id: string,
  other = randomUUID(),
): Record<string, unknown> {
  const data = VALID_DATA[type];
  if (!data) throw new Error(`no valid data for ${type}`);
  return structuredClone(data(id, other));
}

/** A valid envelope of `type` from `from`, as an object. */
export const validCommand = (from: string, type: string, streamId = randomUUID()) =>
  commandFrom(from, type, streamId, validDataOf(type, streamId));

/** JSON text nesting `depth` arrays (or objects) inside each other. */
export const deeplyNested = (depth: number, kind: 'array' | 'object' = 'array'): string =>
  kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * The named hostile variants of a valid referral.make.v1, as the JSON text sent: each once
 * stalled or crashed a stage (issue 21), and each must now be rejected with the code given.
 */
export function hostileMakeReferrals(from: string): { name: string; text: string; code: string }[] {
  const withData = (
    name: string,
    change: (data: Record<string, unknown>) => void,
    code = 'INVALID',
  ) => {
    const command = validCommand(from, 'referral.make.v1');
    change(command.data);
    return { name, text: JSON.stringify(command), code };
  };
  const withText = (name: string, edit: (text: string) => string, code = 'INVALID') => {
    const command = validCommand(from, 'referral.make.v1');
    return { name, text: edit(JSON.stringify(command)), code };
  };
  return [
    withText('a "constructor" key in data', (t) =>
      t.replace('"data":{', '"data":{"constructor":{"x":1},'),
    ),
    withText('a "__proto__" key in data', (t) =>
      t.replace('"data":{', '"data":{"__proto__":{"x":1},'),
    ),
    withText('a "prototype" key in the subject', (t) =>
      t.replace('"identifiers":', '"prototype":1,"identifiers":'),
    ),
    withText('3,000 levels of nested arrays', (t) =>
      t.replace('"data":{', `"data":{"deep":${deeplyNested(3_000)},`),
    ),
    withText('3,000 levels of nested objects', (t) =>
      t.replace('"data":{', `"data":{"deep":${deeplyNested(3_000, 'object')},`),
    ),
    withData(
      'NUL in lawfulBasis.consentRef',
      (d) => ((d.lawfulBasis as Record<string, string>).consentRef = 'a\u0000b'),
    ),
    withData('a lone surrogate in the reason', (d) => (d.reason = 'help \ud800 now')),
    withText('NUL in correlationid', (t) =>
      t.replace('"data":{', '"correlationid":"c\\u0000d","data":{'),
    ),
    withText('a lone surrogate in the envelope subject', (t) =>
      t.replace(/"subject":"[0-9a-f-]+"/, '"subject":"\\udc00x"'),
    ),
    withText('NUL in the type', (t) =>
      t.replace('"type":"referral.make.v1"', '"type":"referral.make.v1\\u0000"'),
    ),
    withText('NUL in a property name', (t) => t.replace('"data":{', '"data":{"a\\u0000b":1,')),
    withText('20,000 unknown keys', (t) =>
      t.replace(
        '"data":{',
        `"data":{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":1`).join(',')},`,
      ),
    ),
    withData('dueBy on 31 February', (d) => (d.dueBy = '2099-02-31T00:00:00Z')),
    withData('dueBy with offset +20:00', (d) => (d.dueBy = '2099-01-01T00:00:00+20:00')),
    withData('dueBy in year 0000', (d) => (d.dueBy = '0000-01-01T00:00:00Z')),
    withData('dueBy on a leap second', (d) => (d.dueBy = '2026-12-31T23:59:60Z')),
    withText(
      'an envelope time on 30 February',
      (t) => t.replace(/"time":"[^"]+"/, '"time":"2026-02-30T10:00:00Z"'),
      'MALFORMED',
    ),
  ];
}

/** A JSON value of any shape, with any text: keys and strings from the whole of UTF-16. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udc00', 'a', '\u00e6', '😀') }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.constantFrom('constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty'),
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

/** Where a fuzzed value goes into a command: its envelope, its data, or the person in it. */
export type FuzzTarget = 'envelope' | 'data' | 'subject';

/** A valid command of `type` with `value` put under `key` at `where`. */
export function fuzzedCommand(
  from: string,
  type: string,
  where: FuzzTarget,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const command = validCommand(from, type) as Record<string, unknown>;
  const data = command.data as Record<string, unknown>;
  const target =
    where === 'envelope'
      ? command
      : where === 'subject' && data.subject
        ? (data.subject as Record<string, unknown>)
        : data;
  target[key] = value;
  return command;
}

/** Arbitrary fuzzed commands of every type. */
export const fuzzedCommands = (from: string) =>
  fc
    .tuple(
      fc.constantFrom(...COMMAND_TYPES),
      fc.constantFrom<FuzzTarget>('data', 'envelope', 'subject'),
      fc.string({ unit: 'binary', maxLength: 12 }),
      anyJson,
    )
    .map(([type, where, key, value]) => fuzzedCommand(from, type, where, key, value));
