// Hostile input against the whole backbone (DESIGN invariant 10): a few hundred records that
// once stalled or crashed a stage, and fuzzed ones, sent over Kafka and HTTP among valid
// commands. Every valid command gets exactly one outcome, every hostile one is rejected or
// dead-lettered, no request gets a 500, and the read models show exactly what was accepted.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Pool } from 'pg';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import {
  deeplyNested,
  fuzzedCommands,
  hostileMakeReferrals,
  validCommand,
} from '../support/hostile-commands';
import { commandFrom } from '../support/referral-commands';
import type { WatchedRecord } from '../support/topic-watcher';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
/** Sees the flows of the school, social services and police: CONTRACT §8. */
const DIRECTOR = 'demo-randers-director';
/** The same samples every run: a failure can be replayed. */
const SEED = 20261204;

interface Sent {
  id: string;
  /**
   * What it must get: `accepted`, a rejection code, `rejected` (any code) or `one-answer`
   * (either, exactly once).
   */
  expect: string;
}

const commandIdIn = (text: string): string | undefined => /"id":"([0-9a-f-]{36})"/.exec(text)?.[1];

describe('hostile input, end to end', () => {
  let backbone: BackboneUnderTest;
  let pool: Pool;
  const tried = { kafka: 0, http: 0, queries: 0 };

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [
      topics.outcomes(SCHOOL),
      topics.outcomes(SOCIAL),
      topics.deadLetter,
    ]);
    pool = new Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    process.stdout.write(
      `\nhostile inputs tried: ${tried.kafka} over Kafka, ${tried.http} over HTTP, ` +
        `${tried.queries} hostile queries; stalls: 0\n`,
    );
    await pool?.end();
    await backbone?.stop();
  });

  const outcomesOf = (agency: string, commandId: string): WatchedRecord[] =>
    backbone.watcher.records.filter(
      (r) =>
        r.topic === backbone.topics.outcomes(agency) &&
        (r.json?.data as { commandId?: string } | undefined)?.commandId === commandId,
    );
  const codeOf = (record: WatchedRecord): string =>
    record.json?.type === 'command.accepted'
      ? 'accepted'
      : String((record.json?.data as { code?: string }).code);

  /** Waits for one outcome of each, then checks there is exactly one and it is as expected. */
  async function expectAnswered(agency: string, sent: Sent[]): Promise<Map<string, string>> {
    await eventually(
      async () => (sent.every((s) => outcomesOf(agency, s.id).length > 0) ? true : undefined),
      `an outcome for each of ${sent.length} commands of ${agency}`,
      90_000,
    );
    // Long enough for a second answer to show up, had any been sent.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const codes = new Map<string, string>();
    for (const { id, expect: expected } of sent) {
      const outcomes = outcomesOf(agency, id);
      expect([id, outcomes.length]).toEqual([id, 1]);
      const code = codeOf(outcomes[0]);
      codes.set(id, code);
      if (expected === 'one-answer') continue;
      if (expected === 'rejected') expect([id, code]).not.toEqual([id, 'accepted']);
      else expect([id, code]).toEqual([id, expected]);
    }
    return codes;
  }

  async function inbox(agency: string): Promise<Map<string, string>> {
    const listed = new Map<string, string>();
    let page = '';
    for (;;) {
      const response = await backbone.http(
        `/v1/agencies/${agency}/inbox?limit=100${page ? `&page=${page}` : ''}`,
        DEMO_API_KEYS[agency],
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        items: { referralId: string; status: string }[];
        nextPage?: string;
      };
      for (const item of body.items) listed.set(item.referralId, item.status);
      if (!body.nextPage) return listed;
      page = body.nextPage;
    }
  }

  it('answers every command on the command topics once, hostile among valid, and the read models show only what was accepted', async () => {
    const sent: Sent[] = [];
    const unanswerable: string[] = [];
    const messages: { key: string; value: string | Buffer }[] = [];
    const valid: string[] = [];
    const fuzzed = fc.sample(fuzzedCommands(SCHOOL), { numRuns: 150, seed: SEED });
    for (let round = 0; round < 10; round++) {
      const good = validCommand(SCHOOL, 'referral.make.v1');
      valid.push(good.subject);
      messages.push({ key: good.subject, value: JSON.stringify(good) });
      sent.push({ id: good.id, expect: 'accepted' });
      // The hostile ones share the valid one's partition: they are in its batch and group.
      for (const hostile of hostileMakeReferrals(SCHOOL)) {
        messages.push({ key: good.subject, value: hostile.text });
        sent.push({ id: commandIdIn(hostile.text) as string, expect: hostile.code });
      }
      for (const command of fuzzed.slice(round * 15, round * 15 + 15)) {
        messages.push({ key: good.subject, value: JSON.stringify(command) });
        sent.push({ id: command.id as string, expect: 'one-answer' });
      }
      const key = `garbage-${round}`;
      messages.push({ key, value: Buffer.from([0xff, 0x00, round, 0xfe]) });
      messages.push({ key: `${key}-deep`, value: deeplyNested(100_000) });
      unanswerable.push(key, `${key}-deep`);
    }
    tried.kafka += messages.length - valid.length;
    await backbone.producer.send({ topic: backbone.topics.commands(SCHOOL), messages });

    const codes = await expectAnswered(SCHOOL, sent);
    await eventually(
      async () =>
        unanswerable.every((key) =>
          backbone.watcher.records.some(
            (r) => r.topic === backbone.topics.deadLetter && r.key === key,
          ),
        )
          ? true
          : undefined,
      'a dead letter for each record without a command id',
    );

    // The receiver acts on the valid referrals, hostile lifecycle commands among its own.
    const acknowledged = valid.slice(0, 5);
    const followUps: Sent[] = [];
    const social = fc.sample(fuzzedCommands(SOCIAL), { numRuns: 40, seed: SEED + 1 });
    const socialMessages = acknowledged.flatMap((referralId, i) => {
      const ack = commandFrom(SOCIAL, 'referral.acknowledge.v1', referralId, { referralId });
      followUps.push({ id: ack.id, expect: 'accepted' });
      const noise = social.slice(i * 8, i * 8 + 8).map((command) => {
        followUps.push({ id: command.id as string, expect: 'one-answer' });
        return { key: referralId, value: JSON.stringify(command) };
      });
      return [
        ...noise.slice(0, 4),
        { key: referralId, value: JSON.stringify(ack) },
        ...noise.slice(4),
      ];
    });
    tried.kafka += socialMessages.length - acknowledged.length;
    await backbone.producer.send({
      topic: backbone.topics.commands(SOCIAL),
      messages: socialMessages,
    });
    await expectAnswered(SOCIAL, followUps);

    // Exactly what was accepted: the valid referrals, and any fuzzed one that happened to be valid.
    const madeAndAccepted = [...codes].filter(([id, code]) => {
      const made = fuzzed.find((c) => c.id === id);
      return code === 'accepted' && (!made || made.type === 'referral.make.v1');
    });
    expect(madeAndAccepted.length).toBeGreaterThanOrEqual(valid.length);
    await eventually(
      async () => ((await inbox(SOCIAL)).size === madeAndAccepted.length ? true : undefined),
      'the inbox to show every accepted referral',
    );
    const listed = await inbox(SOCIAL);
    for (const referralId of valid) {
      expect([referralId, listed.get(referralId)]).toEqual([
        referralId,
        acknowledged.includes(referralId) ? 'received' : 'requested',
      ]);
    }
  });

  it('answers the same records over HTTP with a 4xx and their code, never a 500', async () => {
    const post = (agency: string, body: string | Buffer) =>
      backbone.http('/v1/commands', DEMO_API_KEYS[agency], { method: 'POST', body });
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    for (const hostile of hostileMakeReferrals(SCHOOL)) {
      const response = await post(SCHOOL, hostile.text);
      count(response.status);
      expect([hostile.name, response.status]).toEqual([
        hostile.name,
        hostile.code === 'MALFORMED' ? 400 : 422,
      ]);
      expect(((await response.json()) as { code: string }).code).toBe(hostile.code);
      tried.http++;
    }
    for (const command of fc.sample(fuzzedCommands(SCHOOL), { numRuns: 100, seed: SEED + 2 })) {
      const response = await post(SCHOOL, JSON.stringify(command));
      count(response.status);
      expect([command.id, response.status < 500]).toEqual([command.id, true]);
      tried.http++;
    }
    const tooLarge = await post(SCHOOL, Buffer.alloc(3 * 1024 * 1024, 0x20));
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { code: string }).code).toBe('TOO_LARGE');
    const good = validCommand(SCHOOL, 'referral.make.v1');
    expect((await post(SCHOOL, JSON.stringify(good))).status).toBe(200);
    tried.http++;
    expect(statuses.get(500)).toBeUndefined();
  });

  it('answers hostile queries without a 500, forged page tokens with a 400', async () => {
    const forged = (position: object) =>
      Buffer.from(JSON.stringify(position)).toString('base64url');
    const pages = [
      'not-a-token',
      forged({ at: '2099-02-31T00:00:00Z', id: randomUUID() }),
      forged({ at: '2026-01-01T00:00:00+20:00', id: randomUUID() }),
      forged({ at: new Date().toISOString(), id: 'not-a-uuid' }),
      forged({ at: new Date().toISOString(), id: 'a\u0000b' }),
      forged([]),
      encodeURIComponent('%00'),
    ];
    for (const page of pages) {
      for (const box of ['inbox', 'outbox']) {
        const path = `/v1/agencies/${SOCIAL}/${box}?page=${page}`;
        const response = await backbone.http(path, DEMO_API_KEYS[SOCIAL]);
        expect([path, response.status]).toEqual([path, 400]);
        tried.queries++;
      }
    }
    const paths = [
      `/v1/agencies/${SOCIAL}/inbox?page=a&page=b`,
      `/v1/agencies/${SOCIAL}/inbox?status=%00`,
      `/v1/agencies/${SOCIAL}/inbox?status[]=x`,
      `/v1/agencies/${SOCIAL}/inbox?limit=1e309`,
      `/v1/agencies/${SOCIAL}/cases?status=%ED%A0%80`,
      `/v1/agencies/%00/inbox`,
      `/v1/referrals/%00`,
      `/v1/referrals/${'9'.repeat(5000)}`,
    ];
    for (const path of paths) {
      const response = await backbone.http(path, DEMO_API_KEYS[SOCIAL]);
      expect([path, response.status < 500]).toEqual([path, true]);
      tried.queries++;
    }
  });

  it('sets aside a command PostgreSQL refuses, and answers the commands around it', async () => {
    // A record the database refuses for a reason no validation foresaw, made real with a
    // trigger: the stream of one referral cannot be written.
    const poisoned = validCommand(SCHOOL, 'referral.make.v1');
    await pool.query(`
      CREATE FUNCTION refuse_poisoned_stream() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stream_id = 'referral-${poisoned.subject}' THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22P05';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poisoned_stream BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_stream();`);
    try {
      const before = validCommand(SCHOOL, 'referral.make.v1');
      const after = validCommand(SCHOOL, 'referral.make.v1');
      await backbone.producer.send({
        topic: backbone.topics.commands(SCHOOL),
        messages: [before, poisoned, after].map((c) => ({
          key: poisoned.subject,
          value: JSON.stringify(c),
        })),
      });
      await expectAnswered(SCHOOL, [
        { id: before.id, expect: 'accepted' },
        { id: poisoned.id, expect: 'INVALID' },
        { id: after.id, expect: 'accepted' },
      ]);
      // Over HTTP the same: a rejection, not a 500.
      const again = validCommand(SCHOOL, 'referral.make.v1');
      again.subject = poisoned.subject;
      again.data.referralId = poisoned.subject;
      const response = await backbone.http('/v1/commands', DEMO_API_KEYS[SCHOOL], {
        method: 'POST',
        body: JSON.stringify(again),
      });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { code: string }).code).toBe('INVALID');
    } finally {
      await pool.query('DROP TRIGGER refuse_poisoned_stream ON events');
    }
  });
});

