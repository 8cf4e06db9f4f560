// Re-driving dead letters through POST /v1/operator/commands (issue #10): only a named
// selection, within a rate limit, each recorded as an event naming the operator before its
// record goes back to the command topic, and a repeated command sends nothing twice.
import { randomUUID } from 'node:crypto';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';

const OPERATOR = 'demo-ops-team';
const SCHOOL = 'randers-school';
const PER_MINUTE = 2;

interface DeadLetterList {
  items: { deadLetterId: string; redriven?: { by: string } }[];
}

describe('dead-letter re-drive', () => {
  let backbone: BackboneUnderTest;

  beforeAll(async () => {
    process.env.OPS_REDRIVE_PER_MINUTE = String(PER_MINUTE);
    backbone = await BackboneUnderTest.start((topics) => [topics.events, topics.commands(SCHOOL)]);
    delete process.env.OPS_REDRIVE_PER_MINUTE;
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const deadLetters = async (): Promise<DeadLetterList> =>
    (await (
      await backbone.http('/ops/api/dead-letters?all=true', DEMO_API_KEYS[OPERATOR])
    ).json()) as DeadLetterList;

  const redrive = (deadLetterIds: string[], id = randomUUID()) =>
    backbone.http('/v1/operator/commands', DEMO_API_KEYS[OPERATOR], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        specversion: '1.0',
        id,
        source: `operator/${OPERATOR}`,
        type: 'dead-letter.redrive.v1',
        time: new Date().toISOString(),
        subject: 'dead-letters',
        data: { deadLetterIds },
      }),
    });

  const recordsOnCommandTopic = () =>
    backbone.watcher.records.filter((r) => r.topic === backbone.topics.commands(SCHOOL)).length;

  it('re-drives a named selection within the rate limit, once, in the operator’s name', async () => {
    for (let i = 0; i < 3; i++) await backbone.sendCommand(SCHOOL, `garbage ${i}`);
    const ids = await eventually(async () => {
      const { items } = await deadLetters();
      return items.length === 3 ? items.map((item) => item.deadLetterId) : undefined;
    }, 'three dead letters');

    // More than the limit at once: refused whole, nothing recorded or sent.
    const tooMany = await redrive(ids);
    expect(tooMany.status).toBe(429);
    expect(tooMany.headers.get('retry-after')).toBe('60');
    expect(await tooMany.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // Never "all": the selection is bounded by the contract.
    const unbounded = await redrive(Array.from({ length: 26 }, () => randomUUID()));
    expect(unbounded.status).toBe(422);

    const commandId = randomUUID();
    const first = await redrive(ids.slice(0, 2), commandId);
    expect(first.status).toBe(200);
    const outcome = (await first.json()) as { type: string; data: { events: string[] } };
    expect(outcome.type).toBe('command.accepted');
    expect(outcome.data.events).toHaveLength(2);
    for (const [index, eventId] of outcome.data.events.entries()) {
      const recorded = await backbone.watcher.waitFor(
        (r) => r.topic === backbone.topics.events && r.json?.id === eventId,
        'dead-letter.redriven.v1',
      );
      expect(recorded.key).toBe(`deadletter-${ids[index]}`);
      expect(recorded.json).toMatchObject({
        type: 'dead-letter.redriven.v1',
        actingagency: OPERATOR,
        data: { deadLetterId: ids[index], redrivenBy: OPERATOR },
      });
    }
    await eventually(
      async () => (recordsOnCommandTopic() === 5 ? true : undefined),
      'the two records back on the command topic',
    );

    // The same command again: the same outcome, nothing sent twice.
    const repeated = await redrive(ids.slice(0, 2), commandId);
    expect(repeated.status).toBe(200);
    expect(((await repeated.json()) as typeof outcome).data.events).toEqual(outcome.data.events);
    // Another command for a letter already re-driven is refused.
    const again = await redrive([ids[0]]);
    expect(again.status).toBe(409);
    // The limit is used up for this minute.
    expect((await redrive([ids[2]])).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(recordsOnCommandTopic()).toBe(5);
    const { items } = await deadLetters();
    const byId = new Map(items.map((item) => [item.deadLetterId, item]));
    expect(byId.get(ids[0])?.redriven?.by).toBe(OPERATOR);
    expect(byId.get(ids[1])?.redriven?.by).toBe(OPERATOR);
    expect(byId.get(ids[2])?.redriven).toBeUndefined();
  });
});
