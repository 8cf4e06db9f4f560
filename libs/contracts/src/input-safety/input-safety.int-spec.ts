// What the validation lets through, PostgreSQL stores: every timestamp isRealTimestamp accepts
// is a timestamptz, every text isStorableText accepts goes into jsonb and text (and what they
// refuse, PostgreSQL refuses too, so the checks are not stricter than they need be).
import fc from 'fast-check';
import { Client } from 'pg';
import { loadConfig } from '@backbone/config';
import { isRealTimestamp } from './real-timestamp';
import { isStorableText, storableText } from './storable-text';

/** Whether PostgreSQL takes the value as the given type. */
async function postgresTakes(client: Client, value: string, type: string): Promise<boolean> {
  await client.query('SAVEPOINT probe');
  try {
    await client.query(`SELECT $1::${type}`, [value]);
    return true;
  } catch {
    return false;
  } finally {
    await client.query('ROLLBACK TO SAVEPOINT probe');
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

const timestampLike = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 60 }),
    fraction: fc.constantFrom('', '.5', '.123456789'),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 0, max: 59 }),
        )
        .map(([sign, h, m]) => `${sign}${pad(h)}:${pad(m)}`),
    ),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction}${t.zone}`,
  );

describe('input safety against PostgreSQL', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({
      connectionString: loadConfig().databaseUrl.replace(/\/[^/]*$/, '/postgres'),
    });
    await client.connect();
    await client.query('BEGIN');
  });

  afterAll(async () => {
    await client.query('ROLLBACK');
    await client.end();
  });

  it('takes every timestamp the validation accepts as timestamptz', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(timestampLike, async (text) => {
        if (!isRealTimestamp(text)) return;
        accepted++;
        expect([text, await postgresTakes(client, text, 'timestamptz')]).toEqual([text, true]);
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it('refuses the dates the validation refuses for being unreal', async () => {
    for (const text of [
      '2099-02-31T00:00:00Z',
      '2099-01-01T00:00:00+20:00',
      '0000-01-01T00:00:00Z',
    ]) {
      expect(isRealTimestamp(text)).toBe(false);
      expect([text, await postgresTakes(client, text, 'timestamptz')]).toEqual([text, false]);
    }
  });

  it('stores in jsonb and text exactly the strings the validation accepts', async () => {
    const text = fc.string({
      unit: fc.constantFrom('a', '\u0000', '\ud800', '\udc00', '😀', '\u00e6'),
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(text, async (value) => {
        const json = JSON.stringify({ value });
        expect([value, await postgresTakes(client, json, 'jsonb')]).toEqual([
          value,
          isStorableText(value),
        ]);
        expect(await postgresTakes(client, JSON.stringify(storableText(value)), 'jsonb')).toBe(
          true,
        );
        // A text parameter goes over the wire as UTF-8: a lone surrogate arrives as U+FFFD.
        expect(await postgresTakes(client, storableText(value), 'text')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