describe('every route, asked by every kind of principal with hostile values', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const HOSTILE_VALUES = [
    '%00',
    '%ED%A0%80',
    encodeURIComponent('2099-02-31T00:00:00Z'),
    encodeURIComponent('2026-01-01T00:00:00+20:00'),
    '9'.repeat(400),
    '-1',
    '1e309',
    encodeURIComponent('constructor'),
    encodeURIComponent('__proto__'),
    encodeURIComponent('a|b|c'),
    encodeURIComponent('"\'<>;--'),
  ];
  const QUERY_NAMES = [
    'page',
    'status',
    'limit',
    'asOf',
    'purpose',
    'identifier',
    'after',
    'handoverDays',
  ];
  const HOSTILE_BODIES = [
    '{"constructor":{"prototype":{}}}',
    `{"a":${deeplyNested(5_000)}}`,
    '{"id":"00000000-0000-4000-8000-000000000000","data":{"__proto__":{"x":1}}}',
    '"\\u0000"',
    '{"x":"\\ud800"}',
    'not json',
  ];

  it('answers each without a 500', async () => {
    const keys = [
      DEMO_API_KEYS[SCHOOL],
      DEMO_API_KEYS['demo-audit-office'],
      DEMO_API_KEYS['demo-ops-team'],
      DEMO_API_KEYS[DIRECTOR],
    ];
    const failures: string[] = [];
    let requests = 0;
    for (const route of backbone.registeredRoutes()) {
      const [method, template] = route.split(' ');
      for (const value of HOSTILE_VALUES) {
        const path = template.replace(/\{\w+\}/g, value);
        const query = QUERY_NAMES.map((name) => `${name}=${value}`).join('&');
        const bodies = method === 'GET' ? [undefined] : HOSTILE_BODIES;
        for (const body of bodies) {
          for (const key of keys) {
            const response = await backbone.http(`${path}?${query}`, key, {
              method,
              body,
              headers: body ? { 'content-type': 'application/json' } : {},
            });
            requests++;
            if (response.status >= 500) failures.push(`${response.status} ${method} ${path}`);
          }
        }
      }
    }
    process.stdout.write(`\nhostile requests over every route: ${requests}\n`);
    expect(failures).toEqual([]);
  });

  it('lets a director reach only what is open without a key, and the insights meant for it', async () => {
    // Even the lists of an agency in the director's scope are the agency's alone.
    const meantForDirectors = /^(GET|HEAD) \/(v1\/)?insights(\/|$)/;
    const reached: string[] = [];
    for (const route of backbone.registeredRoutes()) {
      if (meantForDirectors.test(route)) continue;
      const [method, template] = route.split(' ');
      const path = template.replace(/\{\w+\}/g, SOCIAL);
      const ask = (key: string) =>
        backbone.http(path, key, {
          method,
          body: method === 'GET' ? undefined : '{}',
          headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
        });
      const anonymous = (await ask('not-a-key')).status;
      const director = (await ask(DEMO_API_KEYS[DIRECTOR])).status;
      if ([401, 403].includes(anonymous) && ![401, 403].includes(director))
        reached.push(`${route}: ${director}`);
    }
    expect(reached).toEqual([]);
  });
});
