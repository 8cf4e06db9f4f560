// Hostile input at intake, without I/O: every record an agency can send is triaged without
// throwing, and whatever it is refused with can be stored and sent (DESIGN invariant 10).
import fc from 'fast-check';
import {
  COMMAND_REJECTED,
  CommandRejectedData,
  isStorableText,
  rejectedOutcome,
} from '@backbone/contracts';
import { loadDirectory } from '@backbone/directory';
import {
  COMMAND_TYPES,
  anyJson,
  fuzzedCommands,
  hostileMakeReferrals,
  validCommand,
} from '@backbone/testing/hostile-commands';
import { TriagedCommand, triageCommand } from './command-triage';

const directory = loadDirectory();
const SCHOOL = 'randers-school';
/** Far under the outcomes topic's limit: an outcome is small whatever the command held. */
const MAX_OUTCOME_BYTES = 64 * 1024;

/** The outcome a refused command gets, checked to be storable in jsonb and to fit its topic. */
function refusal(triaged: TriagedCommand): CommandRejectedData {
  if (triaged.kind !== 'refused') throw new Error(`expected a refusal, got ${triaged.kind}`);
  const outcome = rejectedOutcome(triaged.identity.answering, triaged.rejection);
  const text = JSON.stringify(outcome);
  expect(isStorableText(text)).toBe(true);
  expect(isStorableText(triaged.identity.type)).toBe(true);
  expect(Buffer.byteLength(text)).toBeLessThan(MAX_OUTCOME_BYTES);
  expect(outcome.type).toBe(COMMAND_REJECTED);
  return outcome.data;
}

describe('hostile commands at triage', () => {
  it.each(hostileMakeReferrals(SCHOOL).map((h) => [h.name, h] as const))(
    'refuses %s with a clear code, the field named',
    (_name, hostile) => {
      const rejection = refusal(triageCommand(Buffer.from(hostile.text), SCHOOL, directory));
      expect(rejection.code).toBe(hostile.code);
      expect(rejection.errors?.length).toBeGreaterThan(0);
    },
  );

  it('names the field that holds a NUL', () => {
    const command = validCommand(SCHOOL, 'referral.make.v1');
    (command.data.lawfulBasis as Record<string, string>).consentRef = 'x\u0000';
    const rejection = refusal(triageCommand(JSON.stringify(command), SCHOOL, directory));
    expect(rejection.errors).toContainEqual({
      path: 'data.lawfulBasis.consentRef',
      message: 'must be valid Unicode text without NUL (U+0000)',
    });
  });

  it('names the "constructor" key, not a library fault', () => {
    const text = JSON.stringify(validCommand(SCHOOL, 'referral.make.v1')).replace(
      '"data":{',
      '"data":{"constructor":{"x":1},',
    );
    const rejection = refusal(triageCommand(text, SCHOOL, directory));
    expect(rejection.errors?.[0].path).toBe('data.constructor');
  });

  it('caps the error list of 60 unknown keys and says how many there were', () => {
    const command = validCommand(SCHOOL, 'referral.note.v1');
    for (let i = 0; i < 60; i++) command.data[`unknown${i}`] = i;
    const rejection = refusal(triageCommand(JSON.stringify(command), SCHOOL, directory));
    expect(rejection.errors).toHaveLength(20);
    expect(rejection.errorCount).toBe(60);
  });

  it('accepts a valid command of every type', () => {
    for (const type of COMMAND_TYPES) {
      const triaged = triageCommand(JSON.stringify(validCommand(SCHOOL, type)), SCHOOL, directory);
      expect([type, triaged.kind]).toEqual([type, 'executable']);
    }
  });

  it('refuses real-looking dates that do not exist, and takes the edges that do', () => {
    const dueBy = (value: string) => {
      const command = validCommand(SCHOOL, 'referral.make.v1');
      command.data.dueBy = value;
      return triageCommand(JSON.stringify(command), SCHOOL, directory).kind;
    };
    expect(dueBy('2028-02-29T00:00:00Z')).toBe('executable');
    expect(dueBy('2027-02-29T00:00:00Z')).toBe('refused');
    expect(dueBy('2027-01-01T00:00:00+14:00')).toBe('executable');
    expect(dueBy('2027-01-01T00:00:00-14:01')).toBe('refused');
    expect(dueBy('2027-01-01T24:00:00Z')).toBe('refused');
  });
});

/** A timestamp-shaped string: digits in every field, some out of range. */
const timestampLike = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('Z', '+00:00', '+14:00', '-14:00', '+14:30', '+20:00', '-23:59', '+05:60'),
  )
  .map(
    ([y, mo, d, h, mi, z]) =>
      `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00${z}`,
  );

describe('fuzzing intake', () => {
  const RUNS = 300;

  it('triages any JSON value as the whole record without throwing', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const triaged = triageCommand(JSON.stringify(value) ?? '', SCHOOL, directory);
        if (triaged.kind === 'refused') refusal(triaged);
      }),
      { numRuns: RUNS },
    );
  });

  it('triages any JSON value put into any field of any command type', () => {
    fc.assert(
      fc.property(fuzzedCommands(SCHOOL), (command) => {
        const triaged = triageCommand(JSON.stringify(command), SCHOOL, directory);
        if (triaged.kind === 'refused') refusal(triaged);
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts a date only when PostgreSQL and Date both would, and never throws on one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMAND_TYPES), timestampLike, (type, time) => {
        const command = validCommand(SCHOOL, type);
        command.time = time;
        const triaged = triageCommand(JSON.stringify(command), SCHOOL, directory);
        if (triaged.kind === 'refused') refusal(triaged);
        else expect(Number.isNaN(Date.parse(time))).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('triages arbitrary bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const triaged = triageCommand(Buffer.from(bytes), SCHOOL, directory);
        if (triaged.kind === 'refused') refusal(triaged);
      }),
      { numRuns: RUNS },
    );
  });
});
