// The inbox changes feed (CONTRACT §8), as an agency without Kafka uses it: every event of its
// inbox topic, the same records in the same order, each exactly once across cursors while
// referrals keep arriving, a waiting request answered by the next event, and only its own.
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';

interface Changes {
  events: { id: string; type: string; subject: string; streamversion: number }[];
  next: string;
}

describe('inbox changes feed', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [topics.inbox(SOCIAL)]);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const changes = async (agency: string, query = '', key = DEMO_API_KEYS[agency]) => {
    const response = await backbone.http(`/v1/agencies/${agency}/inbox/changes${query}`, key);
    return { status: response.status, body: (await response.json()) as Changes };
  };

  /** Everything after `cursor` (the start without one), page by page. */
  const readAll = async (agency: string, cursor = '', limit = 2) => {
    const events: Changes['events'] = [];
    for (;;) {
      const { status, body } = await changes(agency, `?limit=${limit}&after=${cursor}`);
      expect(status).toBe(200);
      if (!body.events.length) return { events, cursor: body.next };
      expect(body.events.length).toBeLessThanOrEqual(limit);
      events.push(...body.events);
      cursor = body.next;
    }
  };

  const send = async (agency: string, command: object) => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect(response.status).toBe(200);
  };

  const inboxTopicIds = () =>
    backbone.watcher.records
      .filter((r) => r.topic === backbone.topics.inbox(SOCIAL))
      .map((r) => String(r.json?.id));

  it('serves the records of the inbox topic, in the order of each referral', async () => {
    const referrals = [makeReferralCommand(SCHOOL, SOCIAL), makeReferralCommand(POLICE, SOCIAL)];
    for (const command of referrals) await send(command.source.split('/')[1], command);
    const [first] = referrals;
    await send(
      SOCIAL,
      commandFrom(SOCIAL, 'referral.acknowledge.v1', first.subject, { referralId: first.subject }),
    );
    await eventually(
      async () => (inboxTopicIds().length === 3 ? true : undefined),
      'three records on the inbox topic',
    );

    const { events } = await readAll(SOCIAL);
    const onTopic = backbone.watcher.records
      .filter((r) => r.topic === backbone.topics.inbox(SOCIAL))
      .map((r) => r.json);
    expect(events).toHaveLength(3);
    // The same records, personal data opened as on the topic.
    expect([...events].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...onTopic].sort((a, b) => String(a?.id).localeCompare(String(b?.id))),
    );
    const ofFirst = events.filter((e) => e.subject === first.subject);
    expect(ofFirst.map((e) => e.streamversion)).toEqual([1, 2]);
    expect(JSON.stringify(events)).toContain('"family":"Nielsen"');
  });

  it('gives every event exactly once across cursors while referrals keep arriving', async () => {
    const start = (await readAll(SOCIAL)).cursor;
    const before = inboxTopicIds().length;
    const commands = Array.from({ length: 24 }, (_, i) =>
      makeReferralCommand(i % 2 ? SCHOOL : POLICE, SOCIAL),
    );
    const sending = Promise.all(commands.map((c) => send(c.source.split('/')[1], c)));

    const seen: string[] = [];
    let cursor = start;
    while (seen.length < commands.length) {
      const { status, body } = await changes(SOCIAL, `?limit=3&wait=2&after=${cursor}`);
      expect(status).toBe(200);
      seen.push(...body.events.map((e) => e.id));
      cursor = body.next;
    }
    await sending;
    // Nothing more comes after the last one, and nothing came twice.
    expect((await changes(SOCIAL, `?after=${cursor}`)).body.events).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length);
    await eventually(
      async () => (inboxTopicIds().length === before + commands.length ? true : undefined),
      'the inbox topic',
    );
    expect([...seen].sort()).toEqual(inboxTopicIds().slice(before).sort());
  });

  it('answers a waiting request with the event that arrives meanwhile', async () => {
    const { cursor } = await readAll(SOCIAL);
    const waiting = changes(SOCIAL, `?wait=20&after=${cursor}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const command = makeReferralCommand(SCHOOL, SOCIAL);
    await send(SCHOOL, command);
    const { status, body } = await waiting;
    expect(status).toBe(200);
    expect(body.events.map((e) => `${e.type} ${e.subject}`)).toEqual([
      `referral.made.v1 ${command.subject}`,
    ]);
  });

  it("shows an agency only its own referrals' events, and no one else its feed", async () => {
    const police = (await readAll(POLICE)).events;
    expect(police.length).toBeGreaterThan(0);
    const socialOnly = makeReferralCommand(SCHOOL, SOCIAL);
    await send(SCHOOL, socialOnly);
    expect((await readAll(POLICE)).events.some((e) => e.subject === socialOnly.subject)).toBe(
      false,
    );

    expect((await changes(SOCIAL, '', DEMO_API_KEYS[SCHOOL])).status).toBe(403);
    expect((await changes(SOCIAL, '', DEMO_API_KEYS['demo-randers-director'])).status).toBe(403);
    expect((await changes(SOCIAL, '', 'not a key')).status).toBe(401);
  });

  it('refuses a cursor it did not make and values out of range with 400', async () => {
    for (const query of [
      '?after=garbage!',
      `?after=${Buffer.from('1.2.3').toString('base64url')}`,
      '?wait=31',
      '?wait=-1',
      '?limit=0',
      '?limit=501',
      '?limit=2.5',
    ]) {
      expect({ query, status: (await changes(SOCIAL, query)).status }).toEqual({
        query,
        status: 400,
      });
    }
  });
});
